"""Keyset pagination for every list (feed, profiles' posts, Following, directories).

A list is read `limit` + 1 rows at a time, newest first with ties by the newest id
(`order by created_at desc, id desc`, on an index in that order), and a next page
continues after the cursor with one predicate shape, a row comparison:
`(created_at, id) < (%(after_at)s, %(after_id)s)`. The extra row only says whether
there is a next page. Its cursor is `<microseconds since epoch>.<id>`
of the last row shown: exact (no float rounding of the timestamp), URL-safe, and
checked on the way in: a cursor we did not make is core.errors.Invalid (a ValueError),
which pages answer with a clear 400 saying where the list starts again.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from .errors import Invalid

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def encode(created_at: datetime, key: str) -> str:
    delta = created_at - _EPOCH
    micros = (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
    return f"{micros}.{key}"


def starting_at(created_at: datetime, key: str) -> str:
    """The cursor of the page that starts with this row: a link to a row that may sit pages down
    a list (a clawback's award, an award's invite). The next page holds the rows before the
    cursor, so the cursor is the row's own, one microsecond later (timestamps are microseconds)."""
    return encode(created_at + timedelta(microseconds=1), key)


BROKEN = "That page link is broken. Start again from the first page."


def decode(value: str | None, prefixes: tuple[str, ...], broken: str = BROKEN) -> tuple[datetime, str] | None:
    """The (created_at, id) a page starts after, or None for the first page.

    `prefixes`: the id prefixes this list holds (ids are `<prefix>_<alphanumerics>`);
    `broken`: what the reader is told about a cursor we did not make.
    """
    if not value:
        return None
    micros, _, key = value.partition(".")
    prefix = next((p for p in prefixes if key.startswith(p)), None)
    if not micros.isdigit() or len(micros) > 17 or prefix is None or len(key) > 40 \
            or not key[len(prefix):].isalnum():
        raise Invalid(broken)
    return _EPOCH + timedelta(microseconds=int(micros)), key


def split_page(rows: list[dict], limit: int, key: str) -> tuple[list[dict], str | None]:
    """The first `limit` of the `limit` + 1 rows read, and the cursor after them (None on the last page)."""
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    return rows, encode(rows[-1]["created_at"], rows[-1][key])
