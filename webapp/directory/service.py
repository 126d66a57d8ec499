"""Directory rules: the builder's state (rows, add/remove), its URL, and a search's results."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import urlencode

from flask import url_for

from ..core.taxonomy import CITIES
from . import queries
from .catalogue import MAX_CONDITIONS, Scope
from .query import GROUPS, Query, Row, canonical, check_city, describe, dumps, query_from_rows


def default_city(user_city: str | None) -> str:
    return user_city if user_city in {c.slug for c in CITIES} else CITIES[0].slug


def new_row(scope: Scope) -> Row:
    f = scope.fields[0]
    return Row(f.name, f.ops[0], "true" if f.kind == "bool" else "")


def apply_edit(rows: dict[str, list[Row]], scope: Scope, *, add: str | None, remove: str | None) -> str | None:
    """Add or remove a builder row in place (the no-JavaScript buttons and the htmx ones alike).

    Returns a message when the edit is refused.
    """
    if add in GROUPS:
        if sum(len(r) for r in rows.values()) >= MAX_CONDITIONS:
            return f"A search can have at most {MAX_CONDITIONS} conditions."
        rows[add].append(new_row(scope))
    if remove:
        group, _, index = remove.partition("-")
        if group in GROUPS and index.isdigit() and int(index) < len(rows[group]):
            del rows[group][int(index)]
    return None


def builder_args(city: str, rows: dict[str, list[Row]], *, edit: str | None = None, after: str | None = None,
                 since: date | None = None):
    """The query-string pairs that reproduce a builder (incomplete rows included).

    `since`: a day; the entries that appeared after it are marked New (an alert's new matches).
    """
    pairs = [("city", city)]
    for group in GROUPS:
        for r in rows[group]:
            pairs += [(f"{group}_field", r.field), (f"{group}_op", r.op), (f"{group}_value", r.value)]
    if edit:
        pairs.append(("edit", edit))
    if since:
        pairs.append(("since", since.isoformat()))
    if after:
        pairs.append(("after", after))
    return pairs


def new_after(since: date | None) -> datetime | None:
    """The instant after which entries are marked New: the end of the `since` day, the alert job's
    own window edge (imported here: the alerts package imports the directory)."""
    from ..alerts.matching import day_end

    return day_end(since) if since else None


def parse_since(value: str | None) -> date | None:
    """The `since` day of a directory URL; a malformed one marks nothing (the page still shows)."""
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def directory_url(scope: Scope, city: str, rows, **kwargs) -> str:
    # Each scope's page is the view of its name (views.people, views.studios); the query string
    # keeps the builder's rows in order, field/op/value by field/op/value.
    return url_for(f"directory.{scope.name}") + "?" + urlencode(builder_args(city, rows, **kwargs))


@dataclass
class Results:
    query: Query
    canonical: Query
    description: str
    count: int
    items: list[dict]
    next_cursor: str | None
    query_json: str = ""
    capped: bool = False
    following: set = field(default_factory=set)


def search(scope: Scope, city: str, rows, *, after: str | None = None, viewer_id: str | None = None) -> Results:
    """Validate the rows strictly and run the search (Invalid on bad input).

    With `viewer_id`, `following` holds the people on the page that user follows.
    """
    check_city(city)
    query = query_from_rows(rows, scope)
    canon = canonical(query)
    items, next_cursor = queries.page_of_matches(scope, city, canon, after=after, viewer_id=viewer_id)
    count = queries.count_matches(scope, city, canon)
    return Results(
        query=query, canonical=canon, description=describe(scope, city, canon), count=min(count, queries.COUNT_CAP),
        capped=count > queries.COUNT_CAP, items=items, next_cursor=next_cursor, query_json=dumps(canon),
        following={i[scope.key] for i in items if i.get("viewer_follows")},
    )


def count_sentence(scope: Scope, results: Results) -> str:
    """“3 people match”: what the status region says when a live update changes the count."""
    count = f"{results.count:,}" + ("+" if results.capped else "")
    if results.count == 1 and not results.capped:
        return f"1 {scope.noun_one} matches"
    return f"{count} {scope.noun} match"


__all__ = ["Results", "apply_edit", "builder_args", "count_sentence", "default_city", "directory_url", "new_row",
           "search"]
