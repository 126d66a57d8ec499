"""Directory reads: a keyset page of matches and a bounded count, both from the compiler."""
from __future__ import annotations

from functools import lru_cache

from sqlalchemy import Text, bindparam, exists, func, select, tuple_
from sqlalchemy.sql import column, table

from ..core import keyset, reads
from ..core.cache import TimedCache
from .catalogue import SCOPES, Scope
from .compiler import match_condition, scope_table
from .query import Query

PAGE_SIZE = 12
# Counting stops here: "1,000+ people" reads as well as an exact 48,213 and
# costs a bounded amount of work however broad the search is.
COUNT_CAP = 1000
# Counting up to the cap can read thousands of rows at a million profiles (see
# docs/benchmarks.md), and the live count asks the same questions again and again
# (each edit, the back button, pagination, a shared link, popular searches). So a
# count is remembered per worker process for a short while: a directory that is a
# few seconds stale reads fine, and the page of matches itself is always fresh.
_count_cache = TimedCache("DIRECTORY_COUNT_CACHE_SECONDS", maxsize=4096)




def decode_cursor(scope: Scope, cursor: str) -> tuple:
    """The (created_at, key) a page starts after (webapp/keyset.py); Invalid for one we did not make."""
    return keyset.decode(cursor, (scope.key_prefix,))


def _card_columns(scope: Scope):
    t = scope_table(scope)
    names = [scope.key, "city", "created_at", *scope.card_columns, *(f.column for f in scope.fields)]
    return [t.c[n] for n in dict.fromkeys(names)]


_follow = table("follow", column("follower_user_id", Text), column("target_id", Text), column("target_kind", Text))


def page_statement(scope: Scope, city: str, query: Query, *, after: str | None = None, limit: int = PAGE_SIZE,
                   viewer_id: str | None = None):
    """The keyset page query: `limit` + 1 rows, so the caller knows whether a next page exists."""
    t = scope_table(scope)
    key = t.c[scope.key]
    columns = _card_columns(scope)
    if viewer_id and scope.name == "people":
        # A named parameter: the compiled SQL is the same for every reader (_compiled_page).
        columns.append(exists().where(
            _follow.c.follower_user_id == bindparam("viewer_id", viewer_id, type_=Text),
            _follow.c.target_kind == "service_profile", _follow.c.target_id == key).label("viewer_follows"))
    stmt = select(*columns).where(match_condition(scope, city, query))
    if after:
        stmt = stmt.where(tuple_(t.c.created_at, key) < tuple_(*decode_cursor(scope, after)))
    return stmt.order_by(t.c.created_at.desc(), key.desc()).limit(limit + 1)


# No sequential scan for a count: with a LIMIT and no order, PostgreSQL may read the table in
# storage order until it has the cap, which is quick when matches are as common as it thinks and
# reads the whole table when they are not. The indexes bound the work by the city and the tags.
COUNT_PLANNER = {"enable_seqscan": "off"}


def count_statement(scope: Scope, city: str, query: Query, cap: int = COUNT_CAP):
    """Matches counted up to `cap` + 1.

    In no order: PostgreSQL stops as soon as it holds `cap` + 1 matches, whichever way
    it finds them (walking the city index, or a bitmap of the tag indexes whose heap
    pass stops at the cap). Ordered like the page, a bitmap plan first had to fetch
    and sort every match: 134 ms against 18 ms for "ANY across fields" at 1M profiles.
    Run with COUNT_PLANNER.
    """
    t = scope_table(scope)
    inner = select(t.c[scope.key]).where(match_condition(scope, city, query)).limit(cap + 1).subquery()
    return select(func.count()).select_from(inner)


# Building and compiling a search's page statement measured about 1 ms of CPU, more than PostgreSQL
# takes to answer it, and a directory page measured 50% more CPU without this cache (docs/decisions.md,
# Performance). The same searches come back again and again (each edit of the builder, paging, a shared
# link), so each process keeps the SQL of the last ones. The key is everything the SQL and its values
# are made of; the reader is a parameter filled in per request. (The count needs no such cache: it is
# compiled only when the count cache misses, next to a count that costs far more.)
@lru_cache(maxsize=2048)
def _compiled_page(scope_name: str, city: str, query: Query, after: str | None, limit: int,
                   with_viewer: bool) -> tuple[str, dict]:
    return reads.compiled(page_statement(SCOPES[scope_name], city, query, after=after, limit=limit,
                                         viewer_id="(each reader)" if with_viewer else None))


def page_of_matches(scope: Scope, city: str, query: Query, *, after: str | None = None,
                    limit: int = PAGE_SIZE, viewer_id: str | None = None) -> tuple[list[dict], str | None]:
    """Newest first (created_at desc, key desc, as the (city, created_at desc, key desc) index is ordered).

    Returns the rows and the cursor of the next page (None on the last page). With `viewer_id`, people
    rows also say whether that user follows them (`viewer_follows`), answered by the same query
    instead of a second round trip.
    """
    sql, params = _compiled_page(scope.name, city, query, after, limit, bool(viewer_id))
    rows = reads.rows(sql, {**params, "viewer_id": viewer_id} if viewer_id else params, prepare=False)
    return keyset.split_page(rows, limit, scope.key)


def count_matches(scope: Scope, city: str, query: Query, cap: int = COUNT_CAP, *, cached: bool = True) -> int:
    """Matches up to `cap` + 1 (more than `cap` shows as "cap+"), remembered for
    DIRECTORY_COUNT_CACHE_SECONDS (a setting)."""
    key = (scope.name, city, query, cap)
    if cached:
        count = _count_cache.get(key)
        if count is not None:
            return count
    sql, params = reads.compiled(count_statement(scope, city, query, cap))
    count = reads.scalar(sql, params, prepare=False, planner=COUNT_PLANNER)
    if cached:
        _count_cache.put(key, count)
    return count


def forget_counts() -> None:
    """Empty the count cache (tests that change rows between two looks)."""
    _count_cache.clear()
