"""The plans of every list's page query at scale, as the app runs them: EXPLAIN ANALYZE excerpts.

    .venv/bin/python bench/explain_lists.py [--record]

Reads the databases the feed and directory benchmarks load (bench_feed.py, bench_directory.py;
BENCH_FEED_DB_NAME / BENCH_DIRECTORY_DB_NAME): run those first. Statements the app prepares
(psycopg prepares a statement it has run five times; PostgreSQL may then keep a generic plan)
are prepared here and run a dozen times before EXPLAIN EXECUTE shows the plan the app ends up
with; directory searches run unprepared (prepare=False), so they are explained with their values.
The Following page is explained for a reader who follows 2,000 people (added to the directory
database once). With --record, writes the "List plans" section of docs/benchmarks.md.
"""
from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import bench_directory, bench_feed  # noqa: E402
from bench.common import write_section  # noqa: E402
from bench.plans import plan, prepared_plan  # noqa: E402
from webapp.core import reads  # noqa: E402
from webapp.core.ids import new_id  # noqa: E402

FOLLOWER_EMAIL = "bench-follower@bench.test"
FOLLOWS = 2000


def _captured(run) -> tuple[str, dict]:
    """The statement a page read would run (reads.rows intercepted, nothing sent)."""
    seen = {}
    original = reads.rows
    reads.rows = lambda statement, params=None, **_: seen.update(sql=statement, params=params or {}) or []
    try:
        run()
    finally:
        reads.rows = original
    return seen["sql"], seen["params"]


def feed_plans() -> dict[str, list[str]]:
    from webapp.feed import queries

    url = bench_feed.db_url()
    with psycopg.connect(url) as conn:
        reader = conn.execute("select user_id from app_user where email = %s", (bench_feed.READER_EMAIL,)).fetchone()[0]
        author = conn.execute("select target_id from follow where follower_user_id = %s limit 1",
                              (reader,)).fetchone()[0]
        deep = conn.execute("select created_at, feed_id from feed_post where is_published and nsfw_band < 2"
                            " order by created_at desc, feed_id desc offset 200000 limit 1").fetchone()
        ids = [r[0] for r in conn.execute("select feed_id from feed_post where is_published and nsfw_band < 2"
                                          " order by created_at desc, feed_id desc limit 20")]
    page = dict(limit=21, viewer_id=reader)
    plans = {
        "`/feed`, first page": prepared_plan(url, *queries.page_statement(**page)),
        "`/feed`, 10,000 pages deep": prepared_plan(url, *queries.page_statement(**page, cursor=tuple(deep))),
        "`/feed?following=1` (the reader follows 50 authors)": prepared_plan(url, *queries.page_statement(
            **page, followed_by=reader)),
        "a profile's posts": prepared_plan(url, *queries.page_statement(**page, author_id=author)),
        "the rest of 20 posts whose cards are not cached (`card_contents`)": prepared_plan(
            url, *_captured(lambda: queries.card_contents(ids))),
    }
    return plans


def directory_plans() -> dict[str, list[str]]:
    from webapp.directory import queries
    from webapp.directory.catalogue import PEOPLE
    from webapp.directory.query import Condition, Query, canonical
    from webapp.follows.queries import followed_by

    url = bench_directory.db_url()
    with psycopg.connect(url, autocommit=True) as conn:
        follower = conn.execute("select user_id from app_user where email = %s", (FOLLOWER_EMAIL,)).fetchone()
        if follower is None:
            follower = (new_id("usr"),)
            conn.execute("insert into app_user (user_id, email, password_hash, display_name, role)"
                         " values (%s, %s, '!', 'Bench Follower', 'member')", (*follower, FOLLOWER_EMAIL))
            conn.execute("insert into follow (follower_user_id, target_id, target_kind, created_at)"
                         " select %s, user_id, 'service_profile', now() - make_interval(secs => row_number() over ())"
                         " from (select user_id from service_profile order by user_id limit %s) s",
                         (*follower, FOLLOWS))
            conn.execute("analyze follow")
        viewer = conn.execute("select user_id from app_user where email = 'buyer@demo.test'").fetchone()[0]
    _, city, all_, any_ = bench_directory.SHAPES[2]
    query = canonical(Query(all=tuple(Condition(*c) for c in all_), any=tuple(Condition(*c) for c in any_)))
    search = reads.compiled(queries.page_statement(PEOPLE, city, query, viewer_id=viewer))
    following = _captured(lambda: followed_by(follower[0], limit=51))
    return {
        f"directory: {bench_directory.SHAPES[2][0]}, a page of people (unprepared, planned for its values)":
            plan(url, *search),
        f"the Following page (a reader who follows {FOLLOWS:,} people)": prepared_plan(url, *following),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--record", action="store_true", help="write the section of docs/benchmarks.md")
    args = parser.parse_args()
    plans = {**feed_plans(), **directory_plans()}
    lines = [f"`bench/explain_lists.py`, {datetime.now().strftime('%Y-%m-%d %H:%M')}, on the databases of the feed "
             "(1,000,000 posts, 2,000 authors) and directory (1,000,074 people) benchmarks. Every list reads its "
             "page first (keyset, LIMIT in the innermost query) and only then looks up what each of the page's "
             "rows needs from other tables. Execution times are EXPLAIN ANALYZE's (its own timing overhead "
             "included).", ""]
    for title, steps in plans.items():
        timing = " ".join(line.strip() for line in steps if line.startswith(("Planning Time", "Execution Time")))
        shown = [line for line in steps if not line.startswith(("Planning", "Execution"))]
        lines += [f"**{title}** — {timing}", "", "```", *shown, "```", ""]
    section = "\n".join(lines)
    print(section)
    if args.record:
        write_section("List plans", section)
        print("recorded in docs/benchmarks.md")


if __name__ == "__main__":
    main()
