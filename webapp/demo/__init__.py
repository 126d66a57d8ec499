"""Demo data: believable accounts, profiles, posts, searches, invites and credits.

One module per area builds its rows (people, referrals, searches, follows,
feed, credits); `base.write` inserts them all in one transaction. A later
feature extends the demo by adding to its own area module.
"""
from __future__ import annotations

from flask import current_app

from ..core.extensions import db
from ..core.security import hash_password
from . import base, credits, feed, follows, people, referrals, searches
from .people import DEMO_ACCOUNTS

DEMO_PASSWORD = "growthdesk-demo"


def demo_accounts() -> list[str]:
    return [email for email, _, _ in DEMO_ACCOUNTS]


def build_demo(*, secret_key: str, now=None) -> base.DemoData:
    """The whole demo data set in memory (no database access)."""
    data = base.DemoData(now=now, secret_key=secret_key)
    data.password_hash = hash_password(DEMO_PASSWORD)  # once: every demo account shares the password
    people.seed_accounts(data)
    referrals.seed_referrals(data)  # before the feed: invitees who joined as providers post too
    searches.seed_searches(data)
    follows.seed_follows(data)
    feed.seed_feed(data)
    credits.seed_credits(data)
    return data


def seed_demo() -> dict[str, int]:
    """Insert the demo data set in one transaction; returns row counts per table."""
    data = build_demo(secret_key=current_app.config["SECRET_KEY"])
    try:
        counts = base.write(data)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return counts
