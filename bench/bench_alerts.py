"""Benchmark: the daily saved-search alert run over 1M saved searches and 1M directory entries, 10k
of them new on the day, next to the naive per-search loop timed on a sample in the same run.

    .venv/bin/python bench/bench_alerts.py [--searches 1000000] [--entries 1000000] [--new 10000]
        [--sample 2000] [--email-sample 200] [--timeout 600] [--explain] [--reuse] [--no-record]
        [--section Alerts]

What it does, all on this machine:
1. A loaded database `<BENCH_ALERTS_DB_NAME>_loaded` (default growthdesk_bench_alerts_loaded) on
   BENCH_DATABASE_URL's server: migrated, demo data, then by COPY in one transaction (load below):
   - `--entries` directory entries, 85% people (service_profile with their app_user rows, through
     bench/scale.py's Loader.profiles) and 15% studios, at a steady `--new` a day: `--new` of them
     created on D (yesterday, UTC: the job's default day) and the rest spread over the days before;
   - `--searches` saved searches, each by a random member or provider, people or studios, in one of
     the catalogue's cities, with "all" and "any" conditions over the field catalogue's fields (tags,
     rates, sizes, yes/no), created over the 180 days before D, 10% paused (until a day from D − 10
     to D + 30: some pauses are over), last_alert_dt spread (about half D − 1, the rest up to a month
     back or never: their windows run from creation), e-mail on for 80%;
   - every search's saved_search_index row, computed by the app's own code
     (webapp/alerts/matching.index_row_from_json, what the searches service and the run's sync
     call) and COPYed, with query_md5 computed by PostgreSQL (md5(query_json::text)) for each distinct
     query, so the run's sync_index finds nothing stale (the report says how many it rebuilt).
   `--reuse` keeps a loaded database made with the same counts (after migrating it). Then the state the
   daily runs up to D − 1 leave (steady_state): that run logged as finished, every search not paused
   on D − 1 with last_alert_dt = D − 1, so the run of D takes its main pass plus the catch-up.
2. The measured database `<BENCH_ALERTS_DB_NAME>` is a fresh copy of the loaded one (CREATE DATABASE
   … TEMPLATE): every run starts from the same state, nothing alerted yet for D.
3. In this process: the naive loop, each sampled search's own compiled directory query over its window
   (the reference of tests/alerts/test_matching.naive_matches), one query per search, on `--sample`
   random searches (paused ones included: the loop skips them as the reference does), timed and scaled
   to every search; then the matching phase alone (matching.new_matches(D), streamed to the end), whose
   results for the sampled searches must equal the naive loop's.
4. The whole run, `alerts run --date D`, in a process of its own (this file with --child: the app's
   own CLI command, with a statement counter and phase timers attached): its wall time, peak memory
   (the process's ru_maxrss), statements and each phase's time. In-app notifications are written as in
   production; e-mail is off in the timed run (the channel left out: sending is the job queue's work,
   one message at a time, issue 13 point 3), and afterwards `--email-sample` of the e-mails it left
   pending are sent to the development outbox (no SMTP_URL; OUTBOX_DIR a temporary folder, deleted
   afterwards) and timed, so the report gives the day's e-mail work in worker-minutes.
   Every statement runs under `--timeout` seconds, the job's own ALERTS_STATEMENT_TIMEOUT (the app's
   default is 600): a statement stopped there is reported as such, and when the matching phase alone
   is stopped the whole run is not started (it begins with the same statement).
5. For the analysis: the (entry, search) pairs the anchor probe meets, for every entry since the oldest
   window and for D's entries alone (from grouped counts). The matching statement's plain EXPLAIN when
   it was stopped, or with --explain its EXPLAIN (ANALYZE, BUFFERS), on a fresh copy.
6. Prints it all and writes it under "## Alerts" in docs/benchmarks.md (unless --no-record).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import zlib
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import DEFAULT_SERVER, bench_database, flask, with_dbname, write_section  # noqa: E402
from bench.scale import CITY_SLUGS, Loader, _field, fast_ids  # noqa: E402
from webapp.alerts.matching import bound_columns, index_row_from_json  # noqa: E402
from webapp.core.taxonomy import AMENITY_TAGS, LANGUAGES, ROLE_TAGS, STYLE_TAGS  # noqa: E402
from webapp.demo.base import SEED  # noqa: E402

DB_PREFIX = os.environ.get("BENCH_ALERTS_DB_NAME", "growthdesk_bench_alerts")
PEOPLE_SHARE = 0.85          # of entries and of searches; the rest are studios
SEARCH_DAYS = 180            # searches were created over the 180 days before D
WALL_GOAL_S = 60
RATIO_GOAL = 50
MEMORY_GOAL_MB = 500
INDEX_COLUMNS = ["search_id", "scope", "city", "anchor", "all_facts", "has_any", "any_facts", *bound_columns(),
                 "query_md5"]
# What the figures meant when they were first recorded (kept by hand; re-read it after a re-run).
NOTE = """\
Analysis (2026-12-02; history: the first 1M run, 06:34, stopped at the 300 s timeout before its first row;
the same run at 10k × 10k took 29.1 s for matching, 1.3× the naive loop):

