"""Saved searches, their alerts and notifications written straight to the database: the alert
job (webapp/alerts) is not what these tests are about."""
import itertools
import json
from datetime import UTC, date, datetime, time, timedelta

from webapp.core.ids import new_id

_rates = itertools.count(1)
PHOTOGRAPHERS = {"all": [{"field": "role_tags", "op": "has", "value": "photographer"}], "any": []}


def make_search(conn, user_id, *, query=None, city="berlin", scope="people", name=None,
                created_at: datetime | None = None) -> str:
    search_id = new_id("ssv")
    conn.execute("insert into saved_search (search_id, user_id, scope, city, query_json, name, created_at)"
                 " values (%s, %s, %s, %s, %s, %s, coalesce(%s, now()))",
                 (search_id, user_id, scope, city, json.dumps(query or PHOTOGRAPHERS), name, created_at))
    return search_id


def make_alert(conn, search_id, day: date, *, count=3, email_sent=False, inapp_created=True) -> str:
    alert_id = new_id("ssa")
    conn.execute("insert into saved_search_alert (alert_id, search_id, alert_dt, match_count, email_sent,"
                 " inapp_created) values (%s, %s, %s, %s, %s, %s)",
                 (alert_id, search_id, day, count, email_sent, inapp_created))
    conn.execute("update saved_search set last_alert_dt = greatest(last_alert_dt, %s) where search_id = %s",
                 (day, search_id))
    return alert_id


def make_notification(conn, user_id, alert_id=None, *, title="3 new photographers in Berlin",
                      created_at: datetime | None = None, read=False) -> str:
    notification_id = new_id("ntf")
    conn.execute("insert into notification (notification_id, user_id, kind, alert_id, title, created_at, read_at)"
                 " values (%s, %s, 'search_alert', %s, %s, coalesce(%s, now()), case when %s then now() end)",
                 (notification_id, user_id, alert_id, title, created_at, read))
    return notification_id


def alerted(conn, user_id, day: date, **kwargs) -> str:
    """A search of the user alerted on `day`, and its notification; returns the notification id."""
    # Each its own search: a user holds one search once (uq_saved_search_user_query).
    query = {"all": [*PHOTOGRAPHERS["all"], {"field": "rate_cents", "op": "lte", "value": 10000 + next(_rates)}],
             "any": []}
    search_id = make_search(conn, user_id, query=query)
    return make_notification(conn, user_id, make_alert(conn, search_id, day), **kwargs)


def at(day: date, hour=12) -> datetime:
    return datetime.combine(day, time(hour), UTC)


def many_unread(conn, user_id, n: int) -> None:
    """n unread notifications in one statement (no alert behind them: the count is what matters)."""
    conn.execute("insert into notification (notification_id, user_id, kind, title, created_at)"
                 " select 'ntf_' || lpad(g::text, 20, '0'), %s, 'search_alert', 'New matches',"
                 " now() - g * interval '1 minute' from generate_series(1, %s) g", (user_id, n))


__all__ = ["PHOTOGRAPHERS", "alerted", "at", "make_alert", "make_notification", "make_search", "many_unread",
           "timedelta"]
