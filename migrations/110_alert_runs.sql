-- 110_alert_runs.sql
-- The alert run's log, so a day's run probes only the entries that appeared since the last run of
-- its shard that finished (webapp/alerts/matching.py; docs/decisions.md, "Alerts — matching").
--
--   alert_run    one row per (day, shard i of n): started_at is taken before the run's index sync
--                and its matching statement; finished_at once every search it found is recorded
--                (a run killed half-way stays unfinished and is never relied on).
--   saved_search_index.changed_at   when the row was last (re)built from its search's query, city
--                or scope: a search changed after a run began is matched over its whole window again.
--   saved_search_index.shard_hash   the shard hash (hashtextextended(search_id, 0)) kept as a column,
--                so the run's shard test is a plain read of the index row.

create table if not exists alert_run (
  day date not null,
  shard_index int not null,
  shard_count int not null,
  started_at timestamptz not null,
  finished_at timestamptz,
  primary key (day, shard_count, shard_index)
);

alter table saved_search_index add column if not exists changed_at timestamptz not null default now();
alter table saved_search_index add column if not exists shard_hash bigint
  generated always as (hashtextextended(search_id, 0)) stored;
