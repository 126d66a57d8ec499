"""Benchmark: the signed events endpoint POST /internal/events next to GET /healthz, 64 clients.

    .venv/bin/python bench/bench_events.py [--invitees 60000] [--duration 8] [--rounds 3] [--no-record]

What it does, all on this machine (127.0.0.1 only, bounded in time):
1. A database of its own on BENCH_DATABASE_URL's server (BENCH_EVENTS_DB_NAME, default
   growthdesk_bench_events): migrated, demo data, then one cross-side program (1,000 cents + 5% of
   the fee, cap 10 a month), 2,000 synthetic inviters with a large balance each, and `--invitees`
   synthetic members who signed up through the invites of 200 of them and have not booked yet.
2. gunicorn -c gunicorn.conf.py serving the app with rate limits off (bench/app_unlimited.py: wrk
   sends everything from one address; the app's own limit is 600 events a minute per address) and
   a secret of the benchmark's, so it can sign.
3. wrk -t2 -c64 in interleaved rounds over: GET /healthz (one `select 1`: the baseline), and
   POST /internal/events with
   - booking.completed, each an invitee's first booking: a reward row, a cap slot, award entries;
     past an inviter's 10th of the month, "capped" (each of the 200 gets 25 or more in a run);
   - booking.completed between two accounts no invite brought: the common case, nothing to pay;
   - credit.redeem of 100 cents, for one of the 2,000 inviters each (different balance rows);
   - credit.redeem of 100 cents, all for one buyer (one balance row: every redeem waits for it);
   - one redeem event sent again and again (the replay path: the first answer, read back).
   Every event but the replayed one carries an id of its own.
4. Checks what the run left (the monthly cap never exceeded, no balance below zero), prints the
   figures and writes them under "## Events endpoint" in docs/benchmarks.md (unless --no-record).

Why pre-signed bodies: each request needs a unique id and its own HMAC-SHA256 signature, and
wrk's Lua has no HMAC. So this script signs the bodies of each run beforehand (a few hundred
thousand HMACs a second in Python, outside the measured span) into a file that
bench/events_bodies.lua sends once each, split between wrk's threads. A Python client would sign
as it goes, but on this 2-core machine its own CPU would be what it measures.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import secrets
import statistics
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    THREADS,
    CpuMeter,
    bench_database,
    database_backends,
    gunicorn,
    write_section,
    wrk,
)
from webapp.core.ids import new_id  # noqa: E402
from webapp.core.security import SIGNATURE_HEADER, body_signature  # noqa: E402

DB_NAME = os.environ.get("BENCH_EVENTS_DB_NAME", "growthdesk_bench_events")
APP = "bench.app_unlimited:app"
SCRIPT = ROOT / "bench" / "events_bodies.lua"
CONNECTIONS = 64
INVITERS = 2_000
INVITING = 200  # the inviters whose invitees book: 25+ first bookings each in a run, so the cap of 10 is met
CAP = 10
BALANCE = 1_000_000_000  # cents: no redeem of the run ever finds a balance empty
# A secret of the run's own: the server checks with it, this script signs with it.
SECRET = secrets.token_urlsafe(48)
LABELS = {
    "healthz": "`GET /healthz` (baseline: one `select 1`)",
    "first_booking": "`booking.completed`, an invitee's first booking (reward or capped)",
    "plain_booking": "`booking.completed`, no invite involved (nothing to pay)",
    "redeem": "`credit.redeem`, 64 clients, a different buyer each time",
    "redeem_one": "`credit.redeem`, 64 clients, all for one buyer (one balance row)",
    "replay": "a repeated event id (the first answer, read back)",
}
# What the figures meant when they were first recorded (kept by hand; re-read it after a re-run).
NOTE = """\
Analysis (2026-12-02, the run above; 2 cores shared by gunicorn, PostgreSQL, wrk and, now and then,
other work on the machine: the "rest" column):

