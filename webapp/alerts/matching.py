"""Which saved searches have new matches on a day: set-based, percolator-style.

A saved search is kept twice: canonical in saved_search.query_json (what it means) and, for the
alert run, as one row of saved_search_index (migration 080) derived here from the parsed query
through the field catalogue. The day's new entries then look up the searches they can satisfy:

- every tag and yes/no condition is a *fact* "field:value"; an entry has the facts of its tags
  and flags, and a search's "all" group holds when its facts are contained in the entry's
  (the compiler's `@>`), its "any" facts when they overlap (the compiler's `&&`);
- number conditions become bounds per field ("all": the tightest; "any": the loosest of each
  operator), checked with the compiler's own comparison (`compiler._scalar`);
- one required fact is the search's *anchor*: an entry probes (scope, city, anchor) with each of
  its facts, so it meets only the searches that can hold for it, never all of them.

Every operator the catalogue declares (has, lte, gte, is) is captured exactly, so the index
form *is* the condition and no per-search query is ever run; `index_row` refuses an operator
it doesn't know, so a new one cannot be silently ignored (tests/alerts check the catalogue).
The whole run is one statement, streamed from a server-side cursor. After a finished run of the shard
(alert_run, migration 110) it probes only the entries that appeared since, plus a catch-up pass for
the searches that run may not have matched as they are now (matches_sql; docs/decisions.md).

"Appeared" means created_at (docs/decisions.md, "Alerts — matching"). Days are UTC days
(core/clock): a search's window is (end of its last_alert_dt, or its created_at if it never had
an alert; end of D], exclusive then inclusive, as the compiler's created_after/created_until.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple

from sqlalchemy import Integer
from sqlalchemy.dialects import postgresql
from sqlalchemy.sql import literal_column

from ..core.errors import Invalid
from ..directory.catalogue import SCOPES, Scope
from ..directory.compiler import _scalar, match_select, scope_table
from ..directory.query import Condition, Query, parse_json

TOP_MATCHES = 5
_DIALECT = postgresql.psycopg.dialect()


class Match(NamedTuple):
    search_id: str
    match_count: int
    top_ids: list[str]   # the newest matches first, at most TOP_MATCHES


# --- days ---------------------------------------------------------------------

def day_end(day: date) -> datetime:
    """The last instant of a UTC day (timestamptz keeps microseconds): windows are (a, b]."""
    return datetime.combine(day + timedelta(days=1), time(), UTC) - timedelta(microseconds=1)


# The same instant in SQL, for a date column.
_DAY_END_SQL = "((({d}) + 1)::timestamp at time zone 'UTC' - interval '1 microsecond')"


# --- the index form of a search -------------------------------------------------

def fact(field_name: str, value) -> str:
    """A tag or yes/no condition as the entry fact it requires: "style_tags:editorial", "verified:true"."""
    if isinstance(value, bool):
        return f"{field_name}:{'true' if value else 'false'}"
    return f"{field_name}:{value}"


def number_fields() -> list[str]:
    """Every number field of every scope: each has its bound columns in saved_search_index."""
    return sorted({f.name for scope in SCOPES.values() for f in scope.fields if f.kind == "int"})


def bound_columns() -> list[str]:
    return [f"{prefix}{name}_{end}" for name in number_fields() for prefix in ("", "any_") for end in ("min", "max")]


def _tighten(row: dict, column: str, value: int, pick) -> None:
    row[column] = value if row[column] is None else pick(row[column], value)


def index_row(scope: Scope, city: str, query: Query | None) -> dict:
    """The saved_search_index columns (all but search_id and query_md5) of a search.

    `query` None (a field the catalogue no longer has): a row that matches nothing.
    """
    row = {"scope": scope.name, "city": city, "anchor": None, "all_facts": [], "has_any": False,
           "any_facts": [], **dict.fromkeys(bound_columns())}
    if query is None:
        return row
    fields = scope.by_name
    all_facts: list[str] = []
    for c in query.all:
        f = fields[c.field]
        if f.kind in ("tags", "bool") and c.op in ("has", "is"):
            all_facts.append(fact(f.name, c.value))
        elif f.kind == "int" and c.op == "gte":
            _tighten(row, f"{f.name}_min", c.value, max)
        elif f.kind == "int" and c.op == "lte":
            _tighten(row, f"{f.name}_max", c.value, min)
        else:
            raise ValueError(f"the alert index does not capture {f.kind} {c.op} ({c.field})")
    any_facts: list[str] = []
    for c in query.any:
        f = fields[c.field]
        if f.kind in ("tags", "bool") and c.op in ("has", "is"):
            any_facts.append(fact(f.name, c.value))
        elif f.kind == "int" and c.op == "gte":   # at least one holds: the lowest floor decides
            _tighten(row, f"any_{f.name}_min", c.value, min)
        elif f.kind == "int" and c.op == "lte":   # ... and the highest ceiling
            _tighten(row, f"any_{f.name}_max", c.value, max)
        else:
            raise ValueError(f"the alert index does not capture {f.kind} {c.op} ({c.field}) in “any”")
    row["all_facts"] = sorted(set(all_facts))
    row["any_facts"] = sorted(set(any_facts))
    row["has_any"] = bool(query.any)
    row["anchor"] = _anchor(scope, all_facts)
    return row


def _anchor(scope: Scope, all_facts: list[str]) -> str:
    """One required fact, preferring tags (rarer than yes/no flags) in catalogue order; '' if none."""
    for kind in ("tags", "bool"):
        for f in scope.fields:
            if f.kind == kind:
                mine = sorted(x for x in all_facts if x.startswith(f.name + ":"))
                if mine:
                    return mine[0]
    return ""


def index_row_from_json(scope_name: str, city: str, query_json) -> dict:
    """index_row of a stored search (query_json as saved)."""
    scope = SCOPES[scope_name]
    try:
        query = parse_json(query_json, scope)
    except Invalid:
        query = None
    return index_row(scope, city, query)


# --- the run's statement ----------------------------------------------------------

def _sql(expression) -> str:
    return str(expression.compile(dialect=_DIALECT, compile_kwargs={"literal_binds": True}))


def _entry_facts(scope: Scope, alias: str) -> str:
    """An entry's facts as a text[] expression over the row `alias`, from the catalogue."""
    parts = []
    for f in scope.fields:
        if f.kind == "tags":
            parts.append(f"array(select '{f.name}:' || v from unnest({alias}.{f.column}) v)")
        elif f.kind == "bool":
            parts.append(f"array['{f.name}:' || {alias}.{f.column}::text]")
    return " || ".join(parts)


