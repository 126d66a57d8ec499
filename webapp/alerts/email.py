"""The alert e-mail (issue 13, point 5): one per saved_search_alert, sent at most once as far as
the database can know, through the product's mail path (webapp/mail: SMTP_URL, or the development
outbox at /dev/outbox).

`send_alert_email(alert_id)` builds the message (multipart/alternative: plain text and HTML),
hands it to the mail server and, only after the server accepted it, sets
saved_search_alert.email_sent in a statement of its own. Its Message-ID is derived from the alert
id, so the one mail a crash can repeat (accepted, then the process died before the flag was
written) reaches the mailbox under the same id and mail clients drop the copy.

Text only: directory entries (service_profile, studio) carry no media at all, and the e-mail
shows names, tags, cities and links, never a picture; band 1 or 2 media cannot reach it.
"""
from __future__ import annotations

import enum
import logging
from email.utils import parseaddr

from flask import render_template
from sqlalchemy import desc

from ..core.errors import Invalid
from ..core.extensions import db
from ..core.taxonomy import city_name, tag_label
from ..core.urls import PROFILE_PAGES, absolute_path, absolute_url, path_building_context
from ..directory.compiler import match_select, scope_table
from ..directory.query import get_scope, parse_json, rows_from_query
from ..directory.service import directory_url
from ..mail.sender import DEFAULT_FROM, DeliveryError, build_message, send
from . import links, queries
from .matching import TOP_MATCHES, day_end
from .wording import alert_title, search_label

log = logging.getLogger(__name__)

# What a match shows of itself: its name and the tags that say what it is.
SHOWN = {
    "people": dict(kind="service_profile", name="display_name", tags="role_tags"),
    "studios": dict(kind="studio", name="name", tags="amenity_tags"),
}


def message_id(alert_id: str) -> str:
    """The alert e-mail's Message-ID: the same for every attempt at one alert."""
    domain = parseaddr(DEFAULT_FROM)[1].rpartition("@")[2]
    return f"<alert-{alert_id.replace('_', '-')}@{domain}>"


class Sent(enum.Enum):
    """What became of one attempt at an alert's e-mail."""
    SENT = "sent"          # the mail server accepted it, now or on an earlier attempt (email_sent is true)
    REFUSED = "refused"    # the server refused or could not be reached: nothing recorded, try again later
    BUSY = "busy"          # another process is sending it right now
    SKIPPED = "skipped"    # nothing to send: no such alert, or e-mail is off for its search


def send_alert_email(alert_id: str) -> Sent:
    """Send the e-mail of alert `alert_id`, at most once as far as the database can know.

    Only a SENT alert has email_sent; REFUSED is logged and left for the next run or the queue's
    retry. An alert whose search has e-mail off is SKIPPED (the job asks only for searches with
    e-mail on; switched off since, the alert stays unmailed, in-app only)."""
    with db.engine.connect() as conn:
        # Each statement commits on its own: no transaction is open while the SMTP server talks.
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        if not queries.try_lock_alert(conn, alert_id):
            log.info("alert %s: its e-mail is being sent by another process", alert_id)
            return Sent.BUSY
        try:
            return _send_locked(conn, alert_id)
        finally:
            queries.unlock_alert(conn, alert_id)


def _send_locked(conn, alert_id: str) -> Sent:
    alert = queries.alert_to_email(conn, alert_id)
    if alert is None:
        log.warning("alert %s: no such alert, no e-mail", alert_id)
        return Sent.SKIPPED
    if alert["email_sent"]:
        return Sent.SENT
    if not alert["email_alerts"]:
        log.info("alert %s: e-mail is off for search %s", alert_id, alert["search_id"])
        return Sent.SKIPPED
    with path_building_context():
        message = build(alert, top_matches(conn, alert))
    try:
        send(message)
    except DeliveryError as exc:
        # The server's answer can name the recipient: the log gets the kind of failure only.
        log.warning("alert %s: e-mail not delivered (%s); it is tried again later",
                    alert_id, type(exc.__cause__ or exc).__name__)
        return Sent.REFUSED
    queries.mark_email_sent(conn, alert_id)
    return Sent.SENT


def _window_start(alert):
    """Where the alert's window began: the end of the search's alert before it, else its creation."""
    if alert["previous_alert_dt"] is not None:
        return day_end(alert["previous_alert_dt"])
    return alert["search_created_at"]


def top_matches(conn, alert) -> list[dict]:
    """The newest matches (at most TOP_MATCHES) of the alert's window, as the e-mail lists them."""
    scope = get_scope(alert["scope"])
    try:
        query = parse_json(alert["query_json"], scope)
    except Invalid:  # a field since removed from the catalogue: the search matches nothing now
        return []
    shown = SHOWN[scope.name]
    t = scope_table(scope)
    key = t.c[scope.key]
    statement = (match_select(scope, alert["city"], query, key.label("id"), t.c[shown["name"]].label("name"),
                              t.c[shown["tags"]].label("tags"), t.c.city,
                              created_after=_window_start(alert), created_until=day_end(alert["alert_dt"]))
                 .order_by(desc(t.c.created_at), desc(key)).limit(TOP_MATCHES))
    endpoint, argument = PROFILE_PAGES[shown["kind"]]
    return [dict(name=row["name"], tags=[tag_label(tag) for tag in row["tags"]], city=city_name(row["city"]),
                 link=absolute_url(endpoint, **{argument: row["id"]}))
            for row in queries.newest_matches(conn, statement)]


def build(alert, matches: list[dict]):
    """The alert's message: subject, both parts, the one-click unsubscribe headers, a stable Message-ID."""
    scope = get_scope(alert["scope"])
    unsubscribe = absolute_url("alerts.unsubscribe", token=links.token_for("unsubscribe", alert["search_id"]))
    pause = absolute_url("alerts.pause", token=links.token_for("pause", alert["search_id"]))
    try:
        rows = rows_from_query(parse_json(alert["query_json"], scope), scope)
        all_matches = absolute_path(directory_url(scope, alert["city"], rows))
    except Invalid:
        all_matches = absolute_url("searches.index")
    context = dict(
        title=alert_title(alert, alert["match_count"]), name=" ".join(alert["display_name"].split()),
        search=search_label(alert), count=alert["match_count"], matches=matches,
        more=max(0, alert["match_count"] - len(matches)), all_matches=all_matches,
        searches=absolute_url("searches.index"), unsubscribe=unsubscribe, pause=pause,
        day=alert["alert_dt"],
    )
    return build_message(
        to=alert["email"], subject=context["title"],
        text=render_template("alerts/email/alert.txt", **context),
        html=render_template("alerts/email/alert.html", **context),
        headers={"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                 "Auto-Submitted": "auto-generated"},
        message_id=message_id(alert["alert_id"]),
    )
