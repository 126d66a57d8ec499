"""SQL for notifications. Every read and write is scoped to the owner's user_id."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import text

from ..accounts.user import UNREAD_CAP
from ..core import reads
from ..core.extensions import db

# The page takes its LIMIT on idx_notification_user_recent first, then looks up each row's alert,
# its search and the alert before it (the unique (search_id, alert_dt) index answers that max).
_PAGE = """
select n.notification_id, n.kind, n.title, n.created_at, n.read_at,
       a.search_id, a.alert_dt, a.match_count, s.scope, s.city, s.name as search_name,
       s.created_at as search_created_at,
       (select max(p.alert_dt) from saved_search_alert p
         where p.search_id = a.search_id and p.alert_dt < a.alert_dt) as previous_alert_dt
from (select notification_id, kind, title, created_at, read_at, alert_id from notification
       where user_id = %(u)s {after}
       order by created_at desc, notification_id desc limit %(limit)s) n
left join saved_search_alert a on a.alert_id = n.alert_id
left join saved_search s on s.search_id = a.search_id
order by n.created_at desc, n.notification_id desc
"""


def page(user_id: str, *, after: tuple[datetime, str] | None, limit: int) -> list[dict]:
    """Up to `limit` of the user's notifications, newest first, after the cursor (core/keyset.py)."""
    params = {"u": user_id, "limit": limit}
    condition = ""
    if after:
        condition = "and (created_at, notification_id) < (%(after_at)s, %(after_id)s)"
        params.update(after_at=after[0], after_id=after[1])
    return reads.rows(_PAGE.format(after=condition), params)


def unread_count(user_id: str) -> int:
    """Unread, counted up to UNREAD_CAP on the partial index (the header shows "99+" beyond)."""
    return reads.scalar(f"select count(*) from (select 1 from notification where user_id = %(u)s"
                        f" and read_at is null limit {UNREAD_CAP}) unread", {"u": user_id})


def target(user_id: str, notification_id: str):
    """What opening the user's notification leads to: its search and the alert's days."""
    return db.session.execute(text(
        "select n.notification_id, a.search_id, a.alert_dt, s.scope, s.city, s.query_json,"
        " s.created_at as search_created_at,"
        " (select max(p.alert_dt) from saved_search_alert p"
        "   where p.search_id = a.search_id and p.alert_dt < a.alert_dt) as previous_alert_dt"
        " from notification n left join saved_search_alert a on a.alert_id = n.alert_id"
        " left join saved_search s on s.search_id = a.search_id"
        " where n.notification_id = :id and n.user_id = :u"), {"id": notification_id, "u": user_id}).mappings().first()


def mark_read(user_id: str, notification_id: str) -> int:
    """1 when the notification is the user's (already read keeps its first read_at), else 0."""
    return db.session.execute(text(
        "update notification set read_at = coalesce(read_at, now())"
        " where notification_id = :id and user_id = :u"), {"id": notification_id, "u": user_id}).rowcount


def mark_all_read(user_id: str) -> int:
    return db.session.execute(text(
        "update notification set read_at = now() where user_id = :u and read_at is null"), {"u": user_id}).rowcount


def get_row(user_id: str, notification_id: str) -> dict | None:
    """One notification as the list draws it (after a change, read outside the transaction)."""
    rows = reads.rows(_PAGE.format(after="and notification_id = %(id)s"),
                      {"u": user_id, "limit": 1, "id": notification_id})
    return rows[0] if rows else None
