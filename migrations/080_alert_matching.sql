-- 080_alert_matching.sql
-- Saved searches kept in an indexed form, so the daily alert run lets each new directory entry
-- look up the searches it can satisfy (a percolator) instead of running every search's query.
-- Rows are derived from saved_search.query_json through the field catalogue in Python
-- (webapp/alerts/matching.py): the searches service writes a search's row in the transaction
-- that saves or edits it, and every run first rebuilds the rows that are missing or stale
-- (this migration's backfill, and searches written around the service: demo data, benchmarks).
--
--   anchor       one fact every matching entry must have ("role_tags:photographer",
--                "verified:true"), or '' when the "all" group requires none; an entry probes
--                (scope, city, anchor = any(its facts and '')) on the B-tree below. Null when the
--                search uses a field the catalogue no longer has: it matches nothing, as on /searches.
--   all_facts    every tag and yes/no fact the "all" group requires ("field:value").
--   <field>_min / <field>_max      the "all" group's bounds on each number field (null: none).
--   has_any      the search has an "any" group; it holds when the entry has one of any_facts,
--                or a number field is at most any_<field>_max or at least any_<field>_min.
--   query_md5    md5(query_json::text) the row was built from; with city, tells a stale row.
-- A number field added to the catalogue needs its four columns here (a test checks).

create table if not exists saved_search_index (
  search_id text primary key references saved_search(search_id) on delete cascade,
  scope text not null,
  city text not null,
  anchor text,
  all_facts text[] not null default '{}',
  has_any boolean not null default false,
  any_facts text[] not null default '{}',
  rate_cents_min int, rate_cents_max int,
  any_rate_cents_min int, any_rate_cents_max int,
  hourly_rate_cents_min int, hourly_rate_cents_max int,
  any_hourly_rate_cents_min int, any_hourly_rate_cents_max int,
  capacity_min int, capacity_max int,
  any_capacity_min int, any_capacity_max int,
  size_sqm_min int, size_sqm_max int,
  any_size_sqm_min int, any_size_sqm_max int,
  query_md5 text not null
);
create index if not exists idx_saved_search_index_probe on saved_search_index (scope, city, anchor);

-- The run reads the entries that appeared in its window across every city.
create index if not exists idx_service_profile_created on service_profile (created_at);
create index if not exists idx_studio_created on studio (created_at);
