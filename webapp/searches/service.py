"""Saved-search rules: save once, edit, delete, pause alerts until a date, resume, e-mail alerts on or off.

Every function takes the signed-in user's id and touches only that user's rows;
a search id that isn't theirs is NotFound, exactly like a missing one (404).
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.exc import IntegrityError

from ..core import clock
from ..core.errors import Invalid, NotFound
from ..core.extensions import db
from ..core.ids import new_id
from ..directory.catalogue import MAX_QUERY_BYTES, Scope
from ..directory.queries import COUNT_CAP, count_matches
from ..directory.query import Query, canonical_json, check_city, describe, get_scope, parse_json
from . import queries

MAX_NAME = 80
MAX_PAUSE_DAYS = 366  # a pause runs to a day at most this many days ahead (the date picker's max)


@dataclass
class SaveOutcome:
    search: dict
    created: bool          # False: an equal search already existed and nothing was saved
    updated: bool = False


def get(user_id: str, search_id: str, *, scope: str | None = None) -> dict:
    """The user's own search (of `scope`, when given); NotFound otherwise."""
    search = queries.get_search(user_id, search_id)
    if search is None or (scope and search["scope"] != scope):
        raise NotFound(search_id)
    return search


def _clean_name(name: str | None) -> str | None:
    name = " ".join((name or "").split())
    if len(name) > MAX_NAME:
        raise Invalid(fields={"name": f"Keep the name to {MAX_NAME} characters or fewer."})
    return name or None


def _prepare(scope_name: str, city: str, query_json) -> tuple[str, str, dict]:
    """Validate everything before anything is written (Invalid on bad input)."""
    if isinstance(query_json, str) and len(query_json.encode()) > MAX_QUERY_BYTES:
        parse_json(query_json, get_scope(scope_name))  # raises the size message
    scope = get_scope(scope_name)
    check_city(city)
    return scope.name, city, canonical_json(query_json if query_json not in (None, "") else "{}", scope)


def _index_for_alerts(search_id: str, scope: str, city: str, canon: dict) -> None:
    """The search's row of the alert index, in this transaction (webapp/alerts/matching.py).
    Imported here: the alerts package reads the directory's catalogue, which imports this module."""
    from ..alerts.queries import index_search

    index_search(search_id, scope, city, canon)


def save(user_id: str, *, scope: str, city: str, query_json, name: str | None = None) -> SaveOutcome:
    scope, city, canon = _prepare(scope, city, query_json)
    name = _clean_name(name)
    existing = queries.find_equal(user_id, scope, city, canon)
    if existing:
        return SaveOutcome(dict(existing), created=False)
    search_id = new_id("ssv")
    try:
        queries.insert_search(search_id=search_id, user_id=user_id, scope=scope, city=city, query_json=canon, name=name)
        _index_for_alerts(search_id, scope, city, canon)
        db.session.commit()
    except IntegrityError:  # the same search saved twice at the same moment (double click)
        db.session.rollback()
        existing = queries.find_equal(user_id, scope, city, canon)
        if existing is None:
            raise
        return SaveOutcome(dict(existing), created=False)
    return SaveOutcome(dict(queries.get_search(user_id, search_id)), created=True)


def update(user_id: str, search_id: str, *, city: str, query_json, name: str | None = None) -> SaveOutcome:
    current = get(user_id, search_id)
    scope, city, canon = _prepare(current["scope"], city, query_json)
    name = _clean_name(name)
    other = queries.find_equal(user_id, scope, city, canon, except_id=search_id)
    if other:
        return SaveOutcome(dict(other), created=False)
    try:
        queries.update_search(search_id=search_id, user_id=user_id, city=city, query_json=canon, name=name)
        _index_for_alerts(search_id, scope, city, canon)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        other = queries.find_equal(user_id, scope, city, canon, except_id=search_id)
        if other is None:
            raise
        return SaveOutcome(dict(other), created=False)
    return SaveOutcome(dict(queries.get_search(user_id, search_id)), created=False, updated=True)


def delete(user_id: str, search_id: str) -> None:
    if not queries.delete_search(user_id, search_id):
        raise NotFound(search_id)
    db.session.commit()


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


QUICK_PAUSES = {"week": ("a week", lambda d: d + timedelta(days=7)), "month": ("a month", lambda d: add_months(d, 1))}


def pause_bounds(on: date | None = None) -> tuple[date, date]:
    """The first and last day a pause may run to: today (paused for the rest of it) and
    MAX_PAUSE_DAYS ahead. The date picker's min and max say the same."""
    on = on or clock.today()
    return on, on + timedelta(days=MAX_PAUSE_DAYS)


def pause_date(*, until: str | None, quick: str | None, on: date | None = None) -> date:
    """The date a pause runs to (inclusive): a quick pick or a date; never in the past."""
    on = on or clock.today()
    first, last = pause_bounds(on)
    if quick:
        if quick not in QUICK_PAUSES:
            raise Invalid(f"“{quick}” is not a pause length: choose a week, a month or a date.")
        return QUICK_PAUSES[quick][1](on)
    if not until:
        raise Invalid(fields={"until": "Choose the date alerts should pause until."})
    try:
        day = date.fromisoformat(until.strip())
    except ValueError as exc:
        raise Invalid(fields={"until": f"“{until.strip()}” is not a date: use the date picker"
                                       f" (year-month-day, such as {first.isoformat()})."}) from exc
    if day < first:
        raise Invalid(fields={"until": f"{day:%-d %b %Y} is in the past: choose {first:%-d %b %Y} or a later date."})
    if day > last:
        raise Invalid(fields={"until": f"A pause lasts at most {MAX_PAUSE_DAYS} days: choose"
                                       f" {last:%-d %b %Y} or an earlier date."})
    return day


