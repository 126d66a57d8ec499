"""Pool check-out: what finding a connection the server closed costs, per check-out and per page.

    .venv/bin/python bench/bench_checkout.py [--rounds 7] [--record]

After PostgreSQL restarts (or fails over), the pools still hold connections to the old server.
Two ways to keep a request from failing on one, each measured against the bare check-out
(the baseline, which would fail that request) in interleaved rounds in this process:

- SQLAlchemy's `pool_pre_ping`: a round trip to the server (an empty statement) on every
  check-out of a pooled connection;
- the app's socket check (webapp/core/connections.py): one non-blocking poll() of the
  connection's socket, which the server's goodbye makes readable.

Figures: microseconds per check-out (`raw_connection()` and back, as core.reads does for every
statement), measured; and what that adds to a signed-in page: the check-outs it makes (counted)
times the added cost, against the page's own time through the Flask test client (production
settings). Page times differ by more than the check-out's cost from one round to
the next on a shared machine, so the per-page figure is derived, not compared. Medians of the rounds.
`--record` writes the section "Pool check-out" of docs/benchmarks.md.
"""
from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import DEMO_PASSWORD, bench_database, machine, table, write_section  # noqa: E402

PAGES = ("/", "/feed", "/people?city=berlin")
CHECKOUTS = 2000   # per round, for the per-check-out figure
REQUESTS = 200     # per page and round


def make_app(url: str, variant: str):
    from sqlalchemy import event

    from webapp import create_app
    from webapp.core.config import sqlalchemy_url
    from webapp.core.connections import _replace_if_closed
    from webapp.core.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": sqlalchemy_url(url)})
    with app.app_context():
        for engine in db.engines.values():
            if variant != "socket check (the app's)":
                event.remove(engine.pool, "checkout", _replace_if_closed)
            engine.pool._pre_ping = variant == "pool_pre_ping"
    return app


def signed_in(app):
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    response = client.post("/login", data={"email": "buyer@demo.test", "password": DEMO_PASSWORD,
                                           "csrf_token": token})
    assert response.status_code == 303, response.status_code
    return client


def checkout_us(app) -> float:
    from webapp.core.extensions import db

    with app.app_context():
        engine = db.engines["autocommit"]
        started = time.perf_counter()
        for _ in range(CHECKOUTS):
            engine.raw_connection().close()
        return (time.perf_counter() - started) / CHECKOUTS * 1e6


def page_ms(client, path: str) -> float:
    started = time.perf_counter()
    for _ in range(REQUESTS):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
    return (time.perf_counter() - started) / REQUESTS * 1e3


def checkouts_per_page(app, client, path: str) -> float:
    from sqlalchemy import event

    from webapp.core.extensions import db

    count = [0]

    def counted(*_):
        count[0] += 1

    with app.app_context():
        pools = [engine.pool for engine in db.engines.values()]
    for pool in pools:
        event.listen(pool, "checkout", counted)
    for _ in range(20):
        client.get(path)
    for pool in pools:
        event.remove(pool, "checkout", counted)
    return count[0] / 20


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args()
    started_on = machine()
    url = bench_database("growthdesk_bench_checkout")
    variants = ("bare check-out (baseline)", "pool_pre_ping", "socket check (the app's)")
    apps = {name: make_app(url, name) for name in variants}
    clients = {name: signed_in(app) for name, app in apps.items()}
    for name in variants:  # warm: templates compiled, pools filled, caches full
        checkout_us(apps[name])
        for path in PAGES:
            page_ms(clients[name], path)
    per_checkout = {name: [] for name in variants}
    per_page = {path: [] for path in PAGES}
    base = variants[0]
    for _ in range(args.rounds):
        for name in variants:
            per_checkout[name].append(checkout_us(apps[name]))
        for path in PAGES:
            per_page[path].append(page_ms(clients[base], path))
    checkout = {name: statistics.median(v) for name, v in per_checkout.items()}
    page = {path: statistics.median(v) for path, v in per_page.items()}
    counts = {path: checkouts_per_page(apps[base], clients[base], path) for path in PAGES}

    first = table(["check-out", "µs each", "added"],
                  [[name, f"{checkout[name]:.1f}", f"{checkout[name] - checkout[base]:+.1f}"] for name in variants])
    added = {name: checkout[name] - checkout[base] for name in variants[1:]}
    second = table(["signed-in page", "ms (bare check-outs)", "check-outs"]
                   + [f"{name}: added" for name in added],
                   [[f"`{path}`", f"{page[path]:.2f}", f"{counts[path]:g}"]
                    + [f"{counts[path] * us:.0f} µs ({counts[path] * us / (page[path] * 10):+.1f}%)"
                       for us in added.values()] for path in PAGES])
    report = (f"Measured by `bench/bench_checkout.py`, {started_on['date']} on {started_on['nproc']} CPU(s) "
              f"({started_on['cpu']}); load average {started_on['load']:.1f} when the run started. In-process, "
              f"PostgreSQL on the same machine over TCP; medians of {args.rounds} interleaved rounds of "
              f"{CHECKOUTS} check-outs (`raw_connection()` and back, on the autocommit engine) per variant.\n\n"
              + first + "\n\nWhat that adds to a page: its check-outs (counted) times the added cost above, "
              f"against the page's own time (Flask test client, signed in as buyer@demo.test, production "
              f"settings; medians of {args.rounds} rounds of {REQUESTS} requests).\n\n"
              + second)
    print(report)
    if args.record:
        write_section("Pool check-out", report + "\n\n" + NOTE)


NOTE = """\
The bare check-out is the baseline: it is what a request would fail on after a restart. Pre-ping
adds a round trip to every check-out of a pooled connection, and core.reads checks a connection
out for every statement, so a page pays it once per statement; the socket check costs a
poll() system call. The app keeps the socket check (docs/decisions.md, "Database failure and input at the edge").
Over a network (Aurora in another availability zone) a round trip is longer than on this machine,
so pre-ping would cost more there, not less."""


if __name__ == "__main__":
    main()
