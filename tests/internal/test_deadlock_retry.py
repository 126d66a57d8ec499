"""core.transactions.retry_on_deadlock: a transaction the database aborted to break a deadlock is run
again, after a rollback, a bounded number of times; nothing else is retried."""
from __future__ import annotations

import psycopg
import pytest
from sqlalchemy.exc import OperationalError

from webapp.core.transactions import retry_on_deadlock


def aborted(error: type[Exception]) -> OperationalError:
    return OperationalError("update …", {}, error("the database aborted it"))


def test_a_deadlocked_transaction_runs_again_until_it_succeeds(app):
    tries = []

    def transaction():
        tries.append(1)
        if len(tries) < 3:
            raise aborted(psycopg.errors.DeadlockDetected)
        return "done"

    with app.app_context():
        assert retry_on_deadlock(transaction) == "done"
    assert len(tries) == 3


def test_after_the_last_attempt_the_deadlock_is_raised(app):
    tries = []

    def transaction():
        tries.append(1)
        raise aborted(psycopg.errors.DeadlockDetected)

    with app.app_context(), pytest.raises(OperationalError):
        retry_on_deadlock(transaction, attempts=2)
    assert len(tries) == 2


@pytest.mark.parametrize("error", [psycopg.errors.LockNotAvailable, psycopg.errors.QueryCanceled])
def test_any_other_failure_is_raised_at_once(app, error):
    tries = []

    def transaction():
        tries.append(1)
        raise aborted(error)

    with app.app_context(), pytest.raises(OperationalError):
        retry_on_deadlock(transaction)
    assert len(tries) == 1


def test_the_session_is_rolled_back_between_attempts(app):
    from webapp.core.extensions import db

    seen = []

    def transaction():
        seen.append(db.session.execute(db.text("select txid_current_if_assigned() is null")).scalar())
        db.session.execute(db.text("select txid_current()"))  # this attempt now holds a transaction id
        if len(seen) == 1:
            raise aborted(psycopg.errors.DeadlockDetected)
        db.session.rollback()

    with app.app_context():
        retry_on_deadlock(transaction)
    assert seen == [True, True]  # the second attempt started in a fresh transaction
