"""The signed-in user behind each request: the account, read through its live session.

The session cookie carries the id of a row of user_session (SESSION_KEY). Every signed-in
request reads the account through that row, in one statement on the page-read path
(accounts/queries.py), and a row that was revoked (log-out, password change, sign out
everywhere), has expired or is gone opens nothing: every copy of that cookie is refused on
its next request, in every worker and on every host. A cookie without a session id (one
signed before sessions had rows) opens nothing either.

Nothing is remembered between requests: a per-process copy of the account would outlive
the session's end in the other workers (docs/decisions.md, Performance, says what it cost).
"""
from __future__ import annotations

from flask import session

from . import queries
from .user import User

SESSION_KEY = "_account_session"


def load_user(user_id: str) -> User | None:
    """Flask-Login's user loader."""
    session_id = session.get(SESSION_KEY)
    return queries.get_session_user(user_id, session_id) if session_id else None