def pause(user_id: str, search_id: str, until: date) -> dict:
    if not queries.set_paused_until(user_id, search_id, until):
        raise NotFound(search_id)
    db.session.commit()
    return dict(queries.get_search(user_id, search_id))


def resume(user_id: str, search_id: str) -> dict:
    if not queries.set_paused_until(user_id, search_id, None):
        raise NotFound(search_id)
    db.session.commit()
    return dict(queries.get_search(user_id, search_id))


EMAIL_CHOICES = {"on": True, "off": False}


def set_email_alerts(user_id: str, search_id: str, choice: str | None) -> dict:
    """E-mail alerts "on" or "off" for one search (its in-app notifications come either way)."""
    if choice not in EMAIL_CHOICES:
        raise Invalid("Choose whether to e-mail this search's alerts: on or off.")
    if not queries.set_email_alerts(user_id, search_id, EMAIL_CHOICES[choice]):
        raise NotFound(search_id)
    db.session.commit()
    return dict(queries.get_search(user_id, search_id))


def is_paused(search, on: date | None = None) -> bool:
    """Paused on a day when paused_until is that day or later (the alert job skips it)."""
    on = on or clock.today()
    return search["paused_until"] is not None and search["paused_until"] >= on


def _parsed(search) -> tuple[Scope, Query | None]:
    """The search's scope and query; no query when it uses a field since removed from the catalogue."""
    scope = get_scope(search["scope"])
    try:
        return scope, parse_json(search["query_json"], scope)
    except Invalid:
        return scope, None


# A search's row shows its last few alerts; its history page the last HISTORY_MAX (older ones
# stay in the table, but a page never reads an unbounded history).
HISTORY_SHOWN = 5
HISTORY_MAX = 100


def card(search, *, with_count: bool = True) -> dict:
    """What the list shows for one search: description, state, current matches, last alerts."""
    scope, query = _parsed(search)
    count = count_matches(scope, search["city"], query) if with_count and query is not None else None
    history = queries.alert_histories(search["user_id"], [search["search_id"]], HISTORY_SHOWN + 1)
    return _card(search, scope, query, count, history.get(search["search_id"], []))


def cards(searches) -> list[dict]:
    """The list's cards; the match counts of all of them come from one statement, their alert
    histories from another."""
    parsed = [(search, *_parsed(search)) for search in searches]
    counted = [(scope, s["city"], query) for s, scope, query in parsed if query is not None]
    counts = iter(queries.match_counts(counted, COUNT_CAP))
    histories = queries.alert_histories(searches[0]["user_id"], [s["search_id"] for s in searches],
                                        HISTORY_SHOWN + 1) if searches else {}
    return [_card(s, scope, query, None if query is None else next(counts), histories.get(s["search_id"], []))
            for s, scope, query in parsed]


def shortcuts(searches) -> list[dict]:
    """Searches as links to their current matches (the side panel): name or description, paused or
    not, no counts, no alert history."""
    from ..directory.query import rows_from_query
    from ..directory.service import directory_url

    links = []
    for search in searches:
        scope, query = _parsed(search)
        if query is not None:  # a search on a removed field has no matches page (its card says so)
            links.append(dict(search_id=search["search_id"], paused=is_paused(search),
                              label=search["name"] or describe(scope, search["city"], query),
                              url=directory_url(scope, search["city"], rows_from_query(query, scope))))
    return links


def alert_history(user_id: str, search_id: str) -> tuple[dict, list[dict]]:
    """The user's search and its newest HISTORY_MAX alerts (NotFound for someone else's)."""
    search = get(user_id, search_id)
    return dict(search), queries.alert_history(user_id, search_id, HISTORY_MAX)


def _card(search, scope: Scope, query: Query | None, count: int | None, alerts: list[dict]) -> dict:
    from ..directory.query import rows_from_query
    from ..directory.service import directory_url

    if query is None:  # still listed, editable, deletable
        description = "This search uses a filter that no longer exists: edit it."
    else:
        description = describe(scope, search["city"], query)
    today = clock.today()
    return dict(
        search=search, scope=scope, description=description,
        matches_url=None if query is None else directory_url(scope, search["city"], rows_from_query(query, scope)),
        count=None if count is None else min(count, COUNT_CAP), capped=count is not None and count > COUNT_CAP,
        paused=is_paused(search, today), today=today,
        pause_min=pause_bounds(today)[0], pause_max=pause_bounds(today)[1],
        quick=[(key, label, fn(today)) for key, (label, fn) in QUICK_PAUSES.items()],
        alerts=alerts[:HISTORY_SHOWN], more_alerts=len(alerts) > HISTORY_SHOWN,
    )


__all__ = ["SaveOutcome", "alert_history", "card", "cards", "delete", "get", "pause", "pause_bounds", "pause_date",
           "resume", "save", "set_email_alerts", "shortcuts", "update"]
