"""One way to run a transaction again when PostgreSQL broke a lock cycle.

Two transactions that lock the same rows in opposite orders deadlock; PostgreSQL aborts one of
them (DeadlockDetected), which then wrote nothing, so running it again is safe. We run at READ
COMMITTED, where a serialization failure cannot occur: a deadlock is the one retryable abort.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from psycopg import errors as pg
from sqlalchemy.exc import OperationalError

from .extensions import db

log = logging.getLogger(__name__)
T = TypeVar("T")
ATTEMPTS = 4


def is_deadlock(exc: BaseException) -> bool:
    return isinstance(exc, OperationalError) and isinstance(exc.orig, pg.DeadlockDetected)


def retry_on_deadlock(fn: Callable[[], T], attempts: int = ATTEMPTS) -> T:
    """fn() — one whole transaction, commit included — run again (after a rollback) when the
    database aborted it to break a deadlock, `attempts` times in all; any other error, or the last
    attempt's deadlock, is raised as it came."""
    for attempt in range(1, attempts + 1):
        try:
            return fn()
        except OperationalError as exc:
            db.session.rollback()
            if attempt == attempts or not is_deadlock(exc):
                raise
            log.info("deadlock broken by the database: running the transaction again (attempt %d)", attempt + 1)
    raise AssertionError("unreachable: the last attempt returns or raises")
