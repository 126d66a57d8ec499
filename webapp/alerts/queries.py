"""SQL of the alert matching: the saved_search_index rows and the run's streamed statement."""
from __future__ import annotations

import json
from collections.abc import Iterator

from sqlalchemy import text

from ..core.extensions import db
from .matching import RUN_MARGIN, LastRun, Match, bound_columns, in_shard, index_row_from_json

SYNC_BATCH = 1000
STREAM_ROWS = 1000

_INDEX_COLUMNS = ["search_id", "scope", "city", "anchor", "all_facts", "has_any", "any_facts", *bound_columns(),
                  "query_md5"]
# changed_at: the run after the next matches this search over its whole window (matching.LastRun).
_UPSERT = text(
    f"insert into saved_search_index ({', '.join(_INDEX_COLUMNS)}, changed_at)"
    f" values ({', '.join(':' + c for c in _INDEX_COLUMNS)}, clock_timestamp())"
    " on conflict (search_id) do update set "
    + ", ".join(f"{c} = excluded.{c}" for c in [*_INDEX_COLUMNS, "changed_at"] if c != "search_id")
)


def _md5_of(query_json) -> str:
    """md5 of query_json as PostgreSQL prints jsonb: computed by the server, so equal by construction."""
    return db.session.execute(text("select md5(cast(:q as jsonb)::text)"), {"q": json.dumps(query_json)}).scalar()


def index_search(search_id: str, scope: str, city: str, query_json: dict) -> None:
    """Write a search's index row in the caller's transaction (the searches service, on save and edit)."""
    row = index_row_from_json(scope, city, query_json)
    db.session.execute(_UPSERT, {**row, "search_id": search_id, "query_md5": _md5_of(query_json)})


# Rows missing or built from another query or city: this migration's backfill, and searches
# written around the service (demo data, benchmark loaders). Only among the searches written
# (updated_at, set by every insert and by the service's edits) since the last sync began.
_STALE = (
    "select s.search_id, s.scope, s.city, s.query_json, md5(s.query_json::text) as query_md5"
    " from saved_search s left join saved_search_index x using (search_id)"
    " where (x.search_id is null or x.query_md5 <> md5(s.query_json::text) or x.city <> s.city"
    " or x.scope <> s.scope)"
)
_SYNCED_FROM = text("select (select synced_from from alert_index_sync), clock_timestamp()")
_SYNCED = text(
    "insert into alert_index_sync (synced_from) values (:t)"
    " on conflict (one) do update set synced_from = excluded.synced_from"
)


def sync_index() -> int:
    """Bring saved_search_index in step with saved_search; returns the rows rebuilt.

    One read streamed from a server-side cursor, written back in batches on a second connection:
    statements grow with the rows to repair, not with the searches. It reads the searches written
    since the last sync began (less RUN_MARGIN, for a transaction that began before it and committed
    after its read), all of them the first time. Measured at 1M searches (the benchmark's copy, load 4.8):
    5.7 s reading every search, 0.00 s the pass after (nothing written since)."""
    rebuilt = 0
    with db.engine.connect() as reader, db.engine.begin() as writer:
        since, started = writer.execute(_SYNCED_FROM).one()
        stale = text(_STALE + ("" if since is None else " and s.updated_at > :since"))
        result = reader.execution_options(stream_results=True, yield_per=SYNC_BATCH).execute(stale, {"since": since})
        for batch in result.mappings().partitions():
            writer.execute(_UPSERT, [
                {**index_row_from_json(r["scope"], r["city"], r["query_json"]), "search_id": r["search_id"],
                 "query_md5": r["query_md5"]}
                for r in batch
            ])
            rebuilt += len(batch)
        writer.execute(_SYNCED, {"t": started - RUN_MARGIN})
    return rebuilt


# A finished run of shard (i, n) covers it, and so does a finished run of every search (0/1).
_LAST_FINISHED_RUN = text(
    "select day, started_at from alert_run"
    " where day < :day and (shard_count = 1 or (shard_count = :n and shard_index = :i))"
    " order by day desc, started_at desc limit 1"
)
_LOG_RUN = text(
    "insert into alert_run (day, shard_index, shard_count, started_at, finished_at)"
    " values (:day, :i, :n, :started_at, clock_timestamp())"
    " on conflict (day, shard_count, shard_index) do update"
    " set started_at = excluded.started_at, finished_at = excluded.finished_at"
)


