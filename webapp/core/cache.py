"""A small process-local cache of rendered card HTML (post cards, directory cards).

Only the parts of a card that are the same for every viewer in a variant are
cached; whatever is the viewer's own (the follow button with its state and CSRF
token, the growth team's band form) is rendered around them on every request.
A key must hold every input that changes the cached markup: callers build it
from the row's id, its updated_at (every write to a post bumps it) and the
values from other tables and from the viewer that the markup shows. Bounded
(least recently used entries go first) and safe to share between threads.
"""
from __future__ import annotations

import os
import threading
from typing import Callable, Hashable

from cachetools import LRUCache

# Entries per cache and per process (a post card is about 2 kB); 0 turns the card caches off
# (for measuring what they save).
DEFAULT_SIZE = int(os.environ.get("FRAGMENT_CACHE_SIZE", "4096"))


class FragmentCache:
    """An LRU cache (cachetools) behind a lock, with hit and miss counts."""

    def __init__(self, maxsize: int = DEFAULT_SIZE):
        self.maxsize = maxsize
        self._items: LRUCache = LRUCache(maxsize=max(maxsize, 1))
        self._lock = threading.Lock()
        self.hits = self.misses = 0

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
            self._items.clear()
            self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._items
