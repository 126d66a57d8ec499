"""The events already answered (internal_event, migration 070): SQL on db.session, in the caller's
transaction; nothing here commits."""
from __future__ import annotations

from sqlalchemy import text

from ..core import clock
from ..core.extensions import db


def claim(event_id: str, event_type: str, body_sha256: str) -> bool:
    """Take the event's id for this transaction: True when it is new. The row is the first write,
    so a concurrent copy of the same id waits here on the key until this transaction ends, and
    then finds it taken (or takes it, if this one rolled back). Its status and answer are filled
    in before the commit (record_answer): no other transaction ever sees the row without them."""
    return db.session.execute(text(
        "insert into internal_event (event_id, type, body_sha256, status, answer, received_at)"
        " values (:event_id, :type, :body_sha256, 0, '', :now)"
        " on conflict (event_id) do nothing returning event_id"
    ), {"event_id": event_id, "type": event_type, "body_sha256": body_sha256, "now": clock.now()}).first() is not None


def record_answer(event_id: str, status: int, answer: str) -> None:
    db.session.execute(text("update internal_event set status = :status, answer = :answer where event_id = :event_id"),
                       {"event_id": event_id, "status": status, "answer": answer})


def answered(event_id: str) -> dict:
    """The stored answer of an event already recorded: status, answer (the body's text), the first
    body's sha256 and type."""
    row = db.session.execute(text(
        "select status, answer, body_sha256, type from internal_event where event_id = :event_id"
    ), {"event_id": event_id}).mappings().one()
    return dict(row)
