"""A/B: the same page served by two revisions of the app, measured in interleaved rounds.

    .venv/bin/python bench/ab.py --database-url postgresql://…/growthdesk_bench_feed \\
        --a 50d8617 --b HEAD --email bench-reader@bench.test --password bench-feed-password /feed

How an optimisation earns its place (docs/decisions.md, Performance): serve the revision
with it and the one without, both up at once on the same database with gunicorn's production
settings, and run wrk against each in turn, round after round, so whatever else the machine
does hits both alike. Each revision is exported (`git archive`) to a temporary directory.
Prints req/s and CPU per request (the app's workers, PostgreSQL, all) per round and the
medians, and B's change against A. Several paths rotate within each run (a wrk Lua script).
"""
from __future__ import annotations

import argparse
import contextlib
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import AGENT, CpuMeter, database_backends, gunicorn, login, wrk  # noqa: E402


def export(revision: str, into: Path) -> Path:
    """The checkout to serve: `revision` itself when it names a directory, else that git revision exported."""
    if Path(revision).is_dir():
        return Path(revision)
    into.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", revision], cwd=ROOT, check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", help="paths to request, rotated within each run")
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--a", required=True, help="git revision A (the baseline), or a directory holding a checkout")
    parser.add_argument("--b", required=True, help="git revision B, or a directory")
    parser.add_argument("--email", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--duration", type=int, default=8)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--htmx", action="store_true", help="send HX-Request: true")
    args = parser.parse_args()

    env = {"DATABASE_URL": args.database_url, "APP_ENV": "development"}
    with tempfile.TemporaryDirectory() as tmp, contextlib.ExitStack() as servers:
        paths_file = Path(tmp) / "paths.txt"
        paths_file.write_text("\n".join(args.paths) + "\n")
        apps = {name: servers.enter_context(gunicorn("wsgi:app", env=env, ready_path="/login",
                                                     root=export(rev, Path(tmp) / name)))
                for name, rev in (("A", args.a), ("B", args.b))}
        postgres = database_backends(args.database_url)
        runs: dict[str, list[dict]] = {name: [] for name in apps}
        targets = {}
        for name, app in apps.items():
            script_env = {"DIRECTORY_COOKIE": login(app.url, args.email, args.password), "DIRECTORY_AGENT": AGENT,
                          "DIRECTORY_PATHS": str(paths_file), **({"DIRECTORY_HTMX": "1"} if args.htmx else {})}
            targets[name] = dict(url=app.url + "/", script=ROOT / "bench" / "directory_paths.lua", env=script_env,
                                 meter=CpuMeter(app=app.pid, postgres=postgres), server="app")
            wrk(duration=2, connections=args.connections, warmup=0, **targets[name])  # warm caches and pools
        for round_ in range(args.rounds):
            for name in (("A", "B") if round_ % 2 == 0 else ("B", "A")):
                result = wrk(duration=args.duration, connections=args.connections, warmup=0, **targets[name])
                if result["non_2xx"]:
                    raise SystemExit(f"{name} answered {result['non_2xx']} requests with a non-2xx status")
                runs[name].append(result)
                print(f"round {round_ + 1} {name}: {result['rps']:,.0f} req/s, app {result['cpu']['server']:,.0f} µs,"
                      f" PostgreSQL {result['cpu']['postgres'] or 0:,.0f} µs, all {result['cpu']['all']:,.0f} µs"
                      " of CPU per request", flush=True)

    def median(name: str, pick) -> float:
        return statistics.median(pick(r) for r in runs[name])

    print()
    for label, pick in (("req/s", lambda r: r["rps"]), ("app CPU µs/request", lambda r: r["cpu"]["server"]),
                        ("PostgreSQL CPU µs/request", lambda r: r["cpu"]["postgres"] or 0),
                        ("all CPU µs/request", lambda r: r["cpu"]["all"])):
        a, b = median("A", pick), median("B", pick)
        print(f"{label:<28} A {a:>9,.0f}   B {b:>9,.0f}   B vs A {(b - a) / a:+.1%}")
    ratios = [b["rps"] / a["rps"] for a, b in zip(runs["A"], runs["B"], strict=True)]
    rounds = ", ".join(f"{r:.2f}" for r in ratios)
    print(f"{'req/s B / A per round':<28} {rounds} (median {statistics.median(ratios):.2f})")


if __name__ == "__main__":
    main()
