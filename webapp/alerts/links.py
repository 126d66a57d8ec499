"""The alert e-mail's signed links: switch e-mail off for one search, or pause it for a week.

A token is the search id signed with itsdangerous (URLSafeSerializer, no timestamp: a link in an
old e-mail must keep working, RFC 8058 asks for it and people unsubscribe from mail months old),
under a salt per action, so an unsubscribe token can never be used as a pause token or as anything
else signed with SECRET_KEY (sessions, CSRF tokens). Keys rotate as sessions do: signed with
SECRET_KEY, accepted under SECRET_KEY_FALLBACKS too.
"""
from __future__ import annotations

from flask import current_app
from itsdangerous import BadData, URLSafeSerializer

from ..core.errors import NotFound

SALTS = {
    "unsubscribe": "growthdesk/alerts/unsubscribe/v1",
    "pause": "growthdesk/alerts/pause/v1",
}
MAX_TOKEN = 200  # a search id signed is about 70 characters: anything far longer is not ours


def _serializer(action: str) -> URLSafeSerializer:
    # itsdangerous signs with the last key and accepts every one of them, as Flask's sessions do.
    keys = [*(current_app.config.get("SECRET_KEY_FALLBACKS") or ()), current_app.config["SECRET_KEY"]]
    return URLSafeSerializer(keys, salt=SALTS[action])


def token_for(action: str, search_id: str) -> str:
    """The token of `action` ("unsubscribe" or "pause") for one saved search."""
    return _serializer(action).dumps(search_id)


def search_id_of(action: str, token: str) -> str | None:
    """The search id a token of `action` was signed for, or None when it is not one of ours."""
    if not token or len(token) > MAX_TOKEN:
        return None
    try:
        value = _serializer(action).loads(token)
    except BadData:  # a bad signature, or (never without our key) a payload that is not JSON
        return None
    return value if isinstance(value, str) else None


class BadLink(Exception):
    """Not a link we made (tampered, cut short when copied, or for another action): 400."""


def search_of(action: str, token: str) -> dict:
    """The saved search (with its owner) a link of `action` names; BadLink or NotFound (the search has
    been deleted since the e-mail) otherwise. Nothing is changed."""
    from ..searches import service as searches
    from ..searches.queries import owner_of

    search_id = search_id_of(action, token)
    if search_id is None:
        raise BadLink(action)
    owner = owner_of(search_id)
    if owner is None:
        raise NotFound(search_id)
    return searches.get(owner, search_id)


def email_off(search: dict) -> dict:
    """What the unsubscribe link does: no more e-mails for this search (its in-app alerts go on)."""
    from ..searches import service as searches

    return searches.set_email_alerts(search["user_id"], search["search_id"], "off")


def pause_for_a_week(search: dict) -> dict:
    """What the pause link does: no alerts for this search for a week from today, as /searches's
    "For a week" button (a later pause already set is kept: the link never shortens one)."""
    from ..searches import service as searches

    until = searches.pause_date(until=None, quick="week")
    if search["paused_until"] is not None and search["paused_until"] >= until:
        return search
    return searches.pause(search["user_id"], search["search_id"], until)
