"""Page reads: one statement on the autocommit engine, straight through psycopg.

The house runs SQL two ways, each with its rule:

(a) **Writes, and reads that guard a write** (is the e-mail taken, is this post the
    author's, does the target exist) go through `db.session`, in the one transaction of
    the state change they belong to: `text()` with `:name` parameters, SQLAlchemy's style.
(b) **Page reads**: a single SELECT whose rows a page (or partial) shows, go through the
    functions below and nowhere else. Each runs on a pooled connection of the
    `autocommit` engine (also where a reader endpoint plugs in, docs/scaling.md), with no
    BEGIN/ROLLBACK around it, and its rows come back from psycopg as dicts: for a page of
    twenty feed posts SQLAlchemy's statement and result layers measured about 300 µs
    more than this (docs/benchmarks.md).

Statements here are written in psycopg's own parameter style, `%(name)s` (a literal `%`
is written `%%`), and run as written. A SQLAlchemy Core statement (the directory's
compiler builds them) is first turned into that style by `compiled`, which uses
SQLAlchemy's psycopg dialect.

One statement sees one consistent snapshot. Reads that must agree with each other
inside a transaction, or that precede a write they guard, are (a), not (b).
Tooling (migrations, the embedded server, benchmark loaders) talks to psycopg directly:
it is not a page.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import psycopg
from psycopg.rows import dict_row, tuple_row
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import OperationalError

from .connections import REPLY_GRACE_SECONDS
from .extensions import db

_DIALECT = postgresql.psycopg.dialect()
Params = Mapping[str, Any]


def compiled(statement) -> tuple[str, dict[str, Any]]:
    """A SQLAlchemy Core statement as `%(name)s` SQL and its values, ready for `rows`/`first`/`scalar`."""
    result = statement.compile(dialect=_DIALECT)
    return str(result), dict(result.params)


def _run(sql: str, params: Params | None, fetch, *, row_factory=dict_row, prepare: bool | None = None,
         planner: dict[str, str] | None = None, on: str = "autocommit"):
    values = params or {}  # always a mapping, so `%%` means `%` in every statement
    try:
        pooled = db.engines[on].raw_connection()
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
# `on`: the engine to read on. "autocommit" (the default) is the writer; "reader" is DATABASE_READ_URL's
# endpoint when set (else the writer again), for reads that may lag the writer by a replica's delay:
# the growth dashboard's. A page that shows what its user just wrote reads on the writer.
#
# `planner`: settings for this one statement (SET LOCAL in a transaction of its own: two more
# round trips), for the rare statement whose plan needs bounding, such as a search's capped count.

def rows(sql: str, params: Params | None = None, *, prepare: bool | None = None, on: str = "autocommit") -> list[dict]:
    """All rows of a SELECT as dicts."""
    return _run(sql, params, lambda cur: cur.fetchall(), prepare=prepare, on=on)


def first(sql: str, params: Params | None = None, *, prepare: bool | None = None,
          on: str = "autocommit") -> dict | None:
    """The first row of a SELECT as a dict, or None."""
    return _run(sql, params, lambda cur: cur.fetchone(), prepare=prepare, on=on)


def scalar(sql: str, params: Params | None = None, *, prepare: bool | None = None,
           planner: dict[str, str] | None = None, on: str = "autocommit"):
    """The first column of the first row, or None."""
    row = _run(sql, params, lambda cur: cur.fetchone(), row_factory=tuple_row, prepare=prepare, planner=planner,
               on=on)
    return row[0] if row else None


def stream(sql: str, params: Params | None = None, *, on: str = "autocommit", batch: int = 2000,
           timeout: float | None = None):
    """Every row of a SELECT as a tuple, read from a server-side cursor `batch` rows at a time: for a
    result too big to hold (a CSV export of a million invites), memory stays that of one batch.

    A generator: the statement runs when the first row is asked for, and the pooled connection is
    held until the last (or until the caller closes the generator, as Flask does when a client goes
    away). The cursor lives in a transaction of its own. `timeout` (seconds) bounds each FETCH in
    place of the web's statement_timeout, for a statement that must see every row before its first
    (a sort, a grouping); the client waits as long (core/connections). A reader that stalls longer
    than DB_IDLE_IN_TRANSACTION_TIMEOUT between batches loses the rest.
    """
    values = params or {}
    try:
        pooled = db.engines[on].raw_connection()
    except psycopg.OperationalError as exc:
        raise OperationalError(sql, values, exc) from exc
    conn = pooled.driver_connection
    web_reply_timeout = getattr(conn, "reply_timeout", None)
    try:
        with conn.transaction(), conn.cursor(name="stream", row_factory=tuple_row) as cur:
            if timeout is not None:
                conn.execute("select set_config('statement_timeout', %s, true)", (str(round(timeout * 1000)),))
                if web_reply_timeout is not None:
                    conn.reply_timeout = timeout + REPLY_GRACE_SECONDS
            cur.itersize = batch
            cur.execute(sql, values)
            yield from cur
    except psycopg.OperationalError as exc:
        pooled.invalidate(exc)
        raise OperationalError(sql, values, exc) from exc
    finally:
        if web_reply_timeout is not None:
            conn.reply_timeout = web_reply_timeout
        pooled.close()
