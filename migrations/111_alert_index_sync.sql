-- 111_alert_index_sync.sql
-- The index sync reads only the searches changed (updated_at) since its last pass began, less a margin
-- (webapp/alerts/queries.sync_index); with no row here it reads them all once.
create table if not exists alert_index_sync (
  one boolean primary key default true check (one),
  synced_from timestamptz not null
);
create index if not exists idx_saved_search_updated on saved_search (updated_at);
