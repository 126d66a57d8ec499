"""Foundation benchmark: the app's HTTP baseline against a hello-world Flask app.

    make bench            # or: .venv/bin/python bench/run.py

1. Serves bench/hello_app.py with `gunicorn -c gunicorn.conf.py` and measures `/`.
2. Creates the database BENCH_DB_NAME (default growthdesk_bench) on the server at
   BENCH_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/postgres),
   migrates it and seeds the demo data; serves wsgi:app the same way; logs in as
   buyer@demo.test; measures /healthz and the signed-in dashboard /.
3. Prints each figure next to the hello-world baseline and writes the table,
   with date and machine, to docs/benchmarks.md under "Foundation: HTTP baseline".
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import bench_database, fetch, gunicorn, login, machine, machine_line, ratio, table, write_section, wrk  # noqa: E402

HEADING = "Foundation: HTTP baseline"


def main() -> int:
    facts = machine()
    print(machine_line(facts))
    results: dict[str, dict] = {}

    with gunicorn("bench.hello_app:app") as hello:
        print("hello world ...", flush=True)
        results["hello"] = wrk(hello.url + "/")

    db_name = os.environ.get("BENCH_DB_NAME", "growthdesk_bench")
    url = bench_database(db_name)
    with gunicorn("wsgi:app", env={"DATABASE_URL": url, "APP_ENV": "development"}, ready_path="/healthz") as app:
        base = app.url
        cookie = login(base, "buyer@demo.test")
        status, body = fetch(base + "/", cookie)
        assert status == 200 and "Bea Buyer" in body, "the dashboard did not render for the demo buyer"
        print("/healthz ...", flush=True)
        results["healthz"] = wrk(base + "/healthz")
        print("/ (dashboard, signed in) ...", flush=True)
        results["dashboard"] = wrk(base + "/", cookie=cookie)

    hello = results["hello"]
    labels = {"hello": "hello world `/` (baseline)", "healthz": "`GET /healthz` (one `select 1`)",
              "dashboard": "`GET /` dashboard, signed in as buyer@demo.test"}
    rows = []
    for key, r in results.items():
        errors = r["non_2xx"] + r["socket_errors"]
        rows.append([labels[key], f"{r['rps']:,.0f}", ratio(r["rps"], hello["rps"]), f"{r['p99_ms']:.1f}",
                     ratio(r["p99_ms"], hello["p99_ms"]), errors])
    report = table(["Target", "req/s", "vs hello", "p99 ms", "p99 vs hello", "errors"], rows)
    print()
    print(report)
    write_section(HEADING, f"""
Measured by `make bench` (bench/run.py), {machine_line(facts)}
Database: PostgreSQL at BENCH_DATABASE_URL, demo data only (`flask seed`).

{report}

"vs hello" divides by the hello-world figure from the same run: a req/s ratio
below 1 is the throughput the app gives up to Flask-Login, sessions, CSRF,
security headers, templates and SQL; a p99 ratio above 1 is the extra tail
latency. wrk, gunicorn and PostgreSQL share the machine's CPUs, so absolute
figures understate a real deployment; the ratios are the comparable part.
""", first=True)
    print(f"\nWritten to docs/benchmarks.md ({HEADING}).")
    return 0 if all(r["non_2xx"] == 0 for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
