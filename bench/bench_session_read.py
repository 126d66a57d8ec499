"""What reading the signed-in user through its session costs each request.

Every signed-in request reads the account through its live session row (one statement,
webapp/accounts/loader.py); there is no per-process cache of it any more, because a cached
account would outlive a revoked session in the other workers. This measures, in one process,
interleaved, µs per call of:

- the loader: session and account in one statement, as every request runs it;
- the account alone by id (what the old per-process cache saved on a hit);
- `select 1` on the same path: the round trip every read pays.

Run from the checkout root: `.venv/bin/python bench/bench_session_read.py [--record]`
(`--record` writes the section "Signed-in user read" of docs/benchmarks.md).
"""
from __future__ import annotations

import os
import pathlib
import statistics
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

import psycopg  # noqa: E402
from psycopg import sql  # noqa: E402

from bench.common import DEFAULT_SERVER, machine, table, with_dbname, write_section  # noqa: E402

ROUNDS, CALLS = 15, 500


def main(record: bool) -> None:
    from flask import session

    from webapp import create_app
    from webapp.accounts import loader, queries, service
    from webapp.core import reads
    from webapp.core.config import sqlalchemy_url
    from webapp.core.ids import new_id
    from webapp.core.migrations import upgrade
    from webapp.core.security import hash_password

    admin = os.environ.get("BENCH_DATABASE_URL", DEFAULT_SERVER)
    name = os.environ.get("BENCH_DB_NAME", "growthdesk_bench") + "_session"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
    url = with_dbname(admin, name)
    upgrade(url)
    user_id = new_id("usr")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("insert into app_user (user_id, email, password_hash, display_name, role, city)"
                     " values (%s, 'reader@example.test', %s, 'Reader', 'member', 'berlin')",
                     (user_id, hash_password("not-used-here")))
    app = create_app({"SQLALCHEMY_DATABASE_URI": sqlalchemy_url(url)})
    m = machine()
    with app.test_request_context("/"):
        session[loader.SESSION_KEY] = service.open_session(user_id)
        targets = {
            "loader: session and account, one statement": lambda: loader.load_user(user_id),
            "the account alone (the read before sessions had rows)": lambda: queries.get_user(user_id),
            "select 1 (the round trip)": lambda: reads.scalar("select 1"),
        }
        assert loader.load_user(user_id) is not None
        timings: dict[str, list[float]] = {label: [] for label in targets}
        for _ in range(ROUNDS):
            for label, call in targets.items():
                for _ in range(CALLS // 10):  # warm the pool and psycopg's prepared statements
                    call()
                started = time.perf_counter()
                for _ in range(CALLS):
                    call()
                timings[label].append((time.perf_counter() - started) / CALLS * 1e6)
    base = statistics.median(timings["select 1 (the round trip)"])
    rows = [[label, f"{min(t):.0f}", f"{statistics.median(t):.0f}", f"{statistics.median(t) / base:.2f}×"]
            for label, t in timings.items()]
    body = "\n".join([
        f"{m['date']} on {m['nproc']} CPU(s) ({m['cpu']}); load average {m['load']:.1f} when the run started. "
        f"In one process, {ROUNDS} interleaved rounds of {CALLS} calls each; µs per call.",
        "",
        table(["read", "min µs", "median µs", "vs select 1"], rows),
        "",
        "Every signed-in request pays the loader's row; the account-alone row is what the session "
        "check adds to it (docs/decisions.md, Performance).",
    ])
    print(body)
    if record:
        write_section("Signed-in user read", body)


if __name__ == "__main__":
    main("--record" in sys.argv)
