"""The demo data set under construction, and how it reaches the database.

Each area module (people, searches, follows, feed, referrals, credits) adds rows
to one `DemoData`; nothing touches the database until `write()` inserts every
table in foreign-key order inside the caller's transaction. Building in memory
first lets a later area adjust an earlier one (the referrals area moves an
invitee's sign-up to the moment the invite was accepted) and keeps the whole
seed one transaction.

Content comes from one seeded `random.Random`, so the same names, tags, posts
and amounts appear on every run; dates are offsets from the moment of seeding
(spread over the last ~90 days), so "paused until next week" stays in the future.
"""
from __future__ import annotations

import json
import random
from collections import defaultdict
from datetime import date, datetime, timedelta

from sqlalchemy import text

from ..core import clock
from ..core.extensions import db
from ..core.ids import new_id

SEED = 306  # TD-306: any constant works; changing it changes every name and number.
SPAN_DAYS = 90

# Insert order respects foreign keys (the blueprint declares few, the app relies on more).
TABLE_ORDER = (
    "app_user", "service_profile", "studio", "fansub_creator",
    "saved_search", "saved_search_alert", "notification", "follow", "feed_post", "feed_media",
    "referral_program", "referral_code", "referral_invite", "credit_ledger",
    "referral_reward", "referral_cap_use", "growth_decision",
)
# Not written here: credit_balance, which the database keeps from the ledger (migration 070's trigger).
JSON_COLUMNS = {"query_json", "media_preview"}


class DemoData:
    """Rows per table plus the shared random source and clock."""

    def __init__(self, *, seed: int = SEED, now: datetime | None = None, secret_key: str | None = None):
        self.rng = random.Random(seed)
        self.now = (now or clock.now()).replace(microsecond=0)
        self.today: date = self.now.date()
        self.secret_key = secret_key
        self.password_hash: str = ""  # one argon2 hash of DEMO_PASSWORD, shared by every demo account
        self.rows: dict[str, list[dict]] = defaultdict(list)
        # Handles the areas share: account dicts by e-mail, and lists by kind.
        self.accounts: dict[str, dict] = {}
        self.used_names: set[str] = set()
        # What happened to invites and credits after sign-up (bookings, refunds, decisions, redeems),
        # handed by the referrals area to the credits area, which replays them in time order.
        self.events: list[dict] = []
        self.notes: dict[str, list[str]] = defaultdict(list)  # which row means which state (for the report/tests)

    # -- time ---------------------------------------------------------------------
    def ago(self, days: float = 0, *, hours: float = 0, minutes: float = 0) -> datetime:
        return self.now - timedelta(days=days, hours=hours, minutes=minutes)

    def random_time(self, after: datetime | None = None, before: datetime | None = None) -> datetime:
        """A moment between `after` (default: 90 days ago) and `before` (default: now), to the second."""
        start = after or self.ago(SPAN_DAYS)
        end = before or self.now
        seconds = max(int((end - start).total_seconds()), 1)
        return start + timedelta(seconds=self.rng.randrange(seconds))

    # -- ids ----------------------------------------------------------------------
    @staticmethod
    def id_at(prefix: str, at: datetime) -> str:
        """A blueprint id whose time part is `at`, so ids sort like created_at."""
        return new_id(prefix, at_ms=int(at.timestamp() * 1000))

    # -- rows ---------------------------------------------------------------------
    def add(self, table: str, **row) -> dict:
        self.rows[table].append(row)
        return row

    def event(self, at: datetime, step: str, **details) -> None:
        """Something the credits service hears of at `at`: `step` names the service's step
        (credits.Books: booking_completed, booking_refunded, redeem, approve, reject, adjust...)."""
        self.events.append(dict(details, at=at, step=step, seq=len(self.events)))

    def counts(self) -> dict[str, int]:
        return {t: len(self.rows[t]) for t in TABLE_ORDER if self.rows.get(t)}


def write(data: DemoData) -> dict[str, int]:
    """Insert every table in FK order (executemany per table); the caller commits."""
    for table in TABLE_ORDER:
        rows = data.rows.get(table)
        if not rows:
            continue
        columns = [c for c in rows[0] if not c.startswith("_")]
        placeholders = ", ".join(f"cast(:{c} as jsonb)" if c in JSON_COLUMNS else f":{c}" for c in columns)
        statement = text(f"insert into {table} ({', '.join(columns)}) values ({placeholders})")
        params = [
            {c: (json.dumps(r[c]) if c in JSON_COLUMNS else r[c]) for c in columns}
            for r in rows
        ]
        db.session.execute(statement, params)
    return data.counts()