- **Since then: the run log (migration 110, docs/decisions.md "Alerts — matching").** After a finished
  run of the shard, the main pass probes only the entries since it (D's 10k instead of every entry since
  the oldest window: the pairs the probe meets drop 10×, 119.8M → 12.0M at 100k searches), and a
  catch-up pass reads the whole window of the few searches that run did not match as they are now.
  Measured at 10k × 10k: matching 29.1 s → 1.4 s and 2.8 s in two runs (26× and 8× the naive loop,
  was 1.3×; the machine's load moves both), results equal to the naive loop's on the sample. The
  benchmark now measures the state daily runs leave (steady_state: the run of D − 1 finished), which
  also makes the naive loop's windows a day long for most searches (2 to 5 ms a search at 10k and
  100k, 13.5 ms at 1M, against 29 ms with the loader's month-long windows).
- **Still short at 100k and 1M, and why: the matches themselves.** At 100k searches × 100k entries (10k
  new on D, as at 1M: about 830 a city) the statement meets 12.0M (entry, search) pairs and 5.9M of
  them *are* matches: 85% of the searches match, 70 new entries each on average (a role in a city
  matches about one entry in eight). 185 s, 15 µs a pair; naive 5 ms a search; 2.7×. The pairs grow
  with searches × new entries per city, so at 1M: 120M pairs, about 60M matches, ~30 min by the same
  cost; it stopped at the 300 s timeout (section "Alerts"; its EXPLAIN shows the intended plan now: D's
  entries by created_at, the probe, saved_search by key; the catch-up search first). A better anchor
  can at most halve the pairs (half are matches); keeping the window and pause on the index row saves
  the lookup back into saved_search, which now happens only for the matching pairs: at best 2×
  together, not the 20× and more missing.
- **The writes alone miss the minute at 1M too:** at 100k the run wrote 84,870 alerts (recording, with
  matching, 136 s) and 84,870 notifications (56 s): at 1M about 850k of each, some 10 minutes of
  in-app delivery at this rate, and 680k e-mails (27 ms each) for the queue's workers.
- **What would close the matching gap (not done):** evaluate each search against its city's new entries
  as bitmaps instead of pair by pair. For each city and day, one bit string (varbit, in created_at
  order) per fact and per bound threshold over D's ~830 entries; a search's matches are the AND of its
  facts' strings, the OR of its "any" group's, the bounds' prefix strings; bit_count is match_count and
  the first five set bits the newest ids. That costs a few 100-byte ANDs per search (1M × ~10 → seconds),
  independent of how many entries match, in one statement over saved_search_index joined to the city's
  strings. The catch-up pass stays as it is. Then recording and in-app delivery need set-based writes
  (one INSERT … SELECT per batch of searches instead of executemany rows) to fit the minute.
- **The index sync** (10.4 s at 1M in the table above: the copy has never synced, so it reads every
  search) now reads only the searches written since its last pass (migration 111): measured apart on
  the 1M copy, 5.7 s for the first pass, 0.00 s for the next.
- The machine was shared (load average 4 to 6 during these runs): the figures are rough, the orders of
  magnitude not."""


def admin_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", DEFAULT_SERVER)


# --- data ------------------------------------------------------------------------------------------

def _people_query(rng: random.Random) -> dict:
    """A people search as someone would build one: mostly a role, often a style or a rate cap, now and
    then a language, a floor, verified or travel; a third with an "any" group of styles or languages."""
    all_, any_ = [], []
    if rng.random() < 0.85:
        all_.append(("role_tags", "has", rng.choice(ROLE_TAGS)))
    if rng.random() < 0.45:
        for style in rng.sample(STYLE_TAGS, 2 if rng.random() < 0.1 else 1):
            all_.append(("style_tags", "has", style))
    if rng.random() < 0.15:
        all_.append(("languages", "has", rng.choice(LANGUAGES)))
    roll = rng.random()
    if roll < 0.35:
        all_.append(("rate_cents", "lte", rng.randrange(10_000, 60_001, 2_500)))
    elif roll < 0.5:
        all_.append(("rate_cents", "gte", rng.randrange(5_000, 30_001, 2_500)))
    if rng.random() < 0.2:
        all_.append(("verified", "is", True))
    if rng.random() < 0.08:
        all_.append(("travels", "is", True))
    if rng.random() < 0.3:
        roll = rng.random()
        if roll < 0.6:
            any_ += [("style_tags", "has", s) for s in rng.sample(STYLE_TAGS, rng.randint(2, 3))]
        elif roll < 0.85:
            any_ += [("languages", "has", lang) for lang in rng.sample(LANGUAGES, 2)]
        else:
            any_ += [("rate_cents", "lte", rng.randrange(10_000, 30_001, 2_500)), ("verified", "is", True)]
    return {"all": [{"field": f, "op": o, "value": v} for f, o, v in all_],
            "any": [{"field": f, "op": o, "value": v} for f, o, v in any_]}


def _studio_query(rng: random.Random) -> dict:
    all_, any_ = [], []
    if rng.random() < 0.75:
        for amenity in rng.sample(AMENITY_TAGS, 2 if rng.random() < 0.1 else 1):
            all_.append(("amenity_tags", "has", amenity))
    if rng.random() < 0.5:
        all_.append(("hourly_rate_cents", "lte", rng.randrange(5_000, 25_001, 2_500)))
    if rng.random() < 0.3:
        all_.append(("capacity", "gte", rng.choice([5, 10, 15, 20, 30])))
    if rng.random() < 0.3:
        all_.append(("size_sqm", "gte", rng.choice([30, 50, 80, 120, 200])))
    if rng.random() < 0.2:
        all_.append(("verified", "is", True))
    if rng.random() < 0.25:
        any_ += [("amenity_tags", "has", a) for a in rng.sample(AMENITY_TAGS, rng.randint(2, 3))]
    return {"all": [{"field": f, "op": o, "value": v} for f, o, v in all_],
            "any": [{"field": f, "op": o, "value": v} for f, o, v in any_]}


def entry_moments(rng: random.Random, n: int, new: int, day: date) -> list[int]:
    """n creation moments (ms, ascending): `new` on `day`, the rest at the same daily rate before it."""
    day_ms = int(datetime.combine(day, datetime.min.time(), UTC).timestamp() * 1000)
    before = n - new
    span = max(1, before * 86_400_000 // max(1, new))
    moments = [day_ms - span + int(rng.random() * span) for _ in range(before)]
    moments += [day_ms + int(rng.random() * 86_400_000) for _ in range(new)]
    return sorted(moments)


def load_studios(loader: Loader, n: int, moments: list[int]) -> None:
    rng, conn = loader.rng, loader.conn
    owners = [r[0] for r in conn.execute("select user_id from app_user where role = 'provider'"
                                         " order by user_id limit 200000")]
    ids = fast_ids("std", moments)
    stamps = loader.stamps(moments)

    def lines():
        for i in range(n):
            amenities = "{" + ",".join(sorted(rng.sample(AMENITY_TAGS, rng.randint(1, 4)))) + "}"
            yield (f"{ids[i]}\t{owners[int(rng.random() * len(owners))]}\tStudio {i}\t{rng.choice(CITY_SLUGS)}\t"
                   f"{amenities}\t{rng.randrange(3_000, 30_001, 500)}\t{rng.randint(2, 60)}\t"
                   f"{rng.randrange(20, 501, 10)}\t{'t' if rng.random() < 0.4 else 'f'}\t{stamps[i]}\t{stamps[i]}")

    loader.copy_lines("studio", ["studio_id", "owner_user_id", "name", "city", "amenity_tags", "hourly_rate_cents",
                                 "capacity", "size_sqm", "verified", "created_at", "updated_at"], lines(), n)


def load_searches(loader: Loader, n: int, day: date) -> None:
    """n searches (see the module's docstring) and their saved_search_index rows."""
    rng, conn = loader.rng, loader.conn
    users = [r[0] for r in conn.execute(
        "select user_id from app_user where role in ('member', 'provider') order by user_id")]
    day_ms = int(datetime.combine(day, datetime.min.time(), UTC).timestamp() * 1000)
    moments = sorted(day_ms - int(rng.random() * SEARCH_DAYS * 86_400_000) for _ in range(n))
    ids = fast_ids("ssv", moments)
    stamps = loader.stamps(moments)
    taken: set[int] = set(zlib.crc32(f"{u}|{s}|{c}|{json.dumps(q, sort_keys=True)}".encode()) for u, s, c, q in
                          conn.execute("select user_id, scope, city, query_json from saved_search"))
    rows = []  # (search_id, user, scope, city, query text, paused, last_alert, email, created)
    for i in range(n):
        while True:
            scope = "people" if rng.random() < PEOPLE_SHARE else "studios"
            query = _people_query(rng) if scope == "people" else _studio_query(rng)
            user, city = users[int(rng.random() * len(users))], rng.choice(CITY_SLUGS)
            text = json.dumps(query, sort_keys=True)
            key = zlib.crc32(f"{user}|{scope}|{city}|{text}".encode())
            if key not in taken:  # a user holds each search once (uq_saved_search_user_query)
                taken.add(key)
                break
        created = datetime.fromtimestamp(moments[i] / 1000, UTC).date()
        roll = rng.random()
        last = (day - timedelta(days=1) if roll < 0.5 else day - timedelta(days=rng.randint(2, 7)) if roll < 0.75
                else day - timedelta(days=rng.randint(8, 30)) if roll < 0.9 else None)
        if last is not None and last < created:
            last = None  # never alerted since it was made: its window runs from its creation
        paused = day + timedelta(days=rng.randint(-10, 30)) if rng.random() < 0.1 else None
        rows.append((ids[i], user, scope, city, text, paused, last, rng.random() < 0.8, stamps[i]))
    loader.copy_lines("saved_search", ["search_id", "user_id", "scope", "city", "query_json", "paused_until",
                                       "last_alert_dt", "email_alerts", "created_at", "updated_at"],
                      (f"{r[0]}\t{r[1]}\t{r[2]}\t{r[3]}\t{_field(r[4])}\t{_field(r[5])}\t{_field(r[6])}\t"
                       f"{_field(r[7])}\t{r[8]}\t{r[8]}" for r in rows), n)
    # The index rows: the app's own derivation, once per distinct (scope, city, query); md5 by the server.
    distinct = sorted({r[4] for r in rows})
    md5 = dict(conn.execute("select q, md5(q::jsonb::text) from unnest(%s::text[]) q", (distinct,)).fetchall())
    derived: dict[tuple, str] = {}

    def index_lines():
        for r in rows:
            key = (r[2], r[3], r[4])
            line = derived.get(key)
            if line is None:
                row = index_row_from_json(r[2], r[3], json.loads(r[4]))
                line = derived[key] = "\t".join(_field(row[c]) for c in INDEX_COLUMNS[1:-1]) + f"\t{md5[r[4]]}"
            yield f"{r[0]}\t{line}"

    loader.copy_lines("saved_search_index", INDEX_COLUMNS, index_lines(), n)


def load(url: str, *, searches: int, entries: int, new: int, day: date) -> dict[str, float]:
    timings: dict[str, float] = {}
    with psycopg.connect(url) as conn:
        conn.execute("set local synchronous_commit = off")
        loader = Loader(conn, random.Random(SEED + 13), secret_key="unused")  # no keyed hashes in these rows
        people = round(entries * PEOPLE_SHARE)
        people_new = round(new * PEOPLE_SHARE)
        moments = entry_moments(loader.rng, people, people_new, day)
        loader.times = lambda n: moments  # Loader.profiles draws its moments here: ours, around D
        started = time.perf_counter()
        loader.profiles(people)
        timings["people (app_user, service_profile)"] = time.perf_counter() - started
        started = time.perf_counter()
        load_studios(loader, entries - people, entry_moments(loader.rng, entries - people, new - people_new, day))
        timings["studios"] = time.perf_counter() - started
        started = time.perf_counter()
        load_searches(loader, searches, day)
        timings["searches and their index rows"] = time.perf_counter() - started
        started = time.perf_counter()
        conn.commit()
        timings["commit"] = time.perf_counter() - started
        conn.autocommit = True
        started = time.perf_counter()
        for table in sorted(loader.touched):
            conn.execute(f"vacuum (analyze) {table}")
        timings["vacuum (analyze)"] = time.perf_counter() - started
    return timings


def database_comment(name: str) -> dict:
    with psycopg.connect(admin_url(), autocommit=True) as conn:
        row = conn.execute("select shobj_description(oid, 'pg_database') from pg_database where datname = %s",
                           (name,)).fetchone()
    return json.loads(row[0]) if row and row[0] and row[0].startswith("{") else {}


def prepare(*, searches: int, entries: int, new: int, reuse: bool) -> tuple[date, dict]:
    """The loaded database (kept with `reuse` when it holds these counts); returns D and the load's timings."""
    name = f"{DB_PREFIX}_loaded"
    loaded = f"bench_alerts searches={searches} entries={entries} new={new}"
    kept = database_comment(name)
    if reuse and kept.get("loaded") == loaded:
        flask(["db", "upgrade"], with_dbname(admin_url(), name))
        day = date.fromisoformat(kept["day"])
        if not kept.get("steady"):
            steady_state(with_dbname(admin_url(), name), day)
            kept["steady"] = True
            _comment(name, kept)
        print(f"{name}: kept (D = {kept['day']})")
        return day, kept["timings"]
    day = datetime.now(UTC).date() - timedelta(days=1)
    started = time.monotonic()
    url = bench_database(name)
    timings = load(url, searches=searches, entries=entries, new=new, day=day)
    steady_state(url, day)
    timings["total, with migrations and demo data"] = time.monotonic() - started
    _comment(name, {"loaded": loaded, "day": day.isoformat(), "timings": timings, "steady": True})
    print(f"{name}: loaded in {time.monotonic() - started:.0f} s; {timings}")
    return day, timings


def _comment(name: str, kept: dict) -> None:
    with psycopg.connect(admin_url(), autocommit=True) as conn:
        conn.execute(sql.SQL("comment on database {} is {}").format(sql.Identifier(name),
                                                                    sql.Literal(json.dumps(kept))))


def steady_state(url: str, day: date) -> None:
    """The state the daily runs up to D − 1 leave (docs/decisions.md, "Alerts — matching"): the run of
    D − 1 finished (alert_run), every search not paused on D − 1 was matched up to its end; one with a
    match then has last_alert_dt = D − 1, one without had nothing in its window, so moving its window's
    start to the end of D − 1 changes none of its matches on D: all of them get last_alert_dt = D − 1
    (no alert row: matching reads the date only). Searches paused on D − 1 keep their windows (those
    whose pause ended by D are the run's catch-up); each index row was written when its search was saved."""
    before = day - timedelta(days=1)
    with psycopg.connect(url) as conn:
        conn.execute("update saved_search set last_alert_dt = %s where (paused_until is null or paused_until < %s)"
                     " and created_at < %s::date + 1 and (last_alert_dt is null or last_alert_dt < %s)",
                     (before, before, before, before))
        conn.execute("update saved_search_index x set changed_at = s.created_at from saved_search s"
                     " where s.search_id = x.search_id")
        conn.execute("insert into alert_run (day, shard_index, shard_count, started_at, finished_at)"
                     " values (%s, 0, 1, now(), now()) on conflict do nothing", (before,))
        conn.commit()
        conn.autocommit = True
        for table in ("saved_search", "saved_search_index"):
            conn.execute(f"vacuum (analyze) {table}")


def fresh_copy() -> str:
    """The measured database: a copy of the loaded one, so every run starts from the same state."""
    with psycopg.connect(admin_url(), autocommit=True) as conn:
        conn.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(DB_PREFIX)))
        conn.execute(sql.SQL("create database {} template {}").format(sql.Identifier(DB_PREFIX),
                                                                       sql.Identifier(f"{DB_PREFIX}_loaded")))
    return with_dbname(admin_url(), DB_PREFIX)  # its statistics and visibility map are the loaded one's


