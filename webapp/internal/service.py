"""Each signed event applied once, and its answer kept (SPEC, "Internal events endpoint").

One transaction per event, owned here: the event's id is claimed first (internal_event's key),
then the credits service writes the effects, then the answer is stored beside them, and all of
it commits together. So an event is either applied with its answer kept, or not at all (a
failure rolls everything back and the marketplace may retry). A repeat of the id, in sequence
or at the same moment, gets the stored answer byte for byte and changes nothing: a concurrent
copy waits on the key until the first commits. A repeat whose body differs from the first is
logged, and answered the same: the id is the key, whatever came with it.
"""
from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass

from ..core.extensions import db
from ..core.transactions import retry_on_deadlock
from ..credits import service as credits
from . import queries
from .events import BookingCompleted, BookingRefunded, CreditRedeem, Event, parse

log = logging.getLogger(__name__)

@dataclass(frozen=True)
class Answer:
    status: int
    body: str            # JSON text, exactly as first sent
    replayed: bool = False  # a repeat of an id already answered


def receive(raw: bytes) -> Answer:
    """Apply the event in `raw` (its signature already verified) or give the answer it already got.
    A body that is not a valid event raises Invalid (400) and records nothing.

    Two events can lock the same rows in opposite orders (a booking pays two inviters, another
    pays the same two the other way round); PostgreSQL then aborts one of them. Its transaction
    wrote nothing, so it is applied again (core.transactions), a few times at most, instead of
    answering 503."""
    event = parse(raw)
    body_sha256 = hashlib.sha256(raw).hexdigest()
    return retry_on_deadlock(lambda: _apply_once(event, body_sha256))


def _apply_once(event: Event, body_sha256: str) -> Answer:
    """One transaction: claim the id, apply, keep the answer, commit (or roll all of it back)."""
    try:
        if not queries.claim(event.id, event.type, body_sha256):
            return _repeat(event, body_sha256)
        body = json.dumps(apply(event), separators=(",", ":"))
        queries.record_answer(event.id, 200, body)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return Answer(200, body)  # internal_event is the record of what was applied: no log line per event


def _repeat(event: Event, body_sha256: str) -> Answer:
    first = queries.answered(event.id)
    db.session.rollback()  # nothing was written
    if first["body_sha256"] != body_sha256:
        log.warning("event %s repeated with a different body (%s, sha256 %s; the first was %s, sha256 %s):"
                    " answered with the first answer, nothing applied",
                    event.id, event.type, body_sha256[:12], first["type"], first["body_sha256"][:12])
    return Answer(first["status"], first["answer"], replayed=True)


def apply(event: Event) -> dict:
    """The event's effects through the credits service (which never commits), and its answer."""
    match event:
        case BookingCompleted():
            awarded = credits.booking_completed(
                event_id=event.id, booking_id=event.booking_id, buyer_user_id=event.buyer_user_id,
                provider_user_id=event.provider_user_id, buyer_fee_cents=event.buyer_fee_cents,
                occurred_at=event.occurred_at)
            return {"awarded": [credit.answer() for credit in awarded]}
        case BookingRefunded():
            clawed_back = credits.booking_refunded(booking_id=event.booking_id, event_id=event.id)
            return {"clawed_back": [credit.answer() for credit in clawed_back]}
        case CreditRedeem():
            redeemed, balance = credits.redeem(user_id=event.user_id, booking_id=event.booking_id,
                                               max_cents=event.max_cents)
            return {"redeemed_cents": redeemed, "balance_cents": balance}
    raise AssertionError(f"no handler for {type(event).__name__}")  # events.py and this match list the same types
