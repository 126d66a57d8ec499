"""How an alert is named: the e-mail's subject (and the notification's title, when the job uses it).

"3 new photographers in Berlin for ‘Editorial shoots’": the count, who (the search's one required
role, else the directory's noun), the city, and the search's name (else its description).
"""
from __future__ import annotations

from ..core.errors import Invalid
from ..core.taxonomy import city_name, tag_label
from ..directory.query import describe, get_scope, parse_json

MAX_TITLE = 300  # notification.title's bound (migration 081)


def _who(scope, query, count: int) -> str:
    one = count == 1
    if query is not None and scope.subject_field:
        roles = [c.value for c in query.all if c.field == scope.subject_field and c.op == "has"]
        if len(roles) == 1:  # one role: its name ("photographers"); several: they are "people" with them all
            label = tag_label(roles[0]).lower()
            return label if one or label.endswith("s") else label + "s"
    return scope.noun_one if one else scope.noun


def search_label(search) -> str:
    """The search as a person knows it: its name, else the directory's description of it."""
    if search.get("name"):
        return search["name"]
    scope = get_scope(search["scope"])
    try:
        return describe(scope, search["city"], parse_json(search["query_json"], scope))
    except Invalid:  # a field since removed from the catalogue
        return f"{scope.title} in {city_name(search['city'])}"


def alert_title(search, count: int) -> str:
    """"3 new photographers in Berlin for ‘Editorial shoots’" for `count` new matches of `search`
    (a saved_search row: scope, city, query_json, name)."""
    scope = get_scope(search["scope"])
    try:
        query = parse_json(search["query_json"], scope)
    except Invalid:
        query = None
    title = (f"{count:,} new {_who(scope, query, count)} in {city_name(search['city'])}"
             f" for ‘{search_label(search)}’")
    return title if len(title) <= MAX_TITLE else title[:MAX_TITLE - 2] + "…’"
