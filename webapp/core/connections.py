"""How the app's connections to PostgreSQL behave when the server is slow, hangs or dies.

Every wait on the database is bounded, so a request answers 503 within seconds instead
of hanging (each bound is a setting, core/config.py; docs/operations.md, "Timeouts"):

- opening a connection: libpq's `connect_timeout` (DB_CONNECT_TIMEOUT);
- one statement: the server's `statement_timeout` (DB_STATEMENT_TIMEOUT). A server that
  cannot even cancel (frozen, its host paused, the network dropping packets) never
  answers at all, so the client gives up one second later (`BoundedConnection`);
- a transaction left open with nothing running: `idle_in_transaction_session_timeout`;
- a free connection from the pool: SQLAlchemy's `pool_timeout` (DB_POOL_TIMEOUT).

A connection the server closed while it sat in the pool (a restart, a failover, an
administrator's pg_terminate_backend) is replaced when it is checked out, so the first
requests after an outage don't fail on it (`_replace_if_closed`).

Both engines (the session's and the `autocommit` one core.reads uses) get all of this.
"""
from __future__ import annotations

import math
import select
from typing import Any

import psycopg
from sqlalchemy import event
from sqlalchemy.exc import DisconnectionError

from .extensions import db

# psycopg raises this from Connection.wait when its deadline passes (psycopg >= 3.3, pinned); it is
# named here so that an upgrade which renames it fails at import, not silently in an outage.
_WAIT_TIMEOUT = psycopg.errors._WaitTimeout
# How long past the server's statement_timeout the client still waits: the server gets the first
# chance to cancel (the connection then stays usable); silence beyond that means it is not there.
REPLY_GRACE_SECONDS = 1.0


class NoAnswer(psycopg.OperationalError):
    """The server did not answer within the reply timeout; the connection was closed."""


class BoundedConnection(psycopg.Connection):
    """A psycopg connection that stops waiting for the server after `reply_timeout` seconds.

    Every exchange of a psycopg connection with the server (a statement, a fetch, a commit)
    goes through `Connection.wait`, which takes a deadline. Past it the connection is
    mid-exchange and its state unknown: it is closed (the pool then discards it) and the
    failure is an OperationalError, which the app answers with its 503.
    """

    reply_timeout: float | None = None

    def wait(self, gen, interval: float = 0.1, timeout: float | None = None):  # psycopg's own defaults
        limit = self.reply_timeout
        if limit is None or (timeout is not None and timeout <= limit):
            return super().wait(gen, interval, timeout)
        try:
            return super().wait(gen, interval, limit)
        except _WAIT_TIMEOUT as exc:
            self.close()
            raise NoAnswer(f"the database did not answer within {limit:g} s") from exc


def pool_options(config) -> dict[str, Any]:
    """The pool of each engine: its size, how long a request waits for a free connection, its recycling."""
    return {"pool_size": 5, "max_overflow": 5, "pool_timeout": config["DB_POOL_TIMEOUT"],
            # Connections older than this are replaced at check-out (a bound on what a long-lived one holds).
            "pool_recycle": 1800}


def _replace_if_closed(dbapi_connection, connection_record, connection_proxy) -> None:
    """Check-out: refuse a pooled connection the server has closed, so the pool opens a new one.

    An idle connection has nothing to read: the server speaks only when asked. When it closes
    one (shutting down, failing over, terminating the backend) it sends its reason and closes
    the socket, which makes the socket readable. One non-blocking poll() tells, with no round
    trip: 2 µs a check-out, where SQLAlchemy's pool_pre_ping, which asks the server, added 220 µs
    (5% of the dashboard) on one machine (docs/benchmarks.md, "Pool check-out"; docs/decisions.md).
    """
    if dbapi_connection.closed:
        raise DisconnectionError("connection closed")
    poller = select.poll()
    poller.register(dbapi_connection.fileno(), select.POLLIN)
    if poller.poll(0):
        raise DisconnectionError("the server closed this pooled connection")


def init_app(app) -> None:
    """Bound every wait of both engines (call after db.init_app)."""
    config = app.config
    # Sent in the connection's start-up packet: no round trip of their own. `options` written in
    # DATABASE_URL come after these, so they win.
    startup = " ".join(f"-c {name}={round(config[key] * 1000)}" for name, key in (
        ("statement_timeout", "DB_STATEMENT_TIMEOUT"),
        ("idle_in_transaction_session_timeout", "DB_IDLE_IN_TRANSACTION_TIMEOUT")))
    # libpq counts whole seconds and waits at least 2; a connect_timeout in DATABASE_URL wins.
    connect_timeout = max(2, math.ceil(config["DB_CONNECT_TIMEOUT"])) if config["DB_CONNECT_TIMEOUT"] else None
    statement_timeout = config["DB_STATEMENT_TIMEOUT"]
    reply_timeout = statement_timeout + REPLY_GRACE_SECONDS if statement_timeout else None

    def connect(dialect, connection_record, cargs, cparams):
        params = {**cparams, "options": f"{startup} {cparams.get('options', '')}".strip()}
        if connect_timeout:
            params.setdefault("connect_timeout", connect_timeout)
        connection = BoundedConnection.connect(*cargs, **params)
        connection.reply_timeout = reply_timeout
        return connection

    with app.app_context():
        for engine in db.engines.values():
            event.listen(engine, "do_connect", connect)
            event.listen(engine.pool, "checkout", _replace_if_closed)
