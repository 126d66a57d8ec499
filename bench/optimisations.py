"""What each kept optimisation saves: pages timed in-process with it on and off, in paired rounds.

    .venv/bin/python bench/optimisations.py [--rounds 12] [--requests 40]

On the feed and directory benchmarks' databases (run bench_feed.py and bench_directory.py
first; BENCH_FEED_DB_NAME / BENCH_DIRECTORY_DB_NAME), through Flask's test client, signed in.
For each switch, rounds alternate on/off (the order flips every round) and each round times
`--requests` GETs of each page: the CPU time of this process (the app's own work; PostgreSQL's
is not in it) and the wall time. Printed as medians over the rounds, with the difference.

Switches: the card caches (webapp/core/cache.py, feed and directory cards), the directory's
compiled page SQL (directory/queries.py), the Markdown cache of profile text (feed/markdown.py)
and the removal of Flask-Limiter's per-request pass (webapp/__init__.py). (The 5-second user cache
it also measured went with sessions that end: docs/decisions.md, Performance.)
"""
from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("APP_ENV", "development")

from bench import bench_directory, bench_feed  # noqa: E402
from bench.common import AGENT  # noqa: E402
from webapp.core.config import sqlalchemy_url  # noqa: E402


def signed_in(database_url: str, email: str, password: str):
    from webapp import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": sqlalchemy_url(database_url)})
    client = app.test_client()
    headers = {"User-Agent": AGENT}
    page = client.get("/login", headers=headers).get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    answer = client.post("/login", data={"email": email, "password": password, "csrf_token": token}, headers=headers)
    assert answer.status_code in (302, 303), answer.status_code
    return app, client, headers


@contextmanager
def card_caches(on: bool):
    from webapp.directory.cards import directory_cards
    from webapp.feed.cards import post_cards

    for cache in (post_cards, directory_cards):
        cache.resize(None if on else 0)
    try:
        yield
    finally:
        for cache in (post_cards, directory_cards):
            cache.resize(None)


@contextmanager
def compiled_sql(on: bool):
    from webapp.directory import queries

    cached = queries._compiled_page
    if not on:
        queries._compiled_page = cached.__wrapped__
    try:
        yield
    finally:
        queries._compiled_page = cached


@contextmanager
def markdown_cache(on: bool):
    import webapp.profiles.views as views
    from webapp.feed.markdown import render_markdown

    cached = views.cached_markdown
    if not on:
        views.cached_markdown = render_markdown
    try:
        yield
    finally:
        views.cached_markdown = cached


@contextmanager
def limiter_pass_dropped(app, on: bool):
    from webapp.core.extensions import limiter

    hooks = app.before_request_funcs.setdefault(None, [])
    if not on:
        hooks.insert(0, limiter._check_request_limit)
    try:
        yield
    finally:
        if not on:
            hooks.remove(limiter._check_request_limit)


def measure(client, headers, paths: list[str], switch, rounds: int, requests: int) -> dict:
    samples = {True: {"cpu": [], "wall": []}, False: {"cpu": [], "wall": []}}
    for round_ in range(rounds):
        for on in ((True, False) if round_ % 2 == 0 else (False, True)):
            with switch(on):
                for path in paths:  # warm-up: a cache that is on is filled before it is timed
                    assert client.get(path, headers=headers).status_code == 200, path
                cpu, wall = time.process_time(), time.perf_counter()
                for _ in range(requests):
                    for path in paths:
                        client.get(path, headers=headers)
                n = requests * len(paths)
                samples[on]["cpu"].append((time.process_time() - cpu) / n * 1e6)
                samples[on]["wall"].append((time.perf_counter() - wall) / n * 1e6)
    return {on: {k: statistics.median(v) for k, v in s.items()} for on, s in samples.items()}


def report(name: str, result: dict) -> str:
    on, off = result[True], result[False]
    return (f"| {name} | {on['cpu']:,.0f} | {off['cpu']:,.0f} | {off['cpu'] - on['cpu']:+,.0f} "
            f"({(off['cpu'] - on['cpu']) / on['cpu']:+.0%}) | {on['wall']:,.0f} | {off['wall']:,.0f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=12)
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()
    lines = ["| page, switch | CPU µs on | CPU µs off | off − on | wall µs on | wall µs off |",
             "|---|---:|---:|---:|---:|---:|"]

    app, client, headers = signed_in(bench_feed.db_url(), bench_feed.READER_EMAIL, bench_feed.READER_PASSWORD)
    feed = ["/feed"]
    for name, switch in (("`/feed`: card cache", card_caches),
                         ("`/feed`: Flask-Limiter's pass dropped", lambda on: limiter_pass_dropped(app, on))):
        lines.append(report(name, measure(client, headers, feed, switch, args.rounds, args.requests)))
        print(lines[-1], flush=True)

    app, client, headers = signed_in(bench_directory.db_url(), *bench_directory.LOGIN)
    searches = [bench_directory.shape_path(city, all_, any_) for _, city, all_, any_ in bench_directory.SHAPES]
    import psycopg

    with psycopg.connect(bench_directory.db_url()) as conn:
        profile = conn.execute("select user_id from service_profile where bio_md <> ''"
                               " order by length(bio_md) desc, user_id limit 1").fetchone()[0]
    for name, paths, switch in (
            ("directory search (6 shapes): card cache", searches, card_caches),
            ("directory search (6 shapes): compiled page SQL", searches, compiled_sql),
            ("a person's profile page: Markdown cache", [f"/people/{profile}"], markdown_cache)):
        lines.append(report(name, measure(client, headers, paths, switch, args.rounds, args.requests)))
        print(lines[-1], flush=True)
    print()
    print("\n".join(lines))


if __name__ == "__main__":
    main()
