#!/usr/bin/env python
"""Directory search at 1M profiles: req/s next to hello-world Flask, and EXPLAIN of each operator shape.

    .venv/bin/python bench/bench_directory.py [--profiles 1000000] [--duration 20] [--record]

One run does everything, on this machine:
1. a database of its own (growthdesk_bench_directory) on the PostgreSQL at BENCH_DATABASE_URL
   (default postgresql://postgres@127.0.0.1:5432/postgres), migrated, with demo data and
   enough synthetic people (`python -m bench.scale --profiles N`, which loads with COPY);
2. EXPLAIN ANALYZE of the page query and the count query of each search shape;
3. gunicorn -c gunicorn.conf.py serving bench/hello_app.py (the baseline), wsgi:app and
   bench/floor_app.py (a signed-in page on bare Flask), all up at once, measured with wrk
   (/usr/bin/wrk) in interleaved rounds of the same duration and connections, with the CPU
   each run costs the server, PostgreSQL and wrk read with psutil; the directory is measured
   as full pages and as the builder's live-count partial (htmx);
4. the figures, the ratios and the plans printed, and with --record written to the
   "Directory search" section of docs/benchmarks.md.
"""
from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    AGENT,
    CpuMeter,
    cookie_from,
    database_backends,
    fetch,
    flask,
    gunicorn,
    load_scale,
    login,
    write_section,
    wrk,
)

DB_NAME = os.environ.get("BENCH_DIRECTORY_DB_NAME", "growthdesk_bench_directory")
ADMIN_URL = os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
LOGIN = ("buyer@demo.test", "growthdesk-demo")
GOAL = 0.11  # issue 9: a directory search at 1M profiles, at least 11% of hello world
LOAD_AT_START = "?"
# The figures this section replaced, and what changed since (kept by hand, one line).
PREVIOUS = ("Previous recorded run (2026-11-25, load average 9.9, before issue 9): full page 10%, live-count partial "
            "14%, the ceiling 38% of hello world (the full page 29% of the ceiling's req/s). Since then (issue 9): "
            "whole cards from the cache with the follow button rendered once per card and state, every list in one "
            "keyset order (newest id first, index 040), and PostgreSQL's CPU counted for the bench database's own "
            "backends only. Runs that share the machine with other work (load average 10–15 on 2026-12-01) hold "
            "the ceiling near 18% of hello world and every ratio with it; the ratio to the ceiling compares better.")

# (label, city, all conditions, any conditions): each operator shape the compiler produces.
SHAPES = [
    ("ALL of two tags (@>)", "berlin",
     [("role_tags", "has", "photographer"), ("style_tags", "has", "editorial")], []),
    ("ANY of three tags (&&)", "paris",
     [], [("style_tags", "has", "editorial"), ("style_tags", "has", "fashion"), ("style_tags", "has", "beauty")]),
    ("ALL tag + rate, ANY tags (SPEC example)", "london",
     [("role_tags", "has", "photographer"), ("rate_cents", "lte", 20000)],
     [("style_tags", "has", "editorial"), ("style_tags", "has", "fashion")]),
    ("rate range (lte + gte)", "new-york", [("rate_cents", "gte", 10000), ("rate_cents", "lte", 15000)], []),
    ("ANY across fields (tag or flag)", "milan",
     [("languages", "has", "italian")], [("role_tags", "has", "retoucher"), ("travels", "is", True)]),
    ("narrow ALL (rare tag + verified)", "munich",
     [("role_tags", "has", "set-designer"), ("style_tags", "has", "music"), ("verified", "is", True)], []),
]


def db_url(name: str = DB_NAME) -> str:
    parts = urllib.parse.urlsplit(ADMIN_URL)
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


