"""Process-local caches: rendered card HTML (post cards, directory cards), and short-lived
entries whose lifetime is a setting (the signed-in user, a search's count).

Only the parts of a card that are the same for every viewer in a variant are
cached; whatever is the viewer's own (the follow button with its state and CSRF
token, the growth team's band form) is rendered around them on every request.
A key must hold every input that changes the cached markup: callers build it
from the row's id, its updated_at (every write to a post bumps it) and the
values from other tables and from the viewer that the markup shows. Bounded
(least recently used entries go first) and safe to share between threads.
"""
from __future__ import annotations

import threading
from typing import Callable, Hashable

from cachetools import LRUCache, TTLCache
from flask import current_app


class FragmentCache:
    """An LRU cache (cachetools) behind a lock, with hit and miss counts.

    It holds `maxsize` entries, by default the app's FRAGMENT_CACHE_SIZE (a post card is about
    2 kB; 0 turns the card caches off, for measuring what they save), read when the cache is
    first used: the caches are made when their module is imported, before any app exists.
    """

    def __init__(self, maxsize: int | None = None):
        self._maxsize = maxsize
        self._cache: LRUCache | None = None
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    @property
    def maxsize(self) -> int:
        if self._maxsize is None:
            self._maxsize = int(current_app.config["FRAGMENT_CACHE_SIZE"])
        return self._maxsize

    @property
    def _items(self) -> LRUCache:
        if self._cache is None:
            self._cache = LRUCache(maxsize=max(self.maxsize, 1))
        return self._cache

    def get_or_render(self, key: Hashable, render: Callable[[], object]):
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self.hits += 1
                return value
            self.misses += 1
        value = render()  # outside the lock: two threads may render the same card once each, harmlessly
        if self.maxsize > 0:
            with self._lock:
                self._items[key] = value
        return value

    def clear(self) -> None:
        with self._lock:
            self._cache = None  # made again, at the configured size, on next use
            self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._cache or ())

    def __contains__(self, key: Hashable) -> bool:
        return self._cache is not None and key in self._cache


class TimedCache:
    """A TTL cache (cachetools) behind a lock, whose lifetime in seconds is the app setting
    `setting`, read on every use: 0 turns it off (tests set their own), and a changed
    lifetime starts the cache afresh."""

    def __init__(self, setting: str, maxsize: int):
        self.setting, self.maxsize = setting, maxsize
        self._items = TTLCache(maxsize=maxsize, ttl=1)
        self._lock = threading.Lock()

    def _entries(self) -> TTLCache | None:
        """The entries under the configured lifetime, or None when the cache is off (hold the lock)."""
        ttl = float(current_app.config[self.setting])
        if ttl <= 0:
            return None
        if self._items.ttl != ttl:
            self._items = TTLCache(maxsize=self.maxsize, ttl=ttl)
        return self._items

    def get(self, key: Hashable):
        with self._lock:
            entries = self._entries()
            return None if entries is None else entries.get(key)

    def put(self, key: Hashable, value) -> None:
        with self._lock:
            entries = self._entries()
            if entries is not None:
                entries[key] = value

    def pop(self, key: Hashable) -> None:
        with self._lock:
            self._items.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def expire(self, at: float) -> None:
        """Drop the entries that are past their lifetime as of `at` (time.monotonic seconds):
        lets a test look past the lifetime without sleeping through it."""
        with self._lock:
            self._items.expire(at)