def last_finished_run(day, shard: tuple[int, int]) -> LastRun | None:
    """The latest run before `day` that finished for this shard (or for all searches)."""
    i, n = shard
    with db.engine.connect() as conn:
        row = conn.execute(_LAST_FINISHED_RUN, {"day": day, "i": i, "n": n}).first()
    return None if row is None else LastRun(row.day, row.started_at)


def database_now():
    """The server's clock (the one changed_at and updated_at are written with)."""
    return db.session.execute(text("select clock_timestamp()")).scalar()


def log_finished_run(day, shard: tuple[int, int], started_at) -> None:
    """Every search the run of `day` found is recorded: later runs may rely on it (matching.LastRun)."""
    i, n = shard
    db.session.execute(_LOG_RUN, {"day": day, "i": i, "n": n, "started_at": started_at})
    db.session.commit()


def stream_matches(sql: str, params: dict) -> Iterator[Match]:
    """The run's one statement, its rows fetched STREAM_ROWS at a time from a server-side cursor."""
    with db.engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=STREAM_ROWS).execute(text(sql), params)
        for row in result:
            yield Match(row.search_id, row.match_count, list(row.top_ids))


# --- the alert e-mail (webapp/alerts/email.py) ------------------------------------------------
# These take the sender's own connection: it holds the alert's advisory lock between its short
# statements, and no transaction stays open while the SMTP server is talked to.

EMAIL_LOCK_NAMESPACE = 13_005  # the first key of the two-key advisory locks on alert e-mails (issue 13)

_ALERT_TO_EMAIL = text(
    "select a.alert_id, a.search_id, a.alert_dt, a.match_count, a.email_sent,"
    " s.user_id, s.scope, s.city, s.query_json, s.name, s.email_alerts, s.created_at as search_created_at,"
    " u.email, u.display_name,"
    " (select max(p.alert_dt) from saved_search_alert p where p.search_id = a.search_id"
    "   and p.alert_dt < a.alert_dt) as previous_alert_dt"
    " from saved_search_alert a join saved_search s using (search_id) join app_user u on u.user_id = s.user_id"
    " where a.alert_id = :a"
)


def alert_to_email(conn, alert_id: str):
    """The alert with its search, its owner and the day of the search's alert before it (its window's start)."""
    return conn.execute(_ALERT_TO_EMAIL, {"a": alert_id}).mappings().first()


def try_lock_alert(conn, alert_id: str) -> bool:
    """A session lock on one alert's e-mail: two workers handed the same alert never send it twice at once."""
    return conn.execute(text("select pg_try_advisory_lock(:ns, hashtext(:a))"),
                        {"ns": EMAIL_LOCK_NAMESPACE, "a": alert_id}).scalar()


def unlock_alert(conn, alert_id: str) -> None:
    conn.execute(text("select pg_advisory_unlock(:ns, hashtext(:a))"), {"ns": EMAIL_LOCK_NAMESPACE, "a": alert_id})


def mark_email_sent(conn, alert_id: str) -> None:
    conn.execute(text("update saved_search_alert set email_sent = true where alert_id = :a"), {"a": alert_id})


def newest_matches(conn, statement) -> list[dict]:
    """The rows of a compiled directory statement (email.top_matches builds it with the compiler)."""
    return [dict(r) for r in conn.execute(statement).mappings()]


# --- the daily run's writes (webapp/alerts/service.py) ----------------------------------------

_RECORD = text(
    "with found as (select * from unnest(cast(:alert_ids as text[]), cast(:search_ids as text[]),"
    "                                    cast(:counts as int[])) as f(alert_id, search_id, match_count)),"
    " recorded as (insert into saved_search_alert (alert_id, search_id, alert_dt, match_count)"
    "   select f.alert_id, f.search_id, :day, f.match_count from found f join saved_search s using (search_id)"
    "   on conflict (search_id, alert_dt) do nothing returning 1)"
    " select count(*) from recorded"
)
# Never moves a search's window back (a run for an earlier day after a later one).
_ADVANCE = text(
    "update saved_search set last_alert_dt = :day"
    " where search_id = any(cast(:search_ids as text[])) and (last_alert_dt is null or last_alert_dt < :day)"
)


def record_alerts(day, rows: list[tuple[str, str, int]]) -> int:
    """(alert_id, search_id, match_count) rows: their saved_search_alert rows for `day` (a search that
    already has one keeps it) and last_alert_dt = day, in the caller's transaction; returns the rows added."""
    alert_ids, search_ids, counts = (list(column) for column in zip(*rows, strict=True))
    added = db.session.execute(_RECORD, {"day": day, "alert_ids": alert_ids, "search_ids": search_ids,
                                         "counts": counts}).scalar()
    db.session.execute(_ADVANCE, {"day": day, "search_ids": search_ids})
    return added


