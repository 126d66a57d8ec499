"""One-statement reads outside any transaction: the hot read paths of pages.

A page that only reads (the signed-in user, a directory page, a feed page) has no
use for a transaction: through `db.session` each request would pay BEGIN and
ROLLBACK round trips around its SELECTs. These helpers run one statement on a
pooled connection of the autocommit engine (also where a reader endpoint plugs in,
docs/scaling.md), straight through psycopg: for a page of twenty feed posts,
SQLAlchemy's statement and result layers measured more time than PostgreSQL took
to answer (docs/benchmarks.md).

Statements are SQL text with `:name` parameters, as `text()` takes them, or
SQLAlchemy Core statements, or either already turned into a `Native`.

One statement sees one consistent snapshot. Reads that must agree with each other,
or that precede a write they guard, stay on `db.session` in their transaction.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, NamedTuple

import psycopg
from psycopg.rows import dict_row, tuple_row
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import OperationalError

from .extensions import db

_PARAM = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")
_DIALECT = postgresql.psycopg.dialect()


@lru_cache(maxsize=512)
def _pyformat(sql: str) -> str:
    """`:name` placeholders as psycopg's `%(name)s` (a literal % doubled); `::type` casts kept.

    Like `text()`, it takes any `:word` for a parameter, so string literals in these
    statements must not contain one (pass such values as parameters).
    """
    return _PARAM.sub(r"%(\1)s", sql.replace("%", "%%"))


class Native(NamedTuple):
    """A statement as psycopg takes it: `%(name)s` SQL and its values (see `native`)."""
    sql: str
    params: dict[str, Any]


def native(statement, params: dict[str, Any] | None = None) -> Native:
    """The statement as psycopg takes it, from `:name` SQL text, a Core statement or a Native.

    Compiling a Core statement costs about as much as PostgreSQL takes to answer a small
    query, so callers that run the same statement again keep its Native (with values of its
    own; `params` given here override them).
    """
    if isinstance(statement, Native):
        return Native(statement.sql, {**statement.params, **params}) if params else statement
    if isinstance(statement, str):
        return Native(_pyformat(statement), params or {})
    compiled = statement.compile(dialect=_DIALECT)
    return Native(str(compiled), {**compiled.params, **(params or {})})


def _run(statement, params, fetch, *, row_factory=dict_row, prepare: bool | None = None,
         planner: dict[str, str] | None = None):
    sql, values = native(statement, params)
    try:
        pooled = db.engines["autocommit"].raw_connection()
    except psycopg.OperationalError as exc:  # the pool hands on the driver's error as it is
        raise OperationalError(sql, values, exc) from exc
    try:
        conn = pooled.driver_connection
        with conn.cursor(row_factory=row_factory) as cur:
            if not planner:
                cur.execute(sql, values, prepare=prepare)
                return fetch(cur)
            with conn.transaction():  # the settings last for this statement's transaction only
                for name, value in planner.items():
                    cur.execute("select set_config(%s, %s, true)", (name, value))
                cur.execute(sql, values, prepare=prepare)
                return fetch(cur)
    except psycopg.OperationalError as exc:
        pooled.invalidate(exc)  # a dead connection must not go back to the pool
        # The app's error handlers answer SQLAlchemy's OperationalError with a 503 page.
        raise OperationalError(sql, values, exc) from exc
    finally:
        pooled.close()  # back to the pool (a no-op once invalidated)


# `prepare`: psycopg prepares a statement it has run five times, and PostgreSQL may then reuse a
# generic plan, blind to the values. That suits the user and feed reads (one good plan whatever the
# values) and saves their planning. A directory search's best plan depends on how selective its
# tags are (a generic plan measured 90 ms against 1 ms at 1M profiles): it passes prepare=False,
# so every call is planned for its own values.
#
# `planner`: settings for this one statement (SET LOCAL in a transaction of its own: two more
# round trips), for the rare statement whose plan needs bounding, such as a search's capped count.

def rows(statement, params: dict[str, Any] | None = None, *, prepare: bool | None = None) -> list[dict]:
    """All rows of a SELECT as dicts."""
    return _run(statement, params, lambda cur: cur.fetchall(), prepare=prepare)


def first(statement, params: dict[str, Any] | None = None, *, prepare: bool | None = None) -> dict | None:
    return _run(statement, params, lambda cur: cur.fetchone(), prepare=prepare)


def scalar(statement, params: dict[str, Any] | None = None, *, prepare: bool | None = None,
           planner: dict[str, str] | None = None):
    row = _run(statement, params, lambda cur: cur.fetchone(), row_factory=tuple_row, prepare=prepare,
               planner=planner)
    return row[0] if row else None
