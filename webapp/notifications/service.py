"""Notification rules: the user's own only (someone else's is NotFound, a 404), newest first,
opening one marks it read and leads to its search's new matches."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from ..core import keyset
from ..core.errors import Invalid, NotFound
from ..core.extensions import db
from ..directory.query import get_scope, parse_json, rows_from_query
from ..directory.service import directory_url
from . import queries

PAGE_SIZE = 30


def decode_cursor(value: str | None) -> tuple[datetime, str] | None:
    return keyset.decode(value, ("ntf_",), "That page link is broken. Start again from the newest notification.")


def page(user_id: str, after: tuple[datetime, str] | None) -> tuple[list[dict], str | None]:
    """A page of the user's notifications, newest first, and the cursor of the next (None on the last)."""
    rows = queries.page(user_id, after=after, limit=PAGE_SIZE + 1)
    return keyset.split_page(rows, PAGE_SIZE, "notification_id")


def new_since(previous_alert_dt: date | None, search_created_at: datetime) -> date:
    """The day after which an alert's matches count as new: the search's alert before it, or, for
    its first alert, the day before the search was saved (the directory marks whole days; an entry
    of the saving day itself may be marked too, which errs on showing, never on hiding)."""
    if previous_alert_dt is not None:
        return previous_alert_dt
    return search_created_at.astimezone(UTC).date() - timedelta(days=1)


def open_(user_id: str, notification_id: str) -> str:
    """Mark the notification read and return where it leads: the directory with its search
    applied and the entries new since the alert before it marked."""
    row = queries.target(user_id, notification_id)
    if row is None:
        raise NotFound(notification_id)
    queries.mark_read(user_id, notification_id)
    db.session.commit()
    if row["search_id"] is None:  # no other kind yet; a notification without a search opens the list
        return ""
    scope = get_scope(row["scope"])
    try:
        rows = rows_from_query(parse_json(row["query_json"], scope), scope)
    except Invalid:  # a field since removed from the catalogue: the directory without its rows
        rows = {"all": [], "any": []}
    return directory_url(scope, row["city"], rows,
                         since=new_since(row["previous_alert_dt"], row["search_created_at"]))


def mark_read(user_id: str, notification_id: str) -> None:
    if not queries.mark_read(user_id, notification_id):
        raise NotFound(notification_id)
    db.session.commit()


def mark_all_read(user_id: str) -> int:
    count = queries.mark_all_read(user_id)
    db.session.commit()
    return count
