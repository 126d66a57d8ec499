-- 105_reader_links.sql
-- Reader links (issue 14): a signed, expiring, read-only link to the growth overview with one
-- fixed filter, made and revoked by the growth team (webapp/reporting/readers.py). The token in
-- the URL only names the link (signed); what it shows and whether it still works are here.
create table if not exists reader_link (
  link_id text primary key,                                   -- rdl_...
  label text not null check (char_length(label) between 1 and 80),
  filters jsonb not null check (jsonb_typeof(filters) = 'object'),  -- model.Filters.query_args
  created_by text not null,                                   -- no foreign key: the link outlives its maker's account
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  revoked_at timestamptz,
  constraint reader_link_expires_after_creation check (expires_at > created_at)
);
-- The management page's list: newest first.
create index if not exists idx_reader_link_recent on reader_link (created_at desc, link_id desc);
