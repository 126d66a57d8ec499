"""Process-local caches: whole rendered cards (post cards, directory cards), and short-lived
entries whose lifetime is a setting (a search's count).

A cached card is the whole element, balanced HTML, the same for every reader who sees it.
Whatever is a reader's own (the follow button with its state and CSRF token, the growth
team's band form) is not in it: the card template writes `SLOT` where each such part
goes, and every request fills the slots with its own parts (`Card.fill`).

A card's key is made from the row it shows (`row_key`): every column of the page query's
row except the reader's own (`viewer_*`), so any change to what the row says (updated_at
included, which every write to a post bumps) is a new key, and no entry is ever
invalidated by hand. The caches are bounded (least recently used entries go first) and
safe to share between threads.
"""
from __future__ import annotations

import secrets
import threading
from collections.abc import Callable, Hashable, Mapping

from cachetools import LRUCache, TTLCache
from flask import current_app
from markupsafe import Markup, escape

# Where a reader's own part goes in a cached card (or a reader's own value in a cached follow
# button). A comment with a per-process random token: user text is escaped and post bodies are
# sanitized without comments, so no content can contain it.
SLOT = Markup(f"<!--slot {secrets.token_hex(8)}-->")


def row_key(kind: str, row: Mapping, variant: Hashable = None, columns: tuple[str, ...] | None = None) -> tuple:
    """A card's cache key: its kind, a variant (say, what the reader opted in to see) and the row's
    values, lists as tuples: of `columns`, or of every column but the reader's own (`viewer_*`).

    Values without their names: the rows of one kind come from one query, so its columns are the
    same, in the same order, in every row.
    """
    values = (row[name] for name in columns) if columns else \
        (value for name, value in row.items() if not name.startswith("viewer_"))
    return (kind, variant, *(tuple(value) if isinstance(value, list) else value for value in values))


class Card:
    """A rendered card, kept split at its slots; `fill` puts a reader's own parts in them.

    `own`: the makings of the reader's own parts that depend on the card alone, rendered once
    with it instead of once per card and request: the card's follow button in each state (a
    Card itself, with slots for the reader's CSRF token and the page to come back to), a URL.
    """

    __slots__ = ("parts", "own")

    def __init__(self, html: str, slots: int, own: Mapping[str, object] | None = None):
        parts = tuple(str(html).split(SLOT))
        if len(parts) != slots + 1:
            raise ValueError(f"a card with {slots} slot(s) rendered {len(parts) - 1}")
        self.parts = parts
        self.own = dict(own or {})

    def fill(self, *own) -> Markup:
        """The card with `own[i]` in slot i (plain text is escaped; Markup goes in as it is)."""
        pieces = [self.parts[0]]
        for part, rest in zip(own, self.parts[1:], strict=True):
            pieces += (part if isinstance(part, Markup) else escape(part), rest)
        return Markup("".join(pieces))


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

    def get(self, key: Hashable):
        """The entry, or None (counted as a miss: the caller renders and `put`s it)."""
        with self._lock:
            value = self._items.get(key)
            if value is None:
                self.misses += 1
            else:
                self.hits += 1
            return value

    def put(self, key: Hashable, value):
        if self.maxsize > 0:
            with self._lock:
                self._items[key] = value
        return value

    def get_or_render(self, key: Hashable, render: Callable[[], object]):
        value = self.get(key)
        # Rendered outside the lock: two threads may render the same card once each, harmlessly.
        return value if value is not None else self.put(key, render())

    def resize(self, maxsize: int | None) -> None:
        """Empty the cache and hold `maxsize` entries from now on (None: the app's setting again)."""
        with self._lock:
            self._maxsize, self._cache = maxsize, None
            self.hits = self.misses = 0

    def clear(self) -> None:
        with self._lock:
            self._cache = None  # made again, at the configured size, on next use
            self.hits = self.misses = 0

    def values(self) -> list:
        with self._lock:
            return list((self._cache or {}).values())

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

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
