"""What the alert tests share: a day D, searches saved a month before it, photographers who join on D,
and the directory fixtures (profiles, studios)."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from tests.directory.conftest import make_profile, make_studio  # noqa: F401
from webapp.core.extensions import db
from webapp.directory.query import Condition, Query
from webapp.searches import service as searches

D = date(2026, 3, 18)
PHOTOGRAPHERS = Query(all=(Condition("role_tags", "has", "photographer"),))


def noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


@pytest.fixture
def inbox(smtp_server):
    """Alert e-mails go to a real SMTP server (the users' e-mail alerts are on by default)."""
    return smtp_server


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield
        db.session.remove()


@pytest.fixture
def save(ctx, make_user, db_conn):
    """save(name, city=…, query=…, paused_until=…) -> search_id: a search saved through the searches
    service a month before D."""

    def make(name: str | None, *, city: str = "berlin", query: Query = PHOTOGRAPHERS, paused_until=None) -> str:
        user = make_user()
        search_id = searches.save(user["user_id"], scope="people", city=city, query_json=query.as_json(),
                                  name=name).search["search_id"]
        db_conn.execute("update saved_search set created_at = %s, paused_until = %s where search_id = %s",
                        (noon(D - timedelta(days=30)), paused_until, search_id))
        return search_id

    return make


@pytest.fixture
def photographers(make_profile):  # noqa: F811 (the directory fixture, imported above)
    """photographers(city, n): n photographers who joined on D."""

    def make(city: str, n: int) -> None:
        for k in range(n):
            make_profile(f"Pat {city} {k}", city=city, roles=("photographer",),
                         created_at=noon(D) + timedelta(minutes=k))

    return make


def alerts(db_conn) -> dict[str, tuple[date, int]]:
    return {r[0]: (r[1], r[2]) for r in db_conn.execute(
        "select search_id, alert_dt, match_count from saved_search_alert order by search_id")}


def notifications(db_conn) -> list[tuple]:
    """(search_id, user_id, title, the alert's inapp_created) of every notification."""
    return db_conn.execute(
        "select a.search_id, n.user_id, n.title, a.inapp_created from notification n"
        " join saved_search_alert a using (alert_id) order by a.search_id").fetchall()


def counts(db_conn) -> tuple[int, int]:
    return db_conn.execute("select (select count(*) from saved_search_alert), (select count(*) from notification)"
                           ).fetchone()


@pytest.fixture
def five_searches(save, photographers):
    """Five searches in five cities, with 1 to 5 new photographers on D."""
    cities = ["berlin", "paris", "milan", "london", "lyon"]
    ids = {}
    for n, city in enumerate(cities, start=1):
        ids[save(f"Shoots {n}", city=city)] = n
        photographers(city, n)
    return ids
