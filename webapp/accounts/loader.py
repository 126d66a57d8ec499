"""The signed-in user behind each request, remembered for a few seconds per process.

Every signed-in request needs the account row (name, role, opt-ins); reading it is a
database round trip that measured about a third of a small page's time. A user's
requests come in bursts (a page and its htmx partials, the live count while typing),
so each worker keeps the rows it read for USER_CACHE_SECONDS (a setting).

What that means for freshness:
- a user's own changes (settings) show at once in every worker: they bump a stamp in
  the session cookie, and an entry read under another stamp is read again;
- changes made elsewhere (`flask users set-role`, another device's session) reach
  sessions within USER_CACHE_SECONDS (5 s by default; 0 turns the cache off).
"""
from __future__ import annotations

import time

from flask import session

from ..core.cache import TimedCache
from . import queries
from .user import User

MAX_ENTRIES = 10_000
STAMP_KEY = "_account_stamp"

_cache = TimedCache("USER_CACHE_SECONDS", MAX_ENTRIES)  # user_id -> (user, session stamp)


def load_user(user_id: str) -> User | None:
    """Flask-Login's user loader."""
    stamp = session.get(STAMP_KEY)
    hit = _cache.get(user_id)
    if hit and hit[1] == stamp:
        return hit[0]
    user = queries.get_user(user_id)
    if user is None:
        _cache.pop(user_id)
    else:
        _cache.put(user_id, (user, stamp))
    return user


def refresh(user_id: str) -> None:
    """This session's next request, in any worker, reads the account again.

    Called on log-in and after the signed-in user's own account row changes.
    """
    _cache.pop(user_id)
    session[STAMP_KEY] = time.time_ns()


def forget_all() -> None:
    _cache.clear()