def _bounds(scope: Scope) -> tuple[list[str], list[str]]:
    """The "all" group's bound checks and the "any" group's number alternatives, in the compiler's
    own comparisons (entry column against the index row's bound)."""
    all_checks, any_checks = [], []
    for f in scope.fields:
        if f.kind != "int":
            continue
        col = literal_column(f"e.{f.column}", Integer)
        for op, end in (("gte", "min"), ("lte", "max")):
            bound = f"x.{f.name}_{end}"
            check = _sql(_scalar(col, Condition(f.name, op, literal_column(bound))))
            all_checks.append(f"({bound} is null or {check})")
            any_bound = f"x.any_{f.name}_{end}"
            any_checks.append(_sql(_scalar(col, Condition(f.name, op, literal_column(any_bound)))))
    return all_checks, any_checks


def in_shard(search_id_sql: str) -> str:
    """The condition "this search belongs to shard :shard of :shards", a stable hash of its id:
    the one definition, used by matching and by the alert job's delivery (webapp/alerts/queries)."""
    return _in_shard(f"hashtextextended({search_id_sql}, 0)")


def _in_shard(hash_sql: str) -> str:
    return f"mod(mod({hash_sql}, :shards) + :shards, :shards) = :shard"


class LastRun(NamedTuple):
    """The shard's last finished run before the day (alert_run, migration 110): every search of the shard
    not paused on its day, as it stood when the run began, was matched up to `covered`; see matches_sql."""
    day: date
    started_at: datetime

    @property
    def stale_after(self) -> datetime:
        """A search whose index row or saved_search row changed after this may not have been matched as
        it is now (a transaction that began a little before the run may commit after its snapshot)."""
        return self.started_at - RUN_MARGIN

    @property
    def covered(self) -> datetime:
        """The entries up to here were there for the run (those created in the day's last minutes
        while it started are probed again: harmless, see docs/decisions.md)."""
        return min(day_end(self.day), self.stale_after)


RUN_MARGIN = timedelta(minutes=10)  # far above the web's statement and transaction limits