- **Every event was right under load**: no 5xx, no timeout, the fullest cap row at exactly 10 of 10
  (2,000 rewards for 200 inviters, the other first bookings "over the monthly cap"), no balance below
  zero, every id sent once (but the replay target's).
- **What an event costs follows its statements.** A repeated id (claim that conflicts, read the stored
  answer, roll back) costs 1.6 ms of worker CPU against /healthz's 0.7 ms (one `select 1`), and serves 40%
  of its rate; the signature (one HMAC) and the pydantic model are a few tens of µs of that. A redeem or a
  booking that pays nothing (three or four statements and a commit) is about 2 ms, 30% of /healthz; an
  invitee's first booking (claim, lock both invites, the reward row, the cap slot, one or two ledger
  entries with their balance trigger, the invite's status, the answer: about a dozen statements) 3.2 ms,
  19%. By the table's differences each statement adds some 200–300 µs of worker CPU (SQLAlchemy and
  psycopg); PostgreSQL's CPU is 0.3–1.3 ms an event. Each commit also waits for its WAL flush
  (synchronous_commit on: money), which costs latency, not CPU.
- **One buyer's redeems queue on their balance row** (the lock is what keeps the balance from going
  below zero): 240 a second with all 64 clients on one buyer, against 565 spread over 2,000 buyers. The row
  is held from the `select … for update` to the commit, so that time bounds one buyer's rate; a real buyer
  makes one checkout at a time.
- **Against what it needs**: the endpoint's own limit is 600 events a minute per sending address (10 a
  second, core/limits.EVENTS); this machine applies 240–565 a second. Fewer statements (one SQL function
  per event type) would cut the Python part, at the price of moving the credits rules out of
  `credits/service.py`; not worth it at this load. No target was set for this endpoint: the figures are
  recorded next to /healthz as the issue asks.
