"""The one clock: the current moment and today's date, both in UTC.

Every date rule (pauses run to a day inclusive, the daily alert run, "this week"
on the dashboard) is judged by the UTC date, as docs/decisions.md says; SQL gets
the date as a parameter from here rather than reading `current_date`, whose
answer depends on the session's time zone. Tests pin it with the `frozen_today`
fixture (tests/conftest.py), which replaces `now`.
"""
from __future__ import annotations

from datetime import UTC, date, datetime


def now() -> datetime:
    """The current moment, time-zone aware, in UTC."""
    return datetime.now(UTC)


def today() -> date:
    """Today's date in UTC."""
    return now().date()
