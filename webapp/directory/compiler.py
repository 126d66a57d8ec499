"""Conditions -> parameterised SQL over indexed columns.

Everything a person typed becomes a bound parameter; column names come only
from the catalogue. Tag conditions on one field are merged so PostgreSQL can
answer them from the column's GIN index: `col @> :tags` for the "all" group,
`col && :tags` for several values of one field in the "any" group. Numbers use
the (city, column) B-tree indexes; every query is bounded by city.

The directory pages, the live count, the saved-search list and the alert job
all call `match_condition` / `match_select`, so they can never disagree about
what matches.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import Boolean, DateTime, Integer, Text, and_, false, literal, or_, select, true
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.sql import ColumnElement, Select, column, table

from .catalogue import SCOPES, Scope
from .query import Condition, Query

_TYPES = {"tags": ARRAY(Text), "int": Integer(), "bool": Boolean()}


def _table(scope: Scope):
    cols = [column(scope.key, Text), column("city", Text), column("created_at", DateTime(timezone=True))]
    cols += [column(f.column, _TYPES[f.kind]) for f in scope.fields]
    cols += [column(name, Text) for name in scope.card_columns]
    return table(scope.table, *cols)


TABLES = {name: _table(scope) for name, scope in SCOPES.items()}


def scope_table(scope: Scope | str):
    """The SQLAlchemy table of a scope (service_profile or studio), columns from the catalogue."""
    return TABLES[scope if isinstance(scope, str) else scope.name]


def _scalar(col, c: Condition) -> ColumnElement:
    if c.op == "lte":
        return col <= c.value
    if c.op == "gte":
        return col >= c.value
    if c.op == "is":
        return col.is_(true()) if c.value else col.is_(false())
    raise ValueError(f"operator {c.op} is not a scalar operator")  # the catalogue never declares one


def _group(scope: Scope, conditions, *, all_of: bool) -> list[ColumnElement]:
    """One clause per tag field (merged into @> or &&) plus one per scalar condition."""
    t = scope_table(scope)
    fields = scope.by_name
    tags: dict[str, list[str]] = defaultdict(list)
    clauses: list[ColumnElement] = []
    for c in conditions:
        f = fields[c.field]
        if f.kind == "tags":
            if c.value not in tags[f.column]:
                tags[f.column].append(c.value)
        else:
            clauses.append(_scalar(t.c[f.column], c))
    tag_clauses = [
        (t.c[col].contains(sorted(values)) if all_of else t.c[col].overlap(sorted(values)))
        for col, values in sorted(tags.items())
    ]
    return tag_clauses + clauses


def match_condition(scope: Scope | str, city: str | None, query: Query, *,
                    created_after: datetime | None = None, created_until: datetime | None = None,
                    extra: tuple[ColumnElement, ...] = ()) -> ColumnElement:
    """The WHERE clause for `query` in `city` (None: every city), with optional created_at bounds.

    created_after is exclusive and created_until inclusive, so consecutive alert
    windows (last alert, today] never count a row twice.
    """
    scope = SCOPES[scope] if isinstance(scope, str) else scope
    t = scope_table(scope)
    clauses: list[ColumnElement] = []
    if city is not None:
        clauses.append(t.c.city == city)
    clauses += _group(scope, query.all, all_of=True)
    if query.any:
        clauses.append(or_(*_group(scope, query.any, all_of=False)))
    if created_after is not None:
        clauses.append(t.c.created_at > created_after)
    if created_until is not None:
        clauses.append(t.c.created_at <= created_until)
    clauses += list(extra)
    return and_(true(), *clauses) if clauses else true()


def match_select(scope: Scope | str, city: str | None, query: Query, *columns, **bounds) -> Select:
    """SELECT <columns or the key> FROM <scope table> WHERE <match_condition>.

    For a set-based alert job: build one per search with a literal search id
    as the first column and `union_all` them, then aggregate in one statement.
    """
    scope = SCOPES[scope] if isinstance(scope, str) else scope
    t = scope_table(scope)
    cols = columns or (t.c[scope.key],)
    return select(*cols).select_from(t).where(match_condition(scope, city, query, **bounds))


def search_id_column(search_id: str):
    """A literal column for tagging rows of a union by saved search."""
    return literal(search_id, Text).label("search_id")
