"""Reader links (issue 14): a signed, expiring, read-only link to the growth overview with one fixed
filter, for people outside the growth team. The growth team makes them at /growth/readers and can
revoke them there; whoever holds one sees that one view at /shared/growth/<token>, and nothing else.

The token is the link's id signed with itsdangerous under a salt of its own (as the alert e-mail's
links, webapp/alerts/links.py), so no other signed value of ours is a reader token. It carries no
expiry of its own: the row does (expires_at, revoked_at), so a link can end early and the page can
say it has expired. What the link shows is the row's filters, never the query string's.
(docs/security.md, "Reader links"; docs/decisions.md, "Growth dashboard — exports and reader links".)
"""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta

from flask import current_app
from itsdangerous import BadData, URLSafeSerializer
from sqlalchemy import text

from ..core import clock, reads
from ..core.errors import Invalid, NotFound
from ..core.extensions import db
from ..core.ids import new_id
from .forms import parse_filters
from .model import Filters

SALT = "growthdesk/reporting/reader-link/v1"
MAX_TOKEN = 200     # a link id signed is about 70 characters: anything far longer is not ours
MAX_LABEL = 80
MAX_DAYS = 90       # a link lives at most a quarter: long enough to share a review, short enough to forget
DEFAULT_DAYS = 30


class BadLink(Exception):
    """Not a reader link we made (tampered, cut short, or another kind of signed token): 400."""


class Expired(Exception):
    """A link we made whose time is up: 410, with a page that says so."""

    def __init__(self, link: dict):
        self.link = link
        super().__init__(link["link_id"])


def _serializer() -> URLSafeSerializer:
    # Signed with the last key, accepted under every one: SECRET_KEY rotates as sessions do.
    keys = [*(current_app.config.get("SECRET_KEY_FALLBACKS") or ()), current_app.config["SECRET_KEY"]]
    return URLSafeSerializer(keys, salt=SALT)


def token_for(link_id: str) -> str:
    return _serializer().dumps(link_id)


def link_id_of(token: str) -> str | None:
    """The link id a token was signed for, or None when it is not a reader token of ours."""
    if not token or len(token) > MAX_TOKEN:
        return None
    try:
        value = _serializer().loads(token)
    except BadData:
        return None
    return value if isinstance(value, str) else None


def filters_of(link: dict, today: date) -> Filters:
    """The view a link fixes: its stored query args (a preset rolls on with today, as the page's)."""
    return parse_filters(link["filters"], today)


def open_link(token: str) -> dict:
    """The link a token names, if it still works; BadLink, NotFound (unknown or revoked) or Expired."""
    link_id = link_id_of(token)
    if link_id is None:
        raise BadLink(token)
    link = reads.first("select link_id, label, filters, created_at, expires_at, revoked_at"
                       " from reader_link where link_id = %(link_id)s", {"link_id": link_id})
    if link is None or link["revoked_at"] is not None:
        raise NotFound(link_id)
    if link["expires_at"] <= clock.now():
        raise Expired(link)
    return link


# --- the growth team's side -----------------------------------------------------------------------

def create(created_by: str, label: str, days: int, filters: Filters) -> str:
    """A new link showing `filters`, working for `days` days from now; returns its id. Commits."""
    label = " ".join((label or "").split())
    if not label:
        raise Invalid(fields={"label": "Give the link a name, so you know later whom it was for."})
    if len(label) > MAX_LABEL:
        raise Invalid(fields={"label": f"At most {MAX_LABEL} characters (this has {len(label)})."})
    if not 1 <= days <= MAX_DAYS:
        raise Invalid(fields={"days": f"Between 1 and {MAX_DAYS} days."})
    link_id = new_id("rdl")
    now = clock.now()
    db.session.execute(text(
        "insert into reader_link (link_id, label, filters, created_by, created_at, expires_at)"
        " values (:link_id, :label, cast(:filters as jsonb), :created_by, :now, :expires_at)"),
        {"link_id": link_id, "label": label, "filters": json.dumps(filters.query_args()),
         "created_by": created_by, "now": now, "expires_at": now + timedelta(days=days)})
    db.session.commit()
    return link_id


def revoke(link_id: str) -> dict:
    """End a link now (revoking one already revoked keeps the first time); NotFound for no such link."""
    row = db.session.execute(text(
        "update reader_link set revoked_at = coalesce(revoked_at, :now) where link_id = :link_id"
        " returning link_id, label"), {"link_id": link_id, "now": clock.now()}).mappings().first()
    if row is None:
        db.session.rollback()
        raise NotFound(link_id)
    db.session.commit()
    return dict(row)


def links() -> list[dict]:
    """Every link, newest first, with who made it and whether it still works (`state`)."""
    found = reads.rows("select l.link_id, l.label, l.filters, l.created_at, l.expires_at, l.revoked_at,"
                       "       coalesce(u.display_name, 'a former team member') as created_by_name"
                       "  from reader_link l left join app_user u on u.user_id = l.created_by"
                       " order by l.created_at desc, l.link_id desc limit 200")
    now = clock.now()
    for link in found:
        link["state"] = state(link, now)
    return found


def state(link: dict, now: datetime) -> str:
    if link["revoked_at"] is not None:
        return "revoked"
    return "expired" if link["expires_at"] <= now else "active"