def shape_path(city, all_, any_, scale=True) -> str:
    from webapp.directory.catalogue import PEOPLE

    pairs = [("city", city)]
    for group, conds in (("all", all_), ("any", any_)):
        for field, op, value in conds:
            f = PEOPLE.by_name[field]
            shown = ("true" if value else "false") if f.kind == "bool" else (
                value // f.input_scale if f.kind == "int" else value)
            pairs += [(f"{group}_field", field), (f"{group}_op", op), (f"{group}_value", str(shown))]
    return "/people?" + urllib.parse.urlencode(pairs)


# --- the database ---------------------------------------------------------------

def prepare_database(profiles: int) -> int:
    import psycopg
    from psycopg import sql

    from webapp.core.migrations import upgrade

    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        if not conn.execute("select 1 from pg_database where datname = %s", (DB_NAME,)).fetchone():
            conn.execute(sql.SQL("create database {}").format(sql.Identifier(DB_NAME)))
    upgrade(db_url())
    with psycopg.connect(db_url()) as conn:
        have = conn.execute("select count(*) from service_profile").fetchone()[0]
    if have < profiles:
        print(f"loading {profiles - have:,} synthetic profiles (COPY) ...", flush=True)
        started = time.perf_counter()
        flask(["seed", "--if-empty"], db_url())
        print(load_scale(db_url(), profiles=profiles - have).strip())
        print(f"loaded in {time.perf_counter() - started:.0f} s", flush=True)
    with psycopg.connect(db_url(), autocommit=True) as conn:
        conn.execute("vacuum analyze service_profile")
        return conn.execute("select count(*) from service_profile").fetchone()[0]


def explain_shapes() -> list[dict]:
    """EXPLAIN ANALYZE the page query and the count query of each shape, as the app runs them."""
    from bench.plans import explain
    from webapp import create_app
    from webapp.core.config import sqlalchemy_url
    from webapp.core.extensions import db
    from webapp.directory import queries
    from webapp.directory.catalogue import PEOPLE
    from webapp.directory.compiler import match_condition
    from webapp.directory.query import Condition, Query, canonical

    app = create_app({"SQLALCHEMY_DATABASE_URI": sqlalchemy_url(db_url())})
    results = []
    with app.app_context():
        for label, city, all_, any_ in SHAPES:
            query = canonical(Query(all=tuple(Condition(*c) for c in all_), any=tuple(Condition(*c) for c in any_)))
            where = match_condition(PEOPLE, city, query)
            # The very statements the directory runs, so the plans are the app's own.
            page = queries.page_statement(PEOPLE, city, query, viewer_id="usr_bench")
            count = queries.count_statement(PEOPLE, city, query)
            entry = {"label": label, "sql": str(where.compile(dialect=db.engine.dialect,
                                                              compile_kwargs={"literal_binds": False}))}
            for name, stmt in (("page", page), ("count", count)):
                plan = explain(stmt, analyze=True,
                                       planner=queries.COUNT_PLANNER if name == "count" else None)
                text = "\n".join(plan)
                entry[name] = plan
                entry[name + "_index"] = sorted(set(re.findall(r"(?:Index Scan|Index Only Scan|Bitmap Index Scan)"
                                                               r"(?: Backward)? (?:using|on) (\w+)", text)))
                entry[name + "_seq"] = "Seq Scan" in text
                m = re.search(r"Execution Time: ([\d.]+) ms", text)
                entry[name + "_ms"] = float(m.group(1)) if m else None
            entry["matches"] = db.session.execute(count).scalar_one()
            results.append(entry)
            db.session.rollback()  # the count's planner settings end with the transaction
        db.session.rollback()
        db.engine.dispose()
    return results


# --- servers and load -------------------------------------------------------------

def sign_in(base: str) -> str:
    cookie = login(base, *LOGIN)
    status, page = fetch(base + shape_path(*SHAPES[0][1:]), cookie)
    assert status == 200 and 'id="match-count"' in page, "could not log in as the demo buyer"
    return cookie


def measure(duration: int, connections: int, rounds: int) -> dict:
    """Both servers up at once, measured in interleaved rounds (medians per target), so whatever
    else the machine does in the meantime hits every target alike."""
    paths_file = ceiling_file = None
    env = {"DATABASE_URL": db_url(), "APP_ENV": "development"}
    try:
        with contextlib.ExitStack() as servers:
            hello = servers.enter_context(gunicorn("bench.hello_app:app"))
            app = servers.enter_context(gunicorn("wsgi:app", env=env, ready_path="/login"))
            floor = servers.enter_context(gunicorn("bench.floor_app:app"))
            meter = CpuMeter(hello=hello.pid, app=app.pid, floor=floor.pid, postgres=database_backends(db_url()))
            cookie = sign_in(app.url)
            with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
                f.write("\n".join(shape_path(city, all_, any_) for _, city, all_, any_ in SHAPES) + "\n")
                paths_file = f.name
            with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
                # The ceiling: a signed-in page with the base layout and one paragraph (a "coming soon" page).
                f.write("/notifications\n")
                ceiling_file = f.name
            script = ROOT / "bench" / "directory_paths.lua"
            base = {"DIRECTORY_COOKIE": cookie, "DIRECTORY_AGENT": AGENT}
            app_url = f"{app.url}/people"
            targets = {
                "hello": dict(url=f"{hello.url}/", server="hello"),
                "page": dict(url=app_url, env=dict(base, DIRECTORY_PATHS=paths_file), script=script, server="app"),
                "partial": dict(url=app_url, env=dict(base, DIRECTORY_PATHS=paths_file, DIRECTORY_HTMX="1"),
                                script=script, server="app"),
                "ceiling": dict(url=app_url, env=dict(base, DIRECTORY_PATHS=ceiling_file), script=script,
                                server="app"),
                # The floor: a signed-in page of the same size on bare Flask + Flask-Login (bench/floor_app.py).
                "floor": dict(url=f"{floor.url}/page", cookie=cookie_from(floor.url + "/login"), server="floor"),
            }
            for target in targets.values():  # warm-up: templates, caches, connection pools
                wrk(duration=2, connections=connections, warmup=0, **target)
            runs: dict[str, list[dict]] = {name: [] for name in targets}
            for _ in range(rounds):
                for name, target in targets.items():
                    runs[name].append(wrk(duration=duration, connections=connections, warmup=0, meter=meter,
                                          **target))
    finally:
        for name in (paths_file, ceiling_file):
            if name:
                os.unlink(name)
    results = {}
    for name, rs in runs.items():
        middle = sorted(rs, key=lambda r: r["rps"])[len(rs) // 2]  # the median round, figures kept together
        cpu = {part: statistics.median(r["cpu"][part] for r in rs) if all(r["cpu"].get(part) is not None for r in rs)
               else None for part in ("server", "postgres", "wrk", "other", "all")}
        results[name] = dict(middle, rounds=[r["rps"] for r in rs], cpu=cpu,
                             share=statistics.median(r["rps"] / h["rps"]
                                                     for r, h in zip(rs, runs["hello"], strict=True)))
    return results


# --- report -----------------------------------------------------------------------

def report(profiles: int, plans: list[dict], load: dict, duration: int, connections: int, rounds: int) -> str:
    lines = [
        "## Directory search",
        "",
        f"Measured {date.today().isoformat()} by `bench/bench_directory.py` on this machine (2 cores; PostgreSQL "
        f"on the same host), {profiles:,} people profiles across 12 cities. gunicorn `-c gunicorn.conf.py` "
        f"(gthread, 2 × cores workers × 4 threads) for both servers, both up at once; `wrk -t2 -c{connections}`, "
        f"{rounds} interleaved rounds of {duration} s per target (the median round shown, the ratio is the median "
        "of the per-round ratios), signed in as the demo buyer, rotating over the six search shapes below.",
        "",
        "| Server | req/s | p50 | p99 | non-200 | vs hello world | rounds (req/s) |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for key, label in (("hello", "hello-world Flask (baseline)"), ("page", "directory, full page"),
                       ("partial", "directory, live-count partial (htmx)"),
                       ("ceiling", "ceiling: signed-in `/notifications` (a \"coming soon\" page: the base layout, "
                                   "one paragraph)"),
                       ("floor", "floor: a signed-in page of the same size on bare Flask + Flask-Login "
                                 "(`bench/floor_app.py`)")):
        r = load[key]
        lines.append(f"| {label} | {r['rps']:,.0f} | {r['p50_ms']:.2f}ms | {r['p99_ms']:.2f}ms | {r['non_2xx']} | "
                     f"{r['share']:.0%} | "
                     + ", ".join(f"{x:,.0f}" for x in r["rounds"]) + " |")

    def us(value: float | None) -> str:
        return "–" if value is None else f"{value:,.0f}"

    lines += ["", "CPU per request, µs (the processes' CPU time over each run, read with psutil; medians over "
              "the rounds; \"rest\" is everything else the machine did meanwhile):", "",
              "| Server | its gunicorn workers | PostgreSQL | wrk | rest | all |", "|---|---:|---:|---:|---:|---:|"]
    for key, label in (("hello", "hello-world Flask"), ("floor", "bare Flask signed-in page (floor)"),
                       ("ceiling", "signed-in `/notifications` (ceiling)"), ("page", "directory, full page"),
                       ("partial", "directory, live-count partial")):
        c = load[key]["cpu"]
        lines.append(f"| {label} | {us(c['server'])} | {us(c['postgres'])} | {us(c['wrk'])} | {us(c['other'])} | "
                     f"{us(c['all'])} |")
    hello_cpu = load["hello"]["cpu"]["all"]
    budget = (f" The budget: both cores are busy in every run, so req/s follows the CPU a request costs, all "
              f"processes together. At {GOAL:.0%} of hello world's rate a search may cost {us(hello_cpu / GOAL)} µs "
              f"of CPU in all; a full page costs {us(load['page']['cpu']['all'])} µs, of which PostgreSQL alone "
              f"{us(load['page']['cpu']['postgres'])} µs, and the bare-Flask floor page "
              f"{us(load['floor']['cpu']['all'])} µs." if hello_cpu else "")
    best = load["page"]["share"]  # the goal is the full page: a search as a link or a reload shows it
    ceiling = load["ceiling"]["share"]
    page_ms = [p["page_ms"] for p in plans if p["page_ms"] is not None]
    verdict = (f"Goal met: the full page {best:.0%} of hello world, the live-count partial "
               f"{load['partial']['share']:.0%}." if best >= GOAL else
               f"Below the goal. The ceiling row is a signed-in page with no content of its own: {ceiling:.0%} of "
               "hello world in the same rounds (session, user, CSRF token, security headers, the base layout). "
               f"The directory gets {best / ceiling:.0%} of that page's rate while it also runs a fresh search "
               "over a million profiles per request: PostgreSQL walks the city's newest profiles until 13 match, "
               f"{min(page_ms):.1f}–{max(page_ms):.1f} ms per shape here (mean {sum(page_ms) / len(page_ms):.1f} ms, "
               "EXPLAIN ANALYZE below), on the same two cores as gunicorn and wrk. The rest is Python: the "
               "builder, twelve whole cards from the per-process card cache (webapp/directory/cards.py) "
               "and the reader's follow buttons. Already done: the user read with its live session in one statement "
               "(webapp/accounts/loader.py); the page statement compiled once per search and the page and count "
               "run straight through psycopg outside a transaction (webapp/core/reads.py); the count (capped at 1,001) "
               "remembered for 30 s. The page of matches itself is deliberately not cached: the figure is a "
               "search at a million profiles, every time." + budget)
    lines += [
        "",
        f"Load average when the run started: {LOAD_AT_START}.",
        "",
        verdict,
        "",
        PREVIOUS,
        "",
        f"Goal: at least {GOAL:.0%} of hello world. Each request renders a signed-in page: session and user "
        "lookup, a keyset page of 12 matches, a count capped at 1,001 rows, the follow state of the page, and "
        "the template.",
        "",
        "Plans at this size (`EXPLAIN ANALYZE`; index used, execution time, matches counted up to 1,001):",
        "",
        "| Shape | Page query | ms | Count query | ms | Matches |",
        "|---|---|---:|---|---:|---:|",
    ]
    for p in plans:
        lines.append(
            f"| {p['label']} | {', '.join(p['page_index']) or 'SEQ SCAN'}{' + seq scan' if p['page_seq'] else ''} "
            f"| {p['page_ms']:.1f} | {', '.join(p['count_index']) or 'SEQ SCAN'}"
            f"{' + seq scan' if p['count_seq'] else ''} | {p['count_ms']:.1f} | {p['matches']:,} |")
    lines += ["", "<details><summary>Full plans</summary>", ""]
    for p in plans:
        lines += [f"**{p['label']}**: `{p['sql']}`", "", "```", *p["page"], "", *p["count"], "```", ""]
    lines += ["</details>", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profiles", type=int, default=1_000_000)
    parser.add_argument("--duration", type=int, default=8, help="seconds of wrk per target and round")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved wrk rounds over all targets")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--record", action="store_true", help="write the results to docs/benchmarks.md")
    args = parser.parse_args()
    if not shutil.which("/usr/bin/wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    global LOAD_AT_START
    LOAD_AT_START = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    profiles = prepare_database(args.profiles)
    plans = explain_shapes()
    for p in plans:
        print(f"{p['label']:<42} page: {', '.join(p['page_index']) or 'SEQ'} {p['page_ms']:.1f} ms | "
              f"count: {', '.join(p['count_index']) or 'SEQ'} {p['count_ms']:.1f} ms | {p['matches']:,} matches")
    load = measure(args.duration, args.connections, args.rounds)
    for key in ("hello", "page", "partial", "ceiling", "floor"):
        r = load[key]
        print(f"{key:<8} {r['rps']:>9,.0f} req/s  p50 {r['p50_ms']:>7.2f}ms  p99 {r['p99_ms']:>7.2f}ms  "
              f"non-200 {r['non_2xx']}  "
              f"{r['share']:.0%} of hello world")
    section = report(profiles, plans, load, args.duration, args.connections, args.rounds)
    if args.record:
        write_section("Directory search", section.split("\n", 1)[1])  # the section without its heading
        print("recorded in docs/benchmarks.md")
    else:
        print(section)


if __name__ == "__main__":
    main()