def _scope_matches(scope: Scope, *, since_last_run: bool, sharded: bool, catch_up: bool = False) -> str:
    """(search_id, entry_id, created_at) for one scope's new matches.

    The main pass (catch_up False) probes the index with the entries that appeared after :covered
    (the last run's, `since_last_run`) or, with no finished run to rely on, after the oldest window
    start of any search: entry first, its candidates by (scope, city, anchor), each checked on the
    index row, then its own window and pause. The catch-up pass (after a finished run) takes the few
    searches that run may not have matched as they are now and reads their city's entries in
    (window start, :covered]: search first, like the naive loop, on the entries' (city, created_at)."""
    all_checks, any_checks = _bounds(scope)
    any_group = " or ".join(["x.any_facts && e.facts", *any_checks])
    window_start = "coalesce(" + _DAY_END_SQL.format(d="s.last_alert_dt") + ", s.created_at)"
    not_paused = "(s.paused_until is null or s.paused_until < :day)"
    conditions = ["x.all_facts <@ e.facts", *all_checks, f"(not x.has_any or {any_group})", not_paused,
                  f"e.created_at > {window_start}"]
    if sharded:  # one shard of one: no condition (an expression the planner cannot estimate)
        conditions.append(_in_shard("x.shard_hash"))
    entry = f"select t.*, {_entry_facts(scope, 't')} as facts from {scope.table} t"
    if catch_up:
        return f"""
      select x.search_id, e.{scope.key} as entry_id, e.created_at
      from saved_search s
      join saved_search_index x using (search_id)
      cross join lateral ({entry} where t.city = x.city and t.created_at > {window_start}
                          and t.created_at <= :covered) e
      where s.scope = '{scope.name}'
        and (x.changed_at > :stale_after or s.updated_at > :stale_after or s.paused_until >= :last_day)
        and {' and '.join(conditions)}"""
    after = ":covered" if since_last_run else (
        f"(select min({window_start}) from saved_search s where s.scope = '{scope.name}' and {not_paused})")
    return f"""
      select x.search_id, e.{scope.key} as entry_id, e.created_at
      from ({entry} where t.created_at > {after} and t.created_at <= :until offset 0) e
      join saved_search_index x
        on x.scope = '{scope.name}' and x.city = e.city and x.anchor = any(e.facts || ''::text)
      join saved_search s on s.search_id = x.search_id
      where {' and '.join(conditions)}"""


def matches_sql(*, since_last_run: bool = False, sharded: bool = True) -> str:
    """The whole run: every scope's new matches, counted and the newest kept, per search.

    Parameters: :day, :until (its end), :shard and :shards; after a finished run (`since_last_run`)
    also :covered, :stale_after and :last_day (LastRun)."""
    parts = [_scope_matches(scope, since_last_run=since_last_run, sharded=sharded) for scope in SCOPES.values()]
    if since_last_run:
        parts += [_scope_matches(scope, since_last_run=True, sharded=sharded, catch_up=True)
                  for scope in SCOPES.values()]
    union = "\n      union all".join(parts)
    return f"""
    select search_id, count(*) as match_count,
           (array_agg(entry_id order by created_at desc, entry_id desc))[1:{TOP_MATCHES}] as top_ids
    from ({union}) m
    group by search_id
    order by search_id"""


_SHARD = re.compile(r"([0-9]+)/([0-9]+)")


def parse_shard(text: str) -> tuple[int, int]:
    """"i/n" -> (i, n) with 0 <= i < n; ValueError otherwise."""
    found = _SHARD.fullmatch(text.strip())
    if found is None:
        raise ValueError(f"a shard is i/n, such as 0/4, not “{text}”")
    i, n = int(found[1]), int(found[2])
    if not 0 <= i < n:
        raise ValueError(f"a shard i/n needs 0 ≤ i < n, not “{text}”")
    return i, n


def one_search_matches(conn, search, day: date) -> Match | None:
    """One search on its own: its compiled directory query over its window up to the end of `day`.
    `search` is a saved_search row (scope, city, query_json, last_alert_dt, created_at). What the
    set-based run must equal (tests/alerts/test_matching.py) and the per-search loop it replaces
    (bench/bench_alerts.py); pauses are the caller's to skip. None when nothing matched."""
    scope = SCOPES[search["scope"]]
    try:
        query = parse_json(search["query_json"], scope)
    except Invalid:  # a field since removed from the catalogue: the search matches nothing now
        return None
    after = day_end(search["last_alert_dt"]) if search["last_alert_dt"] else search["created_at"]
    t = scope_table(scope)
    statement = (match_select(scope, search["city"], query, t.c[scope.key], created_after=after,
                              created_until=day_end(day))
                 .order_by(t.c.created_at.desc(), t.c[scope.key].desc()))
    ids = conn.execute(statement).scalars().all()
    return Match(search["search_id"], len(ids), ids[:TOP_MATCHES]) if ids else None


def shard_text(shard: tuple[int, int]) -> str:
    """(i, n) -> "i/n", as --shard takes it."""
    return "{}/{}".format(*shard)


def new_matches(day: date, *, shard: tuple[int, int] = (0, 1)) -> Iterator[Match]:
    """Every search of the shard not paused on `day` with at least one entry that appeared in its
    window up to the end of `day`: its id, how many, the newest ids. In search_id order, streamed
    (a server-side cursor), after bringing the index up to date."""
    from . import queries

    i, n = shard
    if not 0 <= i < n:
        raise ValueError("a shard i/n needs 0 ≤ i < n")
    queries.sync_index()
    params = {"day": day, "until": day_end(day), "shard": i, "shards": n}
    last = queries.last_finished_run(day, shard)
    if last is not None:
        params |= {"covered": last.covered, "stale_after": last.stale_after, "last_day": last.day}
    yield from queries.stream_matches(matches_sql(since_last_run=last is not None, sharded=n > 1), params)