def facts(url: str, day: date) -> dict:
    with psycopg.connect(url) as conn:
        one = lambda q, *p: conn.execute(q, p).fetchone()[0]  # noqa: E731
        return {
            "searches": one("select count(*) from saved_search"),
            "active": one("select count(*) from saved_search where paused_until is null or paused_until < %s", day),
            "people": one("select count(*) from service_profile"),
            "studios": one("select count(*) from studio"),
            "new": one("select (select count(*) from service_profile where created_at >= %s and created_at < %s)"
                       " + (select count(*) from studio where created_at >= %s and created_at < %s)",
                       day, day + timedelta(days=1), day, day + timedelta(days=1)),
            "oldest window": one("select min(coalesce(last_alert_dt + 1, created_at::date)) from saved_search"
                                 " where paused_until is null or paused_until < %s", day),
        }


# --- measuring -------------------------------------------------------------------------------------

class Statements:
    """Counts what SQLAlchemy sends (before_cursor_execute, every engine): executions, and the rows of
    executemany calls (each row a statement to the server, psycopg pipelines them)."""

    def __init__(self):
        self.executions = self.many_rows = 0

    def __call__(self, conn, cursor, statement, parameters, context, executemany):
        self.executions += 1
        if executemany:
            self.many_rows += len(parameters)

    def snapshot(self) -> tuple[int, int]:
        return self.executions, self.many_rows