# Alerts still without their notification, locked for this transaction; another run at once skips
# them and takes the next ones. Alerts of an account since deleted have no one to tell
# (notification.user_id needs the account) and are left alone.
_CLAIM_INAPP_SQL = """
    select a.alert_id, a.match_count, s.user_id, s.name, s.scope, s.city, s.query_json
    from saved_search_alert a
    join saved_search s using (search_id)
    join app_user u on u.user_id = s.user_id
    where not a.inapp_created and {which}
    order by a.alert_id
    limit :limit
    for update of a skip locked"""
# The shard's searches' alerts up to `day` (a run's batch), or one alert (its queued job).
_CLAIM_INAPP = text(_CLAIM_INAPP_SQL.format(which=f"a.alert_dt <= :day and {in_shard('s.search_id')}"))
_CLAIM_INAPP_ONE = text(_CLAIM_INAPP_SQL.format(which="a.alert_id = :alert_id"))

_NOTIFY = text(
    "insert into notification (notification_id, user_id, kind, alert_id, title)"
    " values (:notification_id, :user_id, 'search_alert', :alert_id, :title)"
    " on conflict (alert_id) do nothing"
)
_MARK_INAPP = text("update saved_search_alert set inapp_created = true where alert_id = any(cast(:ids as text[]))")


def claim_inapp_pending(day, shard: tuple[int, int], limit: int) -> list[dict]:
    i, n = shard
    return [dict(r) for r in db.session.execute(
        _CLAIM_INAPP, {"day": day, "shard": i, "shards": n, "limit": limit}).mappings()]


def claim_inapp_one(alert_id: str) -> list[dict]:
    """The alert, if it still lacks its notification and no other transaction is writing it."""
    return [dict(r) for r in db.session.execute(_CLAIM_INAPP_ONE, {"alert_id": alert_id, "limit": 1}).mappings()]


def insert_notifications(rows: list[dict]) -> None:
    """The notification rows (notification_id, user_id, alert_id, title), in the caller's transaction;
    an alert that already has its notification keeps it."""
    db.session.execute(_NOTIFY, rows)


def mark_inapp_created(alert_ids: list[str]) -> None:
    db.session.execute(_MARK_INAPP, {"ids": alert_ids})


# Alerts of the shard's searches with e-mail on, dated (since, day], not e-mailed yet, after the
# id `after` (the run walks them once in id order; send_alert_email's own lock keeps two runs from
# sending one alert twice, so no row lock is held while the SMTP server talks).
_EMAIL_PENDING = text(f"""
    select a.alert_id
    from saved_search_alert a
    join saved_search s using (search_id)
    where not a.email_sent and s.email_alerts and a.alert_dt > :since and a.alert_dt <= :day
      and a.alert_id > :after and {in_shard('s.search_id')}
    order by a.alert_id
    limit :limit""")


def email_pending(day, since, shard: tuple[int, int], after: str, limit: int) -> list[str]:
    i, n = shard
    return list(db.session.execute(_EMAIL_PENDING, {"day": day, "since": since, "after": after, "shard": i,
                                                    "shards": n, "limit": limit}).scalars())


# What the queue still has to deliver for the shard's searches up to `day`: alerts without their
# notification, and those whose e-mail is due (dated (since, day], e-mail on, not sent), with
# whether it is. Each branch walks its channel's pending index (migration 085) from `after`.
_UNDELIVERED = text(f"""
    select alert_id, bool_or(email) as email from (
      select a.alert_id, false as email
      from saved_search_alert a join saved_search s using (search_id)
      where not a.inapp_created and a.alert_dt <= :day and a.alert_id > :after and {in_shard('s.search_id')}
      union all
      select a.alert_id, true
      from saved_search_alert a join saved_search s using (search_id)
      where not a.email_sent and s.email_alerts and a.alert_dt > :since and a.alert_dt <= :day
        and a.alert_id > :after and {in_shard('s.search_id')}
    ) pending
    group by alert_id
    order by alert_id
    limit :limit""")


def undelivered(day, since, shard: tuple[int, int], after: str, limit: int) -> list:
    """(alert_id, email) rows in id order, after the id `after`."""
    i, n = shard
    return list(db.session.execute(_UNDELIVERED, {"day": day, "since": since, "after": after, "shard": i,
                                                  "shards": n, "limit": limit}))
