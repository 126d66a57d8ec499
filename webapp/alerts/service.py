"""The daily alert run: record each search's new matches of a day, then deliver every undelivered alert.

Phase 1, record: the searches with new matches on D (matching.new_matches, streamed) are written
in batches, one transaction each: a saved_search_alert row per search (unique per search and day)
and last_alert_dt = D, together. A run killed half-way leaves every search either fully recorded
(its window closed, its alert waiting for delivery) or untouched (found again next time).

Phase 2, deliver: each channel in CHANNELS finishes every alert of the shard's searches up to D
that it has not delivered yet, whichever run recorded it. That is how a killed run is completed:
a re-run of D finds no new matches (last_alert_dt = D) and still delivers what was left.
With ALERTS_DELIVERY=queue (or `alerts run --deliver queue`), phase 2 instead queues one job per
undelivered alert (webapp/alerts/tasks.py), and the workers of every host deliver them, retrying
with backoff.

Exactly once: the unique keys (an alert per search and day, a notification per alert) make a
second run harmless, and a channel claims its alerts FOR UPDATE SKIP LOCKED, so two runs at once
share the work instead of waiting on each other. docs/decisions.md, "Alerts — the daily run".
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, timedelta
from typing import NamedTuple

from flask import current_app
from sqlalchemy import event

from ..core.connections import REPLY_GRACE_SECONDS
from ..core.extensions import db
from ..core.ids import new_id
from ..core.transactions import retry_on_deadlock
from . import matching, queries
from .email import Sent, send_alert_email
from .wording import alert_title

BATCH = 500  # searches recorded, or alerts delivered, per transaction
EMAIL_DAYS = 7  # an alert e-mail not sent within a week is no longer sent (in-app has it)


class Delivery(NamedTuple):
    done: int       # alerts this run delivered on the channel
    not_done: int   # alerts it tried and could not (a refusing mail server): the next run tries again


class Channel(NamedTuple):
    """One way an alert reaches its user. `deliver(day, shard)` delivers every alert of the shard's
    searches up to `day` still pending on this channel, in its own transactions."""
    name: str
    deliver: Callable[[date, tuple[int, int]], Delivery]


class RunOutcome(NamedTuple):
    day: date
    shard: tuple[int, int]
    searches_matched: int   # searches with new matches found by this run
    alerts_recorded: int    # of them, alert rows this run wrote (another run at once may have written the rest)
    delivered: dict[str, Delivery]  # per channel (or queued): its own alerts and earlier runs' leftovers


# --- phase 1: record ----------------------------------------------------------------

def _record_batch(day: date, batch: list[matching.Match]) -> int:
    """One transaction: the batch's alert rows and last_alert_dt = day. Returns the rows added."""
    rows = [(new_id("ssa"), m.search_id, m.match_count) for m in batch]

    def write() -> int:
        added = queries.record_alerts(day, rows)
        db.session.commit()
        return added

    return retry_on_deadlock(write)


def _batches(items: Iterator, size: int) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


# --- phase 2: deliver ---------------------------------------------------------------

def _notify(claimed: list[dict]) -> int:
    """In the caller's transaction, committed here: the claimed alerts' notifications, and
    inapp_created on them. Returns how many."""
    if claimed:
        queries.insert_notifications([
            {"notification_id": new_id("ntf"), "user_id": a["user_id"], "alert_id": a["alert_id"],
             "title": alert_title(a, a["match_count"])} for a in claimed])
        queries.mark_inapp_created([a["alert_id"] for a in claimed])
    db.session.commit()
    return len(claimed)


def _deliver_inapp_batch(day: date, shard: tuple[int, int]) -> int:
    """One transaction: claim up to BATCH pending alerts and notify. Returns how many were claimed
    (0: nothing left for this run)."""
    return retry_on_deadlock(lambda: _notify(queries.claim_inapp_pending(day, shard, BATCH)))


def deliver_inapp(day: date, shard: tuple[int, int]) -> Delivery:
    delivered = 0
    while claimed := _deliver_inapp_batch(day, shard):
        delivered += claimed
    return Delivery(delivered, 0)


def deliver_email(day: date, shard: tuple[int, int]) -> Delivery:
    """Send every pending alert e-mail of the last EMAIL_DAYS days whose search has e-mail on, one
    by one through send_alert_email (email_sent only once the server accepted; its advisory lock
    makes two runs at once send each alert once). One that fails stays pending for the next run."""
    sent = not_sent = 0
    after = ""
    while True:
        pending = queries.email_pending(day, day - timedelta(days=EMAIL_DAYS), shard, after, BATCH)
        db.session.commit()  # no transaction stays open while the mail server talks
        if not pending:
            return Delivery(sent, not_sent)
        for alert_id in pending:
            outcome = send_alert_email(alert_id)
            if outcome is Sent.SENT:
                sent += 1
            elif outcome is Sent.REFUSED:
                not_sent += 1
        after = pending[-1]


