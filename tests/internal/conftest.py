"""What the events tests share: signed requests as the marketplace sends them, the events
themselves, what the database recorded, and an inviter with invitees whose bookings earn."""
from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest

from tests.growth.factories import make_invite, make_program
from tests.invites.helpers import ledger
from webapp.core.ids import new_id
from webapp.core.security import SIGNATURE_HEADER, body_signature

PATH = "/internal/events"
# Bookings happen after the factories' invites were accepted (2026-01-10 12:05 UTC), in January.
BOOKED_AT = datetime(2026, 1, 20, 15, 30, tzinfo=UTC)
RECORDS = ("internal_event", "credit_ledger", "credit_balance", "referral_reward", "referral_cap_use",
           "growth_decision")


def body_of(event: dict | bytes) -> bytes:
    return event if isinstance(event, bytes) else json.dumps(event).encode()


def signed_headers(body: bytes, secret: str) -> dict[str, str]:
    return {"Content-Type": "application/json", SIGNATURE_HEADER: body_signature(secret, body)}


def completed(buyer: dict, provider: dict, *, fee: int = 10_000, at: datetime = BOOKED_AT,
              booking_id: str | None = None, event_id: str | None = None) -> dict:
    return {"id": event_id or new_id("evt"), "type": "booking.completed", "booking_id": booking_id or new_id("bkg"),
            "buyer_user_id": buyer["user_id"], "provider_user_id": provider["user_id"], "buyer_fee_cents": fee,
            "occurred_at": at.isoformat()}


def refunded(booking_id: str, *, event_id: str | None = None) -> dict:
    return {"id": event_id or new_id("evt"), "type": "booking.refunded", "booking_id": booking_id}


def redeem(user: dict, max_cents: int, *, booking_id: str | None = None, event_id: str | None = None) -> dict:
    return {"id": event_id or new_id("evt"), "type": "credit.redeem", "user_id": user["user_id"],
            "booking_id": booking_id or new_id("bkg"), "max_cents": max_cents}


@pytest.fixture
def send(app, client):
    """send(event) -> the response to the event (a dict, or the exact bytes) signed with the app's secret."""

    def post(event: dict | bytes, *, via=None, headers: dict | None = None):
        body = body_of(event)
        return (via or client).post(PATH, data=body, headers={
            **signed_headers(body, app.config["INTERNAL_EVENTS_SECRET"]), **(headers or {})})

    return post


@pytest.fixture
def recorded(db_conn):
    """recorded() -> the row count of each table an event can write."""
    return lambda: {table: db_conn.execute(f"select count(*) from {table}").fetchone()[0] for table in RECORDS}


@pytest.fixture
def entries(db_conn):
    """entries(user) -> the user's ledger entries, oldest first: (kind, amount_cents, related_id)."""
    return lambda user: db_conn.execute(
        "select kind, amount_cents, related_id from credit_ledger where user_id = %s order by created_at, entry_id",
        (user["user_id"],)).fetchall()


@pytest.fixture
def balance(db_conn):
    def of(user: dict) -> int:
        row = db_conn.execute("select balance_cents from credit_balance where user_id = %s",
                              (user["user_id"],)).fetchone()
        return row[0] if row else 0
    return of


@pytest.fixture
def give_credit(db_conn):
    """give_credit(user, cents): an award on the user's ledger (the balance row follows it)."""
    return lambda user, cents: ledger(db_conn, user, "award", cents, program_id=None, related_id=new_id("gdc"))


class Referrals:
    """Ada (a provider) runs invites under one program; each invitee signed up through one of them."""

    def __init__(self, db_conn, make_user, **terms):
        self.db_conn, self.make_user = db_conn, make_user
        self.program_id = make_program(db_conn, **{"fixed": 2_000, "bips": 500, "cap": 5, **terms})
        self.ada = make_user("provider", name="Ada Lens")

    def invitee(self, *, flags=(), name: str = "Nora Newcomer") -> dict:
        user = self.make_user("member", name=name)
        invite_id = make_invite(self.db_conn, self.program_id, self.ada, invitee=user, flags=flags,
                                status="held" if flags else None)
        return {**user, "invite_id": invite_id}

    def invite(self, invitee: dict) -> dict:
        cur = self.db_conn.execute("select status, fraud_flags from referral_invite where invite_id = %s",
                                   (invitee["invite_id"],))
        status, flags = cur.fetchone()
        return {"status": status, "flags": flags}


@pytest.fixture
def referrals(db_conn, make_user):
    """referrals(**program terms) -> a Referrals world (default: 2,000 cents + 5% of the fee, cap 5)."""
    return lambda **terms: Referrals(db_conn, make_user, **terms)


@pytest.fixture
def provider(make_user):
    """Someone the invitees book: no invite brought them."""
    return make_user("provider", name="Pia Portrait")


# --- at the same moment --------------------------------------------------------------------------

@pytest.fixture
def race_app(make_app):
    """The app with a connection per concurrent request: each thread's request runs in its own
    transaction on its own PostgreSQL connection, as on a server with that many threads. The
    statement timeout is long enough for 64 transactions to queue on one row lock."""
    return make_app({"TESTING": True, "DB_STATEMENT_TIMEOUT": 60, "DB_POOL_TIMEOUT": 60,
                     "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 64, "max_overflow": 0, "pool_timeout": 60}})


def at_once(app, bodies: list[bytes]) -> list:
    """POST every body at the same moment, one thread and one test client each (a barrier releases
    them together); the responses, in the order of `bodies`."""
    barrier = threading.Barrier(len(bodies))
    secret = app.config["INTERNAL_EVENTS_SECRET"]

    def post(body: bytes):
        client = app.test_client()
        headers = signed_headers(body, secret)
        barrier.wait()
        return client.post(PATH, data=body, headers=headers)

    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        return list(pool.map(post, bodies))
