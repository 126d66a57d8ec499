"""The signed-in user behind each request, remembered for a few seconds per process.

Every signed-in request needs the account row (name, role, opt-ins); reading it is a
database round trip that measured about a third of a small page's time. A user's
requests come in bursts (a page and its htmx partials, the live count while typing),
so each worker keeps the rows it read for USER_CACHE_SECONDS.

What that means for freshness:
- a user's own changes (settings) show at once in every worker: they bump a stamp in
  the session cookie, and an entry read under another stamp is read again;
- changes made elsewhere (`flask users set-role`, another device's session) reach
  sessions within USER_CACHE_SECONDS (5 s by default; 0 turns the cache off).
"""
from __future__ import annotations

import os
import threading
import time

from cachetools import TTLCache
from flask import current_app, session

from . import queries
from .user import User

USER_CACHE_SECONDS = float(os.environ.get("USER_CACHE_SECONDS", "5"))
MAX_ENTRIES = 10_000
STAMP_KEY = "_account_stamp"

_lock = threading.Lock()
_cache: TTLCache = TTLCache(maxsize=MAX_ENTRIES, ttl=USER_CACHE_SECONDS)  # user_id -> (user, session stamp)


def _ttl() -> float:
    # Tests change rows behind the app's back between two requests: there the cache is off unless asked for.
    default = 0.0 if current_app.testing else USER_CACHE_SECONDS
    return float(current_app.config.get("USER_CACHE_SECONDS", default))


def _entries(ttl: float) -> TTLCache:
    """The cache, made again (empty) if the configured lifetime changed (tests set their own)."""
    global _cache
    if _cache.ttl != ttl:
        _cache = TTLCache(maxsize=MAX_ENTRIES, ttl=ttl)
    return _cache


def load_user(user_id: str) -> User | None:
    """Flask-Login's user loader."""
    ttl = _ttl()
    if ttl <= 0:
        return queries.get_user(user_id)
    stamp = session.get(STAMP_KEY)
    with _lock:
        hit = _entries(ttl).get(user_id)
    if hit and hit[1] == stamp:
        return hit[0]
    user = queries.get_user(user_id)
    with _lock:
        if user is None:
            _entries(ttl).pop(user_id, None)
        else:
            _entries(ttl)[user_id] = (user, stamp)
    return user


def refresh(user_id: str) -> None:
    """This session's next request, in any worker, reads the account again.

    Called on log-in and after the signed-in user's own account row changes.
    """
    with _lock:
        _cache.pop(user_id, None)
    session[STAMP_KEY] = time.time_ns()


def forget_all() -> None:
    with _lock:
        _cache.clear()