# The delivery channels, in order: the one place a run delivers.
CHANNELS: list[Channel] = [Channel("in-app", deliver_inapp), Channel("e-mail", deliver_email)]


def deliver_inline(day: date, shard: tuple[int, int]) -> dict[str, Delivery]:
    """Phase 2 in this process: every channel in turn (a single machine, `make run`, the tests)."""
    return {channel.name: channel.deliver(day, shard) for channel in CHANNELS}


class NotDelivered(Exception):
    """An alert's e-mail could not go now (the mail server refused, or another process is sending
    it): the queue runs the job again later (webapp/alerts/tasks.py)."""


def deliver_alert(alert_id: str, email: bool) -> None:
    """Both channels for one alert, as its queued job does: the notification unless it exists, then
    the e-mail when `email` (it was due when the job was queued). Raises NotDelivered."""
    retry_on_deadlock(lambda: _notify(queries.claim_inapp_one(alert_id)))
    if email:
        outcome = send_alert_email(alert_id)
        if outcome in (Sent.REFUSED, Sent.BUSY):
            raise NotDelivered(f"alert {alert_id}: e-mail {outcome.value}")


def undelivered(day: date, shard: tuple[int, int]) -> Iterator[list]:
    """The shard's alerts up to `day` still undelivered on some channel, as (alert_id, email) rows in
    batches of BATCH; no transaction stays open between batches."""
    after = ""
    while pending := queries.undelivered(day, day - timedelta(days=EMAIL_DAYS), shard, after, BATCH):
        db.session.commit()
        yield pending
        after = pending[-1].alert_id
    db.session.commit()


# --- the run --------------------------------------------------------------------------

# The job's limits, while a run is under way in this thread (a ContextVar: each thread starts without).
_job_timeout: ContextVar[float | None] = ContextVar("alerts_job_timeout", default=None)
_listening: set = set()
_listening_lock = threading.Lock()


def _begun(conn) -> None:
    seconds = _job_timeout.get()
    if seconds is None:
        return
    limit = round(seconds * 1000)
    dbapi = conn.connection.dbapi_connection
    # On the driver's connection: a streaming Connection (new_matches) would send them as a cursor.
    with dbapi.cursor() as cursor:
        cursor.execute(f"set local statement_timeout = {limit}")
        cursor.execute(f"set local idle_in_transaction_session_timeout = {limit}")
    if hasattr(dbapi, "reply_timeout"):
        conn.info.setdefault("web_reply_timeout", dbapi.reply_timeout)
        dbapi.reply_timeout = seconds + REPLY_GRACE_SECONDS if seconds else None


def _ended(conn) -> None:
    if "web_reply_timeout" in conn.info and conn.connection.dbapi_connection is not None:
        conn.connection.dbapi_connection.reply_timeout = conn.info.pop("web_reply_timeout")


@contextmanager
def job_timeouts(seconds: float):
    """While it lasts, every transaction this thread begins on the app's engine runs with the job's own
    limits (ALERTS_STATEMENT_TIMEOUT, docs/operations.md) instead of the web's few seconds: `SET LOCAL`
    (gone at the transaction's end, so no pooled connection keeps it), and the client waits as long
    (core/connections.BoundedConnection) before giving the server up. 0 turns them off.

    The engine's listeners are added once and stay (adding or removing one while another thread
    dispatches is not safe); they do nothing outside a run."""
    engine = db.engine
    with _listening_lock:
        if engine not in _listening:
            for name, fn in (("begin", _begun), ("commit", _ended), ("rollback", _ended)):
                event.listen(engine, name, fn)
            _listening.add(engine)
    token = _job_timeout.set(seconds)
    try:
        yield
    finally:
        _job_timeout.reset(token)


Deliver = Callable[[date, tuple[int, int]], dict[str, Delivery]]


def record(day: date, shard: tuple[int, int] = (0, 1)) -> tuple[int, int]:
    """Phase 1: the shard's searches with new matches on `day` recorded, then the run logged as
    finished (the next day's run probes only what appeared since). Returns (matched, recorded)."""
    started_at = queries.database_now()
    db.session.commit()
    matched = recorded = 0
    for batch in _batches(matching.new_matches(day, shard=shard), BATCH):
        matched += len(batch)
        recorded += _record_batch(day, batch)
    queries.log_finished_run(day, shard, started_at)
    return matched, recorded


def run(day: date, shard: tuple[int, int] = (0, 1), deliver: Deliver = deliver_inline) -> RunOutcome:
    """The run of `day` for one shard (i, n): record, then deliver: inline through every channel, or
    (tasks.enqueue_deliveries) as jobs for the queue's workers."""
    with job_timeouts(current_app.config["ALERTS_STATEMENT_TIMEOUT"]):
        matched, recorded = record(day, shard)
        delivered = deliver(day, shard)
    return RunOutcome(day, shard, matched, recorded, delivered)
