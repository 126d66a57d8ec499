"""In-process timing (and optionally cProfile) of signed-in pages through the Flask test client.

    DATABASE_URL=postgresql://.../mydb .venv/bin/python bench/feed_profile.py [--n 200] [--profile]
        [--email buyer@demo.test] [--password growthdesk-demo] [--ua UA] /feed "/people?city=berlin" ...

Logs in through the real form (CSRF token and all), warms up, then times N GETs of each
path and prints the mean and median wall time and the mean CPU time of this process
(the app's own work, without PostgreSQL's) per request; --profile prints the top of a cProfile
of the timed loop (cumulative). Not a benchmark: it shows where a request's time goes.
"""
from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("paths", nargs="*", default=["/healthz", "/settings", "/feed"])
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--email", default="buyer@demo.test")
    parser.add_argument("--password", default="growthdesk-demo")
    parser.add_argument("--ua", default="growthdesk-profile")
    parser.add_argument("--htmx", action="store_true")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        sys.exit("set DATABASE_URL to your own seeded database")
    os.environ.setdefault("APP_ENV", "development")

    from webapp import create_app

    app = create_app()
    client = app.test_client()
    headers = {"User-Agent": args.ua}
    page = client.get("/login", headers=headers).get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    r = client.post("/login", data={"email": args.email, "password": args.password, "csrf_token": token},
                    headers=headers)
    assert r.status_code in (302, 303), r.status_code
    if args.htmx:
        headers["HX-Request"] = "true"
    for path in args.paths:
        for _ in range(10):
            r = client.get(path, headers=headers)
            assert r.status_code == 200, (path, r.status_code)
        samples, cpu = [], []
        profiler = cProfile.Profile() if args.profile else None
        for _ in range(args.n):
            started, cpu_started = time.perf_counter(), time.process_time()
            if profiler:
                profiler.enable()
            client.get(path, headers=headers)
            if profiler:
                profiler.disable()
            samples.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
        print(f"{path:<60} mean {statistics.mean(samples):6.2f} ms  median {statistics.median(samples):6.2f} ms"
              f"  cpu {statistics.mean(cpu):6.2f} ms  ({len(r.data):,} bytes)")
        if profiler:
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
