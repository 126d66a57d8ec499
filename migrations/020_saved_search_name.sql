-- 020_saved_search_name.sql
-- Saved searches get an optional name, and a user can hold each search once:
-- query_json is stored canonical (see webapp/directory/query.py), so equal
-- meaning means equal JSON, and jsonb's text form is itself deterministic.
-- md5 keeps the index entry small whatever the JSON's size (up to 8 KB).
-- Studios get (city, capacity) and (city, size_sqm) indexes for the builder's
-- number conditions, as people and studio rates already have.

alter table saved_search add column if not exists name text
  check (name is null or (length(name) between 1 and 80));

create unique index if not exists uq_saved_search_user_query
  on saved_search (user_id, scope, city, md5(query_json::text));

create index if not exists idx_studio_capacity on studio (city, capacity);
create index if not exists idx_studio_size on studio (city, size_sqm);