"""


# --- the data --------------------------------------------------------------------------------------

def load(url: str, invitees: int) -> dict:
    """The program, inviters with a balance, invitees who have not booked yet; their ids."""
    now = datetime.now(UTC)
    program_id = new_id("rpr")
    with psycopg.connect(url) as conn:
        conn.execute("insert into referral_program (program_id, name, kind, reward_bips, reward_fixed_cents,"
                     " credit_scope, monthly_cap) values (%s, 'Bench program', 'cross_side', 500, 1000,"
                     " 'buyer_fee_only', %s)", (program_id, CAP))
        conn.execute("insert into app_user (user_id, email, password_hash, display_name, role, city)"
                     " select 'usr_bench_inviter_' || g, 'inviter' || g || '@bench.example', 'x',"
                     " 'Inviter ' || g, 'provider', 'berlin' from generate_series(0, %s - 1) g", (INVITERS,))
        conn.execute("insert into app_user (user_id, email, password_hash, display_name, role, city)"
                     " select 'usr_bench_invitee_' || g, 'invitee' || g || '@bench.example', 'x',"
                     " 'Invitee ' || g, 'member', 'berlin' from generate_series(0, %s - 1) g", (invitees,))
        conn.execute("insert into referral_invite (invite_id, program_id, inviter_user_id, invitee_user_id,"
                     " invitee_email_sha, source, created_at, accepted_at, status)"
                     " select 'rfi_bench_' || g, %s, 'usr_bench_inviter_' || (g %% %s), 'usr_bench_invitee_' || g,"
                     " md5(g::text), 'copy', %s - interval '31 days', %s - interval '30 days', 'signed_up'"
                     " from generate_series(0, %s - 1) g", (program_id, INVITING, now, now, invitees))
        conn.execute("insert into credit_ledger (entry_id, user_id, kind, amount_cents, reason, related_id)"
                     " select 'crl_bench_' || g, 'usr_bench_inviter_' || g, 'award', %s, 'Bench balance', 'gdc_bench'"
                     " from generate_series(0, %s - 1) g", (BALANCE, INVITERS))
        conn.execute("analyze")
    return {"inviters": [f"usr_bench_inviter_{n}" for n in range(INVITERS)],
            "invitees": [f"usr_bench_invitee_{n}" for n in range(invitees)]}


class Events:
    """Signed bodies for each target, written to files wrk reads; invitees are used once each."""

    def __init__(self, people: dict, folder: Path, per_run: int):
        self.inviters, self.invitees = people["inviters"], people["invitees"]
        self.folder, self.per_run = folder, per_run
        self.next_invitee = 0
        self.files = 0
        self.replayed = self._redeem(self.inviters[1])

    def _booking(self, buyer: str, provider: str) -> dict:
        return {"id": new_id("evt"), "type": "booking.completed", "booking_id": new_id("bkg"), "buyer_user_id": buyer,
                "provider_user_id": provider, "buyer_fee_cents": 1_800,
                "occurred_at": datetime.now(UTC).isoformat(timespec="seconds")}

    def _redeem(self, user: str) -> dict:
        return {"id": new_id("evt"), "type": "credit.redeem", "user_id": user, "booking_id": new_id("bkg"),
                "max_cents": 100}

    def bodies(self, target: str) -> list[dict]:
        n = self.per_run
        if target == "first_booking":
            start, self.next_invitee = self.next_invitee, self.next_invitee + n
            # the provider is never the invitee's own inviter (that would be collusion, held):
            # (i + 1) % 2000 is never i % 200
            return [self._booking(self.invitees[i % len(self.invitees)], self.inviters[(i + 1) % INVITERS])
                    for i in range(start, start + n)]
        if target == "plain_booking":
            return [self._booking(self.inviters[i % INVITERS], self.inviters[(i * 7 + 3) % INVITERS])
                    for i in range(n)]
        if target == "redeem":
            return [self._redeem(self.inviters[(i * 13) % INVITERS]) for i in range(n)]
        if target == "redeem_one":
            return [self._redeem(self.inviters[0]) for _ in range(n)]
        if target == "replay":
            return [self.replayed] * n
        raise ValueError(target)

    def file(self, target: str) -> Path:
        """A fresh file of signed bodies for one wrk run of `target`."""
        self.files += 1
        path = self.folder / f"{target}-{self.files}.tsv"
        with path.open("w") as out:
            for event in self.bodies(target):
                body = json.dumps(event, separators=(",", ":"))
                out.write(f"{body_signature(SECRET, body.encode())}\t{body}\n")
        return path


def post_once(base: str, event: dict) -> int:
    import urllib.request

    body = json.dumps(event, separators=(",", ":")).encode()
    request = urllib.request.Request(base + "/internal/events", data=body, method="POST", headers={
        "Content-Type": "application/json", SIGNATURE_HEADER: body_signature(SECRET, body)})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status


def checks(url: str) -> dict:
    with psycopg.connect(url) as conn:
        one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "events": one("select count(*) from internal_event"),
            "rewarded": one("select count(*) from referral_invite where status = 'rewarded'"
                            " and invite_id like 'rfi_bench_%'"),
            "capped": one("select count(*) from referral_invite where status = 'capped'"
                          " and invite_id like 'rfi_bench_%'"),
            "max_used": one("select coalesce(max(used), 0) from referral_cap_use"),
            "over_cap": one("select count(*) from referral_cap_use where used > cap"),
            "negative": one("select count(*) from credit_balance where balance_cents < 0"),
            "redeems": one("select count(*) from credit_ledger where kind = 'redeem'"),
        }


# --- the run ---------------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invitees", type=int, default=60_000, help="invitees waiting for their first booking")
    parser.add_argument("--duration", type=int, default=8, help="seconds of wrk per target and round")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved wrk rounds over all targets")
    parser.add_argument("--no-record", action="store_true", help="print only; don't touch docs/benchmarks.md")
    args = parser.parse_args()
    if not os.path.exists(os.environ.get("WRK", "/usr/bin/wrk")):
        raise SystemExit("wrk is missing: apt-get install -y wrk")

    load_at_start = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    started_at = datetime.now().strftime("%Y-%m-%d %H:%M")
    url = bench_database(DB_NAME)
    people = load(url, args.invitees)
    # One file per wrk run (a warm-up and the rounds), an equal share of the invitees each.
    per_run = args.invitees // (args.rounds + 1)
    targets = list(LABELS)
    runs: dict[str, list[dict]] = {name: [] for name in targets}
    env = {"DATABASE_URL": url, "APP_ENV": "development", "INTERNAL_EVENTS_SECRET": SECRET}
    with tempfile.TemporaryDirectory() as folder, contextlib.ExitStack() as stack:
        events = Events(people, Path(folder), per_run)
        app = stack.enter_context(gunicorn(APP, env=env, ready_path="/healthz"))
        meter = CpuMeter(app=app.pid, postgres=database_backends(url))
        assert post_once(app.url, events.replayed) == 200  # the event every replay repeats

        def run(name: str, duration: int, measured: bool) -> dict:
            if name == "healthz":
                return wrk(app.url + "/healthz", connections=CONNECTIONS, duration=duration, warmup=0,
                           meter=meter if measured else None, server="app")
            script_env = {"EVENTS_BODIES": str(events.file(name)), "EVENTS_THREADS": str(THREADS)}
            return wrk(app.url + "/internal/events", connections=CONNECTIONS, duration=duration, warmup=0,
                       script=SCRIPT, env=script_env, meter=meter if measured else None, server="app")

        for name in targets:  # warm-up: every worker, pool and code path
            run(name, 2, measured=False)
        for _ in range(args.rounds):
            for name in targets:
                runs[name].append(run(name, args.duration, measured=True))
        after = checks(url)

    def med(name: str, key: str) -> float:
        return statistics.median(r[key] for r in runs[name])

    def cpu(name: str, part: str) -> str:
        values = [r["cpu"][part] for r in runs[name] if r["cpu"].get(part) is not None]
        return f"{statistics.median(values):,.0f}" if values else "–"

    base = med("healthz", "rps")
    workers = os.environ.get("WEB_CONCURRENCY", str((os.cpu_count() or 1) * 2))
    non_2xx = {name: sum(r["non_2xx"] for r in runs[name]) for name in targets}
    sockets = {name: sum(r["socket_errors"] for r in runs[name]) for name in targets}  # wrk gives up after 2 s
    # A run that sent more requests than it had bodies repeated some ids (the cheaper replay path).
    most = max(r["requests"] for name in targets if name not in ("healthz", "replay") for r in runs[name])
    lines = [
        f"`bench/bench_events.py`, {started_at}, machine: {os.cpu_count()} cores, "
        f"{platform.python_implementation()} {platform.python_version()}, PostgreSQL on 127.0.0.1. A database "
        f"with the demo data, one cross-side program (1,000 cents + 5% of the fee, cap {CAP} a month), "
        f"{INVITERS:,} inviters with a balance, {args.invitees:,} invitees of {INVITING} of them yet to book. gunicorn "
        f"`-c gunicorn.conf.py` ({workers} gthread workers × {os.environ.get('GUNICORN_THREADS', '4')} threads), "
        f"the app with rate limits off (bench/app_unlimited.py). wrk -t{THREADS} -c{CONNECTIONS}, {args.rounds} "
        f"interleaved rounds of {args.duration} s per target (medians below); every event signed beforehand with "
        f"its own id ({per_run:,} bodies a run, bench/events_bodies.lua). Load average when the run started: "
        f"{load_at_start}.",
        "",
        "| target | req/s | vs /healthz | wrk p50 (ms) | wrk p99 (ms) | non-2xx | socket errors (timeouts) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        *(f"| {LABELS[name]} | {med(name, 'rps'):,.0f} | {med(name, 'rps') / base:.0%} | "
          f"{med(name, 'p50_ms'):.1f} | {med(name, 'p99_ms'):.1f} | {non_2xx[name]} | {sockets[name]} |"
          for name in targets),
        "",
        "CPU per request, µs (psutil, medians over the rounds; \"rest\" is everything else the machine did):",
        "",
        "| target | gunicorn workers | PostgreSQL | wrk | rest | all |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
        *(f"| {LABELS[name]} | {cpu(name, 'server')} | {cpu(name, 'postgres')} | {cpu(name, 'wrk')} | "
          f"{cpu(name, 'other')} | {cpu(name, 'all')} |" for name in targets),
        "",
        f"After the run: {after['events']:,} events recorded; {after['rewarded']:,} invites rewarded and "
        f"{after['capped']:,} over the monthly cap; the fullest cap row used {after['max_used']} of {CAP} "
        f"({after['over_cap']} rows past their cap); {after['redeems']:,} redeems and {after['negative']} balances "
        f"below zero. The busiest run sent {most:,} events of the {per_run:,} signed for it: "
        + ("no id was sent twice but the replay target's." if most <= per_run else
           "**it ran out and repeated ids: sign more (--invitees)**."),
        "",
        NOTE,
        "",
        "```sh",
        ".venv/bin/python bench/bench_events.py       # a fresh database, ≈ 4 min",
        "```",
    ]
    report = "\n".join(lines)
    print(report)
    if not args.no_record:
        write_section("Events endpoint", report)
        print("\nrecorded in docs/benchmarks.md")


if __name__ == "__main__":
    main()
