"""The growth dashboard's daily rollups (migration 100): growth_daily (day × program × source ×
city: the referral funnel and the credit flow) and activity_daily (day × city: alerts, follows,
posts).

The writers keep them: a statement trigger on each fact table queues what the statement changed,
and a deferred trigger adds it to the rollups when the transaction commits, in key order. Nothing
in Python writes them, except `rebuild`, which recomputes them from the facts with the very
functions the triggers use (growth_rollups_rebuild in migration 100): after a restore, a bulk
load with triggers off, or a change to what a metric counts.
"""
from __future__ import annotations

from sqlalchemy import text

from ..core.extensions import db

GROWTH_COUNTERS = ("invites", "signups", "signups_rewarded", "rewarded", "held", "cap_hits",
                   "awarded_cents", "clawed_back_cents", "redeemed_cents")
ACTIVITY_COUNTERS = ("alerts", "alerts_emailed", "alerts_inapp", "follows", "posts_published")


def rebuild() -> dict[str, int]:
    """Recompute both rollups from the facts in one transaction; returns their row counts.

    Writers committing meanwhile wait for it (their deltas then land on the rebuilt rows); the
    dashboard goes on reading the old rows until it commits. It reads every fact row: no statement
    timeout for it."""
    # The client stops waiting DB_STATEMENT_TIMEOUT + 1 s into a statement (core/connections):
    # lifted with the server's timeout, or a rebuild at a million facts fails after 6 s.
    dbapi = db.session.connection().connection.dbapi_connection
    reply_timeout = getattr(dbapi, "reply_timeout", None)
    dbapi.reply_timeout = None
    try:
        db.session.execute(text("set local statement_timeout = 0"))
        db.session.execute(text("select growth_rollups_rebuild()"))
        counts = db.session.execute(text(
            "select (select count(*) from growth_daily), (select count(*) from activity_daily)")).one()
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    finally:
        dbapi.reply_timeout = reply_timeout
    return {"growth_daily": counts[0], "activity_daily": counts[1]}