def app_for(url: str):
    os.environ.update({"DATABASE_URL": url, "APP_ENV": "development"})
    from webapp import create_app

    return create_app()


def naive_loop(app, day: date, sample: int) -> tuple[float, dict, int, list[str]]:
    """tests/alerts/test_matching.naive_matches over `sample` random searches: each one's own compiled
    directory query over its window, one query per search. Returns (seconds for the loop, the matches
    by search id, the searches skipped as paused, the sampled ids)."""
    from sqlalchemy import text

    from webapp.alerts import service
    from webapp.alerts.matching import one_search_matches
    from webapp.core.extensions import db

    with app.app_context(), service.job_timeouts(app.config["ALERTS_STATEMENT_TIMEOUT"]):  # the run's limits
        rows = db.session.execute(text(
            "select search_id, scope, city, query_json, paused_until, last_alert_dt, created_at"
            " from saved_search order by md5(search_id || 'bench') limit :n"), {"n": sample}).mappings().all()
        db.session.rollback()
        found, paused = {}, 0
        started = time.perf_counter()
        for s in rows:
            if s["paused_until"] is not None and s["paused_until"] >= day:
                paused += 1
                continue
            if match := one_search_matches(db.session, s, day):
                found[s["search_id"]] = match
        took = time.perf_counter() - started
        db.session.rollback()
        return took, found, paused, [r["search_id"] for r in rows]


def matching_alone(app, day: date, sample_ids: list[str]) -> dict:
    """matching.new_matches(D) streamed to its end (after a timed sync_index of its own), keeping only
    the sampled searches' matches; under the run's own statement timeout (None: it stopped there)."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine
    from sqlalchemy.exc import OperationalError

    from webapp.alerts import matching, queries, service

    wanted = set(sample_ids)
    counter = Statements()
    event.listen(Engine, "before_cursor_execute", counter)
    figures = {"searches": 0, "matches": 0, "first_row_s": None, "sample": {}, "timed_out": False}
    try:
        with app.app_context(), service.job_timeouts(app.config["ALERTS_STATEMENT_TIMEOUT"]):  # the run's limits
            started = time.perf_counter()
            figures["rebuilt"] = queries.sync_index()
            figures["sync_s"] = time.perf_counter() - started
            started = time.perf_counter()
            try:
                for m in matching.new_matches(day):
                    if figures["first_row_s"] is None:
                        figures["first_row_s"] = time.perf_counter() - started
                    figures["searches"] += 1
                    figures["matches"] += m.match_count
                    if m.search_id in wanted:
                        figures["sample"][m.search_id] = m
            except OperationalError as exc:
                if "statement timeout" not in str(exc):
                    raise
                figures["timed_out"] = True
            figures["seconds"] = time.perf_counter() - started
    finally:
        event.remove(Engine, "before_cursor_execute", counter)
    figures["statements"] = counter.snapshot()
    return figures


def child(url: str, day_text: str, email_sample: int) -> None:
    """The whole run in this process, as `flask --app wsgi alerts run --date D` runs it (the app's own CLI
    command) with a statement counter and phase timers, and e-mail off; then `email_sample` of the
    e-mails it left pending sent to the development outbox, timed. Prints a JSON line of figures last."""
    from sqlalchemy import event, text
    from sqlalchemy.engine import Engine

    from webapp.alerts import service
    from webapp.alerts.email import Sent, send_alert_email
    from webapp.core.extensions import db

    started = time.perf_counter()
    day = date.fromisoformat(day_text)
    app = app_for(url)
    outbox = tempfile.mkdtemp(prefix="bench-alerts-outbox-")
    app.config["OUTBOX_DIR"] = outbox
    counter = Statements()
    event.listen(Engine, "before_cursor_execute", counter)
    phases: dict[str, dict] = {}
    marks = {"record": None}

    def timed(channel):
        def deliver(d, shard):
            if marks["record"] is None:  # the first channel begins: matching and recording are over
                marks["record"] = (time.perf_counter() - run_started, counter.snapshot())
            before, began = counter.snapshot(), time.perf_counter()
            outcome = channel.deliver(d, shard)
            after = counter.snapshot()
            phases[channel.name] = {"seconds": time.perf_counter() - began, "done": outcome.done,
                                    "statements": [after[0] - before[0], after[1] - before[1]]}
            return outcome
        return service.Channel(channel.name, deliver)

    # E-mail is the job queue's work (issue 13, point 3): off in the timed run, sampled below. In-app is
    # delivered inline, by this process, whatever ALERTS_DELIVERY says.
    service.CHANNELS[:] = [timed(c) for c in service.CHANNELS if c.name != "e-mail"]
    run_started = time.perf_counter()
    result = app.test_cli_runner().invoke(args=["alerts", "run", "--date", day_text, "--deliver", "inline"])
    run_s = time.perf_counter() - run_started
    figures = {"run_s": run_s, "statements": counter.snapshot(), "record": marks["record"], "phases": phases,
               "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    if result.exit_code != 0:
        figures["failed"] = str(result.exception or result.output).splitlines()[0][:300]
    else:
        print(result.output.strip())
        with app.app_context():
            pending = db.session.execute(text(
                "select a.alert_id from saved_search_alert a join saved_search s using (search_id)"
                " where a.alert_dt = :day and not a.email_sent and s.email_alerts order by a.alert_id"),
                {"day": day}).scalars().all()
            db.session.commit()
            before, began = counter.snapshot(), time.perf_counter()
            sent = sum(send_alert_email(alert_id) is Sent.SENT for alert_id in pending[:email_sample])
            figures["email"] = {"pending": len(pending), "sent": sent, "seconds": time.perf_counter() - began,
                                "statements": counter.snapshot()[0] - before[0], "outbox": len(os.listdir(outbox))}
    shutil.rmtree(outbox, ignore_errors=True)
    figures["process_s"] = time.perf_counter() - started
    print(json.dumps(figures))


def whole_run(url: str, day: date, *, timeout: float, email_sample: int) -> dict:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, __file__, "--child", url, day.isoformat(), str(email_sample)], cwd=ROOT,
                          capture_output=True, text=True, env={**os.environ, "ALERTS_STATEMENT_TIMEOUT": str(timeout)})
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"the run failed:\n{done.stdout}\n{done.stderr}")
    lines = done.stdout.strip().splitlines()
    return {**json.loads(lines[-1]), "wall_s": wall, "said": "\n".join(lines[:-1])}


def explain(url: str, day: date, *, analyze: bool) -> str:
    """The matching statement's plan: EXPLAIN (ANALYZE, BUFFERS) when it finishes in reasonable time,
    else the plain EXPLAIN (the planner's estimates)."""
    from webapp.alerts.matching import LastRun, day_end, matches_sql

    with psycopg.connect(url) as conn:
        last = conn.execute("select day, started_at from alert_run where day < %s and shard_count = 1"
                            " order by day desc limit 1", (day,)).fetchone()
    params = {"day": day, "until": day_end(day), "shard": 0, "shards": 1}
    if last is not None:
        last = LastRun(*last)
        params |= {"covered": last.covered, "stale_after": last.stale_after, "last_day": last.day}
    statement = matches_sql(since_last_run=last is not None, sharded=False)
    for name in sorted(params, key=len, reverse=True):  # :shards before :shard
        statement = statement.replace(f":{name}", f"%({name})s")
    options = "analyze, buffers, costs off" if analyze else "costs"
    with psycopg.connect(url) as conn:
        plan = conn.execute(f"explain ({options}) " + statement, params).fetchall()
    return "\n".join(r[0] for r in plan)


def candidates(url: str, day: date) -> dict:
    """How many (entry, search) pairs the matching statement's probe meets, (scope, city, anchor = one of
    the entry's facts), for the entries of D alone and for every entry since the oldest window: the work
    the percolator's anchor leaves to the checks after it. Counted from grouped counts, cheaply."""
    from webapp.alerts.matching import _entry_facts, day_end
    from webapp.directory.catalogue import SCOPES

    out = {"day": 0, "all": 0}
    with psycopg.connect(url) as conn:
        for scope in SCOPES.values():
            for name, start in (("day", "%(start)s"), ("all", "'-infinity'")):
                out[name] += conn.execute(f"""
                    with probe as (select x.city, x.anchor, count(*) as n from saved_search_index x
                                   join saved_search s using (search_id)
                                   where x.scope = %(scope)s and (s.paused_until is null or s.paused_until < %(day)s)
                                   group by 1, 2)
                    select coalesce(sum(p.n), 0)
                    from (select t.city, {_entry_facts(scope, 't')} || ''::text as facts from {scope.table} t
                          where t.created_at > {start} and t.created_at <= %(until)s) e
                    cross join lateral unnest(e.facts) f(fact)
                    join probe p on p.city = e.city and p.anchor = f.fact""",
                    {"scope": scope.name, "day": day, "start": day_end(day - timedelta(days=1)),
                     "until": day_end(day)}).fetchone()[0]
    return out


# --- report ----------------------------------------------------------------------------------------

def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3], int(sys.argv[4]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--searches", type=int, default=1_000_000, help="saved searches")
    parser.add_argument("--entries", type=int, default=1_000_000, help="directory entries (people and studios)")
    parser.add_argument("--new", type=int, default=10_000, help="entries created on D")
    parser.add_argument("--sample", type=int, default=2_000, help="searches the naive loop runs")
    parser.add_argument("--email-sample", type=int, default=200, help="pending alert e-mails sent, timed")
    parser.add_argument("--timeout", type=float, default=600,
                        help="the run's statement timeout, s (ALERTS_STATEMENT_TIMEOUT; the app's default is 600)")
    parser.add_argument("--explain", action="store_true", help="also EXPLAIN ANALYZE the matching statement")
    parser.add_argument("--reuse", action="store_true", help="keep a loaded database that holds the counts")
    parser.add_argument("--no-record", action="store_true", help="print only; don't touch docs/benchmarks.md")
    parser.add_argument("--section", default="Alerts", help="the docs/benchmarks.md section to write")
    args = parser.parse_args()

    load_at_start = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    started_at = datetime.now().strftime("%Y-%m-%d %H:%M")
    day, load_timings = prepare(searches=args.searches, entries=args.entries, new=args.new, reuse=args.reuse)
    url = fresh_copy()
    shape = facts(url, day)
    print(f"D = {day}: {shape}")

    app = app_for(url)
    app.config["ALERTS_STATEMENT_TIMEOUT"] = args.timeout
    naive_s, naive_found, naive_paused, sample_ids = naive_loop(app, day, args.sample)
    print(f"naive loop: {len(sample_ids)} searches in {naive_s:.2f} s ({naive_paused} paused, skipped)")
    alone = matching_alone(app, day, sample_ids)
    print(f"matching alone: {alone}"[:400])
    probed = candidates(url, day)
    print(f"candidates: {probed}")
    run = None
    if not alone["timed_out"]:
        run = whole_run(fresh_copy(), day, timeout=args.timeout, email_sample=args.email_sample)
        print({k: v for k, v in run.items() if k != "said"})
    plan = explain(fresh_copy(), day, analyze=False) if alone["timed_out"] else \
        explain(fresh_copy(), day, analyze=True) if args.explain else None

    searches = shape["searches"]
    naive_per_search = naive_s / len(sample_ids)
    naive_scaled = naive_per_search * searches
    met = lambda ok: "met" if ok else "**NOT met**"  # noqa: E731
    rows = []
    if run and "failed" not in run:
        record_s, record_statements = run["record"]
        inapp = run["phases"]["in-app"]
        email = run["email"]
        per_mail = email["seconds"] / max(1, email["sent"])
        rows += [
            f"| whole run, `alerts run --date D` in its own process (e-mail off, see below): wall time | "
            f"{run['run_s']:.1f} s ({run['wall_s']:.1f} s with interpreter start and app import) | "
            f"< {WALL_GOAL_S} s: {met(run['run_s'] < WALL_GOAL_S)} |",
            f"| … of which matching and recording (sync_index, the streamed statement, alert rows 500 at a time) "
            f"| {record_s:.1f} s | |",
            f"| … and in-app delivery ({inapp['done']:,} notifications) | {inapp['seconds']:.1f} s | |",
            f"| its peak memory (ru_maxrss of the process) | {run['maxrss_mb']:.0f} MB | < {MEMORY_GOAL_MB} MB: "
            f"{met(run['maxrss_mb'] < MEMORY_GOAL_MB)} |",
            f"| its statements: SQLAlchemy executions, + rows sent by executemany | {run['statements'][0]:,} + "
            f"{run['statements'][1]:,} (recording {record_statements[0]:,} + {record_statements[1]:,}, in-app "
            f"{inapp['statements'][0]:,} + {inapp['statements'][1]:,}) | bounded, not one per search |",
            f"| alert e-mails left for the queue: {email['pending']:,}; {email['sent']} of them sent to the outbox, "
            f"timed | {per_mail * 1000:.1f} ms and {email['statements'] / max(1, email['sent']):.1f} statements "
            f"an e-mail: {email['pending'] * per_mail / 60:,.0f} worker-minutes for the day | |",
            f"| naive ÷ whole run | {naive_scaled / run['run_s']:,.1f}× | |",
        ]
    elif run:
        rows.append(f"| whole run, `alerts run --date D` in its own process | failed after {run['run_s']:.0f} s: "
                    f"{run['failed']} | < {WALL_GOAL_S} s: **NOT met** |")
    else:
        rows.append(f"| whole run, `alerts run --date D` | not run: its matching statement alone did not finish "
                    f"within the run's statement timeout ({args.timeout:.0f} s), see below | < {WALL_GOAL_S} s: "
                    f"**NOT met** |")
    if alone["timed_out"]:
        rows.append(f"| matching phase alone (new_matches(D)) | stopped by the statement timeout after "
                    f"{alone['seconds']:.0f} s, no row yet | |")
        ratio_text = f"< {naive_scaled / alone['seconds']:,.1f}× (naive ÷ the timeout)"
        agree = None
    else:
        ratio = naive_scaled / alone["seconds"]
        ratio_text = f"**{ratio:,.1f}×** | ≥ {RATIO_GOAL}×: {met(ratio >= RATIO_GOAL)}"
        agree = alone["sample"] == naive_found
        rows += [
            f"| matching phase alone: new_matches(D) streamed to its end | {alone['seconds']:.1f} s (first row "
            f"after {alone['first_row_s'] or 0:.1f} s); {alone['searches']:,} searches with {alone['matches']:,} "
            f"new matches | |",
            f"| the sample's matches, set-based against naive | {'equal' if agree else '**DIFFERENT**'} "
            f"({len(naive_found)} of {len(sample_ids)} sampled searches matched) | equal |",
        ]
    rows += [
        f"| sync_index before it (rows rebuilt: {alone['rebuilt']}) | {alone['sync_s']:.1f} s | |",
        f"| naive loop: {len(sample_ids):,} random searches ({naive_paused} paused, skipped), one query each | "
        f"{naive_s:.1f} s, {naive_per_search * 1000:.2f} ms a search; scaled to {searches:,}: "
        f"{naive_scaled:,.0f} s ({naive_scaled / 3600:.1f} h) | |",
        f"| naive ÷ matching phase | {ratio_text} |" + ("" if alone["timed_out"] else ""),
    ]
    if alone["timed_out"]:  # below naive ÷ timeout: decided only when that bound is itself below the goal
        bound = naive_scaled / alone["seconds"]
        rows[-1] += f" ≥ {RATIO_GOAL}×: " + ("**NOT met** |" if bound < RATIO_GOAL else "not decided by this run |")
    rows += [
        f"| (entry, search) pairs the anchor probe meets: every entry since the oldest window (the run with no "
        f"finished run before it) / D's entries alone (the main pass after one) | {probed['all']:,} / "
        f"{probed['day']:,} | |",
    ]
    lines = [
        f"`bench/bench_alerts.py`, {started_at}, machine: {os.cpu_count()} cores, {platform.python_implementation()} "
        f"{platform.python_version()}, PostgreSQL 15 on 127.0.0.1 as installed (shared_buffers 128 MB, work_mem "
        f"4 MB). D = {day}. {searches:,} saved searches ({shape['active']:,} not paused on D; ANY/ALL conditions "
        f"over the field catalogue; windows from {shape['oldest window']} on), {shape['people']:,} people and "
        f"{shape['studios']:,} studios, {shape['new']:,} of them created on D (demo data included). "
        f"Load average when the run started: {load_at_start}.",
        "",
        "| measure | figure | target |",
        "| --- | --- | --- |",
        *rows,
        "",
        "How it is measured: the naive loop (tests/alerts' reference: each search's own compiled directory "
        "query over its window) and the matching phase run in the benchmark's process on a copy of the loaded "
        "database, under the run's statement timeout; the whole run in a process of its own (`bench_alerts.py "
        "--child`: the app's `alerts run` command through Flask's CLI runner, a `before_cursor_execute` listener "
        "counting statements, the delivery channels wrapped in timers) on a fresh copy, so both start from the "
        "same state: the state the daily runs up to D − 1 leave (steady_state: that run finished, every search "
        "not paused on D − 1 matched up to its end). **E-mail is off in the timed run**: it is the job queue's "
        "work (issue 13, point 3), one "
        "message at a time; the e-mails the run leaves pending are counted and a sample is sent to the "
        "development outbox (no SMTP_URL; a temporary folder) and timed. In-app notifications are part of the "
        "run. Statements sent straight on the driver's cursor (the run's `SET LOCAL` timeouts) and a server-side "
        "cursor's FETCHes are not counted; PostgreSQL's own memory is not in the peak memory figure.",
        "",
        *([f"- Load: {', '.join(f'{k} {v:.0f} s' for k, v in load_timings.items())}."] if load_timings else []),
        "",
        NOTE,
        "",
        "This run, again (`--reuse` keeps the loaded database):",
        "",
        "```sh",
        (f"BENCH_ALERTS_DB_NAME={DB_PREFIX} " if DB_PREFIX != "growthdesk_bench_alerts" else "")
        + f".venv/bin/python bench/bench_alerts.py {shlex.join(sys.argv[1:])}".rstrip(),
        "```",
    ]
    if plan:
        lines += ["", "The matching statement, " + ("EXPLAIN (estimates: it does not finish)" if alone["timed_out"]
                                                    else "EXPLAIN (ANALYZE, BUFFERS)") + ":", "", "```", plan, "```"]
    report = "\n".join(lines)
    print(report)
    if not args.no_record:
        write_section(args.section, report)
        print("\nrecorded in docs/benchmarks.md")


if __name__ == "__main__":
    main()
