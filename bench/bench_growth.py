"""Benchmark: the growth overview (/growth) with 10k invites and with 1M invites, 2M ledger entries and
1M saved-search alerts, next to hello-world Flask in the same run (issue 14, point 5: within 2×).

    .venv/bin/python bench/bench_growth.py [--small 10000] [--large 1000000] [--profiles 20000]
        [--duration 6] [--rounds-wrk 2] [--rounds 60] [--reuse] [--no-record]

What it does, all on this machine (127.0.0.1 only, bounded in time):
1. Two databases of its own on BENCH_DATABASE_URL's server, `<BENCH_GROWTH_DB_NAME>_small` and
   `_large` (default growthdesk_bench_growth_…): migrated, demo data, `--profiles` synthetic people and
   5,000 saved searches (bench/scale.py), then the facts (load_facts below), generated in PostgreSQL
   from a fixed seed over the three years before today, more of them recently: N invites (35% signed
   up, by an account of their own; of those about half rewarded, some clawed back, capped or held),
   their rewards, 2N ledger entries (the rewards' awards and clawbacks, then award/redeem pairs) and
   N alerts (N = `--small`, `--large`). The facts go in with triggers off (session_replication_role =
   replica: no rollup, balance or city trigger, no foreign-key check; the rows are made consistent),
   the balances are computed in one statement, and the rollups by `flask --app wsgi growth
   rebuild-rollups`, timed: the path a restore or a bulk import takes. `--reuse` keeps databases that
   already hold those counts (after migrating them).
2. gunicorn -c gunicorn.conf.py serving hello world (bench/hello_app.py) and the app on each database
   (bench/app_unlimited.py), all up at once (ports BENCH_GROWTH_PORTS, default 8171,8172,8173).
3. Signed in as growth@demo.test: wrk in interleaved rounds over hello world and, at both sizes, GET
   /growth (the default range, 30 days), ?range=quarter, a custom range of one year, and the htmx
   partial of the default view (HX-Request: true); then median latencies of the same, sequential
   requests interleaved, and the ratio large / small per view (goal ≤ 2×).
4. In-process, for the one-year range: each statement of the overview (webapp/reporting/queries.py)
   timed at both sizes, and EXPLAIN ANALYZE of the top inviters and of the totals at the large size.
5. Prints it all and writes "## Growth dashboard — overview" in docs/benchmarks.md (unless --no-record).
"""
from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.parse
from datetime import date, timedelta
from pathlib import Path

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    AGENT,
    BIN,
    DEFAULT_SERVER,
    CpuMeter,
    bench_database,
    database_backends,
    gunicorn,
    login,
    machine,
    with_dbname,
    write_section,
    wrk,
)
from bench.scale import _IndexRebuild  # noqa: E402
from webapp.core import clock  # noqa: E402
from webapp.credits.rules import SIGNED_AMOUNT_SQL  # noqa: E402
from webapp.demo.people import DEMO_ACCOUNTS  # noqa: E402

DB_PREFIX = os.environ.get("BENCH_GROWTH_DB_NAME", "growthdesk_bench_growth")
PORTS = [int(p) for p in os.environ.get("BENCH_GROWTH_PORTS", "8171,8172,8173").split(",")]
USER = "growth@demo.test"
APP = "bench.app_unlimited:app"
SCALE_GOAL = 2.0
SPAN_DAYS = 3 * 365
SEARCHES = 5_000
ALERTS_PER_SEARCH = 200  # at most: the alerts of one search fall on distinct days (unique (search_id, alert_dt))
ACCEPTED = 0.35
WRK_TIMEOUT = 30  # s: a one-year overview at 1M takes seconds under load; wrk's 2 s would drop it
# What the figures meant when they were first recorded (kept by hand; re-read it after a re-run).
NOTE = """\
Analysis (2026-12-02, after the runs of that morning, on 2 cores shared with other work, load average 2–6):

- **Goal ≤ 2×: not met.** Large / small, median of sequential requests: 3.2× (30 days, 481 against 152 ms),
  4.6× (this quarter), 4.4× (one year, 2.2 s against 0.50 s), 3.4× (the htmx partial: it reads the same
  data and draws the same charts, so it costs what the page costs). No statement counts or sums a fact
  table of a million rows *whole*, but two read far more rows at 1M than at 10k.
- **What dominates at 1M: the top inviters** (295 ms of the 398 ms of data at 30 days, 1.55 s of 1.84 s at
  one year). They read the facts of the range through 101's indexes: at 1M a month holds 52k invites,
  19k sign-ups and 14k rewards (each reward one probe of its invite), against a few hundred at 10k, so
  the cost follows the range's events and grows with its length (about linearly: 5× from 30 days to a
  year). Covering indexes for the reward → invite probes (tried: reward (earned_at) include (invite_id,
  inviter_cents), invite (invite_id) include (inviter, status, program, source, city)) measured no gain and
  were not kept. What would bound it: an inviter × month rollup kept by the same triggers (a year then
  reads ≤ active inviters × 12 rows, not every event), and, for the presets, the list computed by a job
  into a small table every few minutes, or loaded in a request of its own (`hx-trigger="load"`) so the
  tiles and charts do not wait for it.
- **Then the totals** (67 ms at 30 days, 232 ms at a year): the outstanding balance sums the money rollup
  from its first day, every row of growth_daily up to `end` (319k rows at 1M: day × program × source ×
  city, at 1M nearly every key is filled every day, ~290 a day against ~20 at 10k). Bounded by a running
  total per key (program × source × city, a few hundred rows) kept by the commit-time flush: outstanding
  at `end` = the running total − the days after `end` (none when the range ends today).
- **The rollup's range reads** (weekly 17 → 223 ms from 30 days to a year; sources_seen 42 ms at a year)
  follow days × keys: bounded by the key space, which 1M invites nearly fills, so beyond 1M they grow
  with the range only. A weekly level of the rollup would cut the year's read about 7×; the sources could
  come from the weekly rows when no source filter is set.
- **At 10k the page is the drawing:** 18 ms of data in a 152 ms page (30 days); the rest is the eight SVG
  charts and the template, the same at both sizes.
- **Fixes made here and measured** (in-process, the statement alone, median of 7 interleaved runs on the
  1M database, old SQL against new): the top inviters now cut to the leaders (`fetch first 10 rows with
  ties`) before reading accounts, instead of joining ~17k accounts a month to sort by name: 279 → 239 ms at
  30 days (1.17×), no change at a year; the totals compute both outstanding balances in one pass over the
  rollup instead of two: 100 → 70 ms at 30 days (1.44×), 155 → 129 ms at a year (1.21×). And
  `flask growth rebuild-rollups` failed at 1M after 6 s (the client's reply timeout, DB_STATEMENT_TIMEOUT
  + 1 s, outlived the server's `statement_timeout = 0`); it now lifts both for its transaction.
- **Load:** the facts are written with triggers off (session_replication_role = replica: no rollup,
  balance or city trigger and no foreign-key check; the generator makes them consistent), the balances
  computed in one statement, the rollups by the app's `flask growth rebuild-rollups`: 47.7 s at 1M
  (1M invites, 182k rewards, 2M ledger entries, 1M alerts → 319k growth_daily rows), 4.0 s at 10k, the
  path a restore or a bulk import takes. Loading with the statement triggers on would put a million-row
  transition table through one trigger call per COPY; the load checks instead that the rebuilt rollups
  count every invite, sign-up and alert.
- wrk's req/s here mean little: other work on the machine took most of it (hello world 3,080 req/s), and
  a one-year page at 1M costs ~2 s of PostgreSQL CPU."""


def admin_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", DEFAULT_SERVER)


# --- data ------------------------------------------------------------------------------------------

def load_facts(url: str, *, invites: int) -> dict[str, float]:
    """`invites` invites, their invitees' accounts and rewards, 2 × `invites` ledger entries and
    `invites` alerts, generated by SQL from a fixed seed in one transaction with triggers off; then the
    balances, VACUUM (ANALYZE), and the rollups rebuilt by the app's command. Returns timings (s)."""
    timings: dict[str, float] = {}
    ledger_rows, alerts = 2 * invites, invites
    demo = [email for email, _, _ in DEMO_ACCOUNTS]
    with psycopg.connect(url) as conn:
        conn.execute("set local synchronous_commit = off")
        # Triggers off: the facts are written as a restore would write them; the rollups and the
        # balances are computed afterwards, each in one pass (below).
        conn.execute("set local session_replication_role = replica")
        conn.execute("set local max_parallel_workers_per_gather = 0")  # random() in one order: one load alike the next
        conn.execute("set local work_mem = '256MB'")
        conn.execute("select setseed(0.14)")
        started = time.perf_counter()
        conn.execute("""
            create temp table people on commit drop as
            select row_number() over (order by user_id) as n, user_id, role, coalesce(city, '') as city
              from app_user where role in ('member', 'provider') and email <> all(%s)""", (demo,))
        people = conn.execute("select count(*) from people").fetchone()[0]
        hash_ = conn.execute("select password_hash from app_user where email = %s", (USER,)).fetchone()[0]
        now = clock.now().replace(microsecond=0)
        params = {"n": invites, "people": people, "now": now, "span": SPAN_DAYS, "accepted": ACCEPTED}
        # Inviters drawn with a skew (a few invite a lot, as top inviters do); moments t = start + span·√u,
        # so invites grow over the three years; sources and programs as the app records them.
        conn.execute("""
            create temp table inv on commit drop as
            with d as (
              select g, random() as ru, random() as rp, random() as rt, random() as ra, random() as rs,
                     random() as rst, random() as rl, random() as rc
                from generate_series(1, %(n)s) g),
            progs as (
              select array_agg(program_id order by program_id) filter (where 'member' = any(inviter_roles)) as m,
                     array_agg(program_id order by program_id) filter (where 'provider' = any(inviter_roles)) as p
                from referral_program)
            select d.g, 'rfi_' || substr(md5('inv' || d.g), 1, 26) as invite_id, pe.user_id as inviter, pe.city,
                   case when pe.role = 'member' then progs.m[1 + floor(d.rp * cardinality(progs.m))::int]
                        else progs.p[1 + floor(d.rp * cardinality(progs.p))::int] end as program_id,
                   %(now)s::timestamptz - make_interval(secs => %(span)s * 86400 * (1 - sqrt(d.rt))) as created_at,
                   d.ra < %(accepted)s as accepted, d.rs, d.rst, d.rl, d.rc
              from d cross join progs join people pe on pe.n = 1 + floor(power(d.ru, 2.5) * %(people)s)::int""",
                     params)
        conn.execute("""
            create temp table inv2 on commit drop as
            select i.*, case when not accepted then null
                             else 'usr_' || substr(md5('invitee' || g), 1, 26) end as invitee,
                   case when accepted then least(created_at + make_interval(mins => 1 + (rl * 4320)::int), %(now)s)
                   end as accepted_at,
                   case when not accepted then 'sent'
                        when rst < 0.03 then 'held'
                        when rst < 0.48 then 'rewarded'
                        when rst < 0.52 then 'clawed_back'
                        when rst < 0.55 then 'capped'
                        else 'signed_up' end as status,
                   case when not accepted then 'email'
                        else (array['link', 'copy', 'sharecard', 'linkinbio', 'qr', 'share'])[1 + floor(rs * 6)::int]
                   end as source
              from inv i""", params)
        timings["generate"] = time.perf_counter() - started

        started = time.perf_counter()
        with _IndexRebuild(conn, "app_user")(invites):
            conn.execute("""
                insert into app_user (user_id, email, password_hash, display_name, role, city, created_at, updated_at)
                select invitee, 'invitee-' || g || '@bench.test', %(hash)s, 'Invitee ' || g, 'member',
                       city, accepted_at, accepted_at
                  from inv2 where accepted""", {"hash": hash_})
        with _IndexRebuild(conn, "referral_invite")(invites):
            conn.execute("""
                insert into referral_invite (invite_id, program_id, inviter_user_id, invitee_user_id, invitee_email_sha,
                                             source, device_fp, ip_addr_sha, created_at, accepted_at, status,
                                             fraud_flags, invitee_hint, inviter_city)
                select invite_id, program_id, inviter, invitee, md5('mail' || g) || md5('mail2' || g), source,
                       'dfp_' || substr(md5('dev' || g), 1, 16), md5('ip' || (g % 4096)), created_at, accepted_at,
                       status, case when status = 'held' then array['signup_burst'] else '{}' end,
                       case when not accepted then 'i•••@e•••.com' end, city
                  from inv2""")
        timings["invites"] = time.perf_counter() - started

        # Rewards: every rewarded, clawed-back or capped invite, earned 1–30 days after its sign-up;
        # the inviter's award (none when capped) and, for the clawed-back ones, its clawback.
        started = time.perf_counter()
        conn.execute("""
            create temp table rew on commit drop as
            select invite_id, g, inviter, program_id, status,
                   least(accepted_at + make_interval(secs => 86400 * (1 + 29 * rc)), %(now)s) as earned_at,
                   (1000 + 25 * floor(rc * 160))::int as inviter_cents,
                   case when status <> 'capped' then 'crl_' || substr(md5('award' || g), 1, 26) end as award_id
              from inv2 where status in ('rewarded', 'clawed_back', 'capped')""", params)
        conn.execute("""
            create temp table led on commit drop as
            select award_id as entry_id, inviter as user_id, 'award' as kind, program_id, inviter_cents as amount_cents,
                   'Referral reward: a first booking (bkg_' || substr(md5('bkg' || g), 1, 26) || ')' as reason,
                   invite_id as related_id, earned_at as created_at
              from rew where award_id is not null
            union all
            select 'crl_' || substr(md5('claw' || g), 1, 26), inviter, 'clawback', program_id, inviter_cents,
                   'Booking bkg_' || substr(md5('bkg' || g), 1, 26) || ' was refunded', award_id,
                   least(earned_at + interval '3 days', %(now)s)
              from rew where status = 'clawed_back'
            union all  -- most rewards are spent on a later booking's fee, in part
            select 'crl_' || substr(md5('spend' || g), 1, 26), inviter, 'redeem', null, greatest(1, inviter_cents / 2),
                   'Applied to the service fee of booking bkg_' || substr(md5('bkg2' || g), 1, 26), null,
                   least(earned_at + interval '9 days', %(now)s)
              from rew where status = 'rewarded'""", params)
        used = conn.execute("select count(*) from led").fetchone()[0]
        pairs = max(0, (ledger_rows - used) // 2)
        # The rest: award (the growth team's goodwill, or a program's promotion) and a redeem of part of it.
        conn.execute("""
            insert into led
            with d as (select g, random() as ru, random() as rt, random() as ra, random() as rr
                         from generate_series(1, %(pairs)s) g),
            a as (select d.g, pe.user_id, d.rr,
                         %(now)s::timestamptz - make_interval(secs => %(span)s * 86400 * (1 - sqrt(d.rt))) as at,
                         (250 + 25 * floor(d.ra * 190))::int as amount
                    from d join people pe on pe.n = 1 + floor(d.ru * %(people)s)::int)
            select 'crl_' || substr(md5('gift' || g), 1, 26), user_id, 'award', null, amount,
                   'Adjustment by the growth team: goodwill', 'gdc_' || substr(md5('gdc' || g), 1, 26), at
              from a
            union all
            select 'crl_' || substr(md5('use' || g), 1, 26), user_id, 'redeem', null, greatest(1, (amount * rr)::int),
                   'Applied to the service fee of booking bkg_' || substr(md5('bkg3' || g), 1, 26), null,
                   least(at + interval '5 days', %(now)s)
              from a""", params | {"pairs": pairs})
        extra = ledger_rows - used - 2 * pairs
        if extra > 0:
            conn.execute("""
                insert into led select 'crl_' || substr(md5('odd' || g), 1, 26), pe.user_id, 'award', null, 500,
                       'Adjustment by the growth team: goodwill', null, %(now)s::timestamptz - interval '1 day'
                  from generate_series(1, %(extra)s) g join people pe on pe.n = g""", params | {"extra": extra})
        with _IndexRebuild(conn, "credit_ledger")(ledger_rows):
            conn.execute("""
                insert into credit_ledger (entry_id, user_id, kind, program_id, amount_cents, currency, reason,
                                           related_id, created_at)
                select entry_id, user_id, kind, program_id, amount_cents, 'USD', reason, related_id, created_at from led
                 order by created_at""")
        with _IndexRebuild(conn, "referral_reward")(invites):
            conn.execute("""
                insert into referral_reward (invite_id, booking_id, event_id, buyer_fee_cents, inviter_cents,
                                             invitee_cents, earned_at, inviter_entry_id, refunded_at, created_at)
                select invite_id, 'bkg_' || substr(md5('bkg' || g), 1, 26), 'evt_' || substr(md5('evt' || g), 1, 26),
                       inviter_cents * 2, inviter_cents, 0, earned_at, award_id,
                       case when status = 'clawed_back' then least(earned_at + interval '3 days', %(now)s) end,
                       earned_at
                  from rew""", params)
        # Balances as the ledger's trigger would have left them: net of every entry, one side or the other.
        conn.execute(f"""
            insert into credit_balance as b (user_id, balance_cents, owed_cents)
            select user_id, greatest(net, 0), greatest(-net, 0)
              from (select user_id, sum({SIGNED_AMOUNT_SQL}) as net from credit_ledger group by user_id) s
            on conflict (user_id) do update
               set balance_cents = excluded.balance_cents, owed_cents = excluded.owed_cents""")
        timings["ledger and rewards"] = time.perf_counter() - started

        # Alerts: the first searches, each on distinct days spread over the span (≤ ALERTS_PER_SEARCH each).
        started = time.perf_counter()
        n_searches = min(SEARCHES, max(10, -(-alerts // ALERTS_PER_SEARCH)))
        conn.execute("""
            create temp table srch on commit drop as
            select row_number() over (order by search_id) - 1 as n, search_id, coalesce(city, '') as city
              from saved_search s  -- the demo's alerts are the demo's: searches without any
             where not exists (select 1 from saved_search_alert a where a.search_id = s.search_id)
             order by search_id limit %(s)s""", {"s": n_searches})
        n_searches = conn.execute("select count(*) from srch").fetchone()[0]
        per_search = -(-alerts // n_searches)
        with _IndexRebuild(conn, "saved_search_alert")(alerts):
            conn.execute("""
                insert into saved_search_alert (alert_id, search_id, alert_dt, match_count, email_sent, inapp_created,
                                                created_at, city)
                select 'ssa_' || substr(md5('alert' || g), 1, 26), s.search_id, day, 1 + (random() * 20)::int,
                       random() < 0.7, random() < 0.9, day + time '06:00', s.city
                  from (select g, (%(today)s::date - %(span)s  -- the last day: yesterday
                                   + floor((g / %(s)s) * ((%(span)s - 5)::numeric / %(per)s))::int + (g %% 5)) as day
                          from generate_series(0, %(n)s - 1) g) x
                  join srch s on s.n = g %% %(s)s""",
                         {"today": now.date(), "span": SPAN_DAYS, "s": n_searches, "per": per_search, "n": alerts})
        timings["alerts"] = time.perf_counter() - started
        started = time.perf_counter()
        conn.commit()
        timings["commit"] = time.perf_counter() - started
        conn.autocommit = True
        started = time.perf_counter()
        for table in ("app_user", "referral_invite", "referral_reward", "credit_ledger", "credit_balance",
                      "saved_search_alert"):
            conn.execute(f"vacuum (analyze) {table}")
        timings["vacuum (analyze)"] = time.perf_counter() - started
    started = time.perf_counter()
    out = subprocess.run([str(BIN / "flask"), "--app", "wsgi", "growth", "rebuild-rollups"], cwd=ROOT, check=True,
                         env={**os.environ, "DATABASE_URL": url, "APP_ENV": "development"},
                         capture_output=True, text=True).stdout
    timings["rebuild-rollups"] = time.perf_counter() - started
    print(out.strip())
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("vacuum (analyze) growth_daily")
        conn.execute("vacuum (analyze) activity_daily")
        timings["rollup rows"] = conn.execute("select count(*) from growth_daily").fetchone()[0]
        # The rollups must agree with the facts they sum.
        wrong = conn.execute("""
            select (select sum(invites) from growth_daily) <> (select count(*) from referral_invite)
                or (select sum(signups) from growth_daily) <> (select count(*) from referral_invite
                                                                where accepted_at is not null)
                or (select sum(alerts) from activity_daily) <> (select count(*) from saved_search_alert)
            """).fetchone()[0]
        if wrong:
            raise SystemExit("the rebuilt rollups disagree with the facts")
    return timings


def counts(url: str) -> dict[str, int] | None:
    try:
        with psycopg.connect(url) as conn:
            return dict(zip(("invites", "ledger", "alerts", "rewards", "users"), conn.execute(
                "select (select count(*) from referral_invite), (select count(*) from credit_ledger),"
                " (select count(*) from saved_search_alert), (select count(*) from referral_reward),"
                " (select count(*) from app_user)").fetchone(), strict=True))
    except psycopg.Error:
        return None


def prepare(name: str, *, profiles: int, invites: int, reuse: bool) -> tuple[str, dict]:
    """The bench database `name`, kept (and migrated) with `reuse` when it holds what this run asks;
    returns its URL and its load's timings (kept in the database's comment)."""
    url = with_dbname(admin_url(), name)
    loaded = f"bench_growth profiles={profiles} invites={invites} searches={SEARCHES}"
    with psycopg.connect(admin_url(), autocommit=True) as conn:
        row = conn.execute("select shobj_description(oid, 'pg_database') from pg_database where datname = %s",
                           (name,)).fetchone()
    kept = json.loads(row[0]) if row and row[0] and row[0].startswith("{") else {}
    if reuse and kept.get("loaded") == loaded:
        from bench.common import flask
        flask(["db", "upgrade"], url)
        print(f"{name}: kept ({counts(url)})")
        return url, kept["timings"]
    started = time.monotonic()
    url = bench_database(name, scale={"profiles": profiles, "searches": SEARCHES})
    timings = load_facts(url, invites=invites)
    with psycopg.connect(admin_url(), autocommit=True) as conn:
        conn.execute(sql.SQL("comment on database {} is {}").format(
            sql.Identifier(name), sql.Literal(json.dumps({"loaded": loaded, "timings": timings}))))
    print(f"{name}: {counts(url)}, ready in {time.monotonic() - started:.0f} s; load {timings}")
    return url, timings


# --- measuring -------------------------------------------------------------------------------------

def views(today: date) -> dict[str, tuple[str, dict[str, str]]]:
    """name -> (path, extra headers): the overview's views measured."""
    year = urllib.parse.urlencode({"range": "custom", "start": (today - timedelta(days=364)).isoformat(),
                                   "end": today.isoformat()})
    return {"30 days": ("/growth", {}),
            "this quarter": ("/growth?range=quarter", {}),
            "1 year (custom)": (f"/growth?{year}", {}),
            "30 days, htmx partial": ("/growth", {"HX-Request": "true"})}


def median_latency(targets: dict[str, tuple[str, str, str | None, dict]], rounds: int) -> dict[str, float]:
    """Sequential requests, one keep-alive connection per target, the targets interleaved so any drift
    of the machine hits them alike. targets: name -> (base url, path, cookie, headers)."""
    conns = {name: http.client.HTTPConnection(urllib.parse.urlsplit(t[0]).netloc, timeout=60)
             for name, t in targets.items()}
    samples: dict[str, list[float]] = {name: [] for name in targets}

    def get(name: str) -> float:
        base, path, cookie, headers = targets[name]
        started = time.perf_counter()
        try:
            conns[name].request("GET", path, headers={"User-Agent": AGENT, "Cookie": cookie or "", **headers})
            response = conns[name].getresponse()
        except (http.client.RemoteDisconnected, ConnectionError):  # the server's keep-alive ran out: reconnect
            conns[name].close()
            conns[name] = http.client.HTTPConnection(urllib.parse.urlsplit(base).netloc, timeout=60)
            started = time.perf_counter()
            conns[name].request("GET", path, headers={"User-Agent": AGENT, "Cookie": cookie or "", **headers})
            response = conns[name].getresponse()
        response.read()
        assert response.status == 200, (name, path, response.status)
        return (time.perf_counter() - started) * 1000

    for name in targets:  # warm-up
        for _ in range(5):
            get(name)
    for _ in range(rounds):
        for name in targets:
            samples[name].append(get(name))
    return {name: statistics.median(values) for name, values in samples.items()}


PROFILE_SCRIPT = r"""
import json, statistics, sys, time
from datetime import timedelta
from webapp import create_app
from webapp.core import clock, reads
from webapp.reporting import queries, service
from webapp.reporting.model import Filters, Preset, TOP_INVITERS

app = create_app()
today = clock.today()
results, captured = {}, {}
with app.app_context():
    filters = {"30 days": Filters(Preset.LAST_30_DAYS, today - timedelta(days=29), today),
               "1 year": Filters(Preset.CUSTOM, today - timedelta(days=364), today)}
    real_run = reads._run
    def capture(sql, params, fetch, **kw):
        captured[current] = (sql, {k: (v.isoformat() if hasattr(v, "isoformat") else v)
                                   for k, v in (params or {}).items()})
        return real_run(sql, params, fetch, **kw)
    reads._run = capture
    for label, f in filters.items():
        calls = {"totals": lambda: queries.totals(f), "weekly": lambda: queries.weekly(f),
                 "activity": lambda: queries.activity(f), "sources_seen": lambda: queries.sources_seen(f),
                 "programs": queries.programs, "review_queue": queries.review_queue,
                 "top_inviters": lambda: queries.top_inviters(f, limit=TOP_INVITERS),
                 "service.overview (all)": lambda: service.overview(f)}
        for name, call in calls.items():
            current = f"{label}: {name}"
            for _ in range(3):
                call()
            took = []
            for _ in range(int(sys.argv[1])):
                started = time.perf_counter()
                call()
                took.append((time.perf_counter() - started) * 1000)
            results[current] = statistics.median(took)
print(json.dumps({"times": results, "statements": {k: v for k, v in captured.items() if k.startswith("1 year")}}))
"""


def profile(url: str, repeats: int = 15) -> dict:
    """Each statement of the overview timed in-process (median ms) and the one-year statements' SQL."""
    out = subprocess.run([sys.executable, "-c", PROFILE_SCRIPT, str(repeats)], cwd=ROOT, check=True,
                         env={**os.environ, "DATABASE_URL": url, "APP_ENV": "development"},
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def explain(url: str, statement: tuple[str, dict]) -> str:
    text_, params = statement
    with psycopg.connect(url) as conn:
        conn.execute(text_, params).fetchall()
        return "\n".join(r[0] for r in conn.execute("explain (analyze, buffers, costs off) " + text_, params))


# --- report ----------------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=10_000, help="invites in the small database")
    parser.add_argument("--large", type=int, default=1_000_000, help="invites in the large database")
    parser.add_argument("--profiles", type=int, default=20_000, help="synthetic people in both databases")
    parser.add_argument("--duration", type=int, default=6, help="seconds of wrk per target and round")
    parser.add_argument("--rounds-wrk", type=int, default=2, help="interleaved wrk rounds over all targets")
    parser.add_argument("--rounds", type=int, default=30, help="sequential requests per target")
    parser.add_argument("--connections", type=int, default=4, help="wrk connections")
    parser.add_argument("--reuse", action="store_true", help="keep bench databases that already hold the counts")
    parser.add_argument("--no-record", action="store_true", help="print only; don't touch docs/benchmarks.md")
    args = parser.parse_args()

    m = machine()
    dbs = {}
    for size, n in (("small", args.small), ("large", args.large)):
        dbs[size] = prepare(f"{DB_PREFIX}_{size}", profiles=args.profiles, invites=n, reuse=args.reuse)
    sizes = {size: counts(url) for size, (url, _) in dbs.items()}
    paths = views(clock.today())

    with contextlib.ExitStack() as servers:
        hello = servers.enter_context(gunicorn("bench.hello_app:app", port=PORTS[0]))
        apps = {size: servers.enter_context(gunicorn(APP, env={"DATABASE_URL": url, "APP_ENV": "development"},
                                                     ready_path="/login", port=port))
                for (size, (url, _)), port in zip(dbs.items(), PORTS[1:], strict=True)}
        cookies = {size: login(app.url, USER) for size, app in apps.items()}
        meters = {"hello": CpuMeter(hello=hello.pid)} | {
            size: CpuMeter(app=app.pid, postgres=database_backends(dbs[size][0])) for size, app in apps.items()}
        # name: (url, cookie, headers, meter, the meter's server)
        targets = {"hello": (f"{hello.url}/", None, {}, "hello", "hello")}
        for view, (path, headers) in paths.items():
            for size, app in apps.items():
                targets[f"{view} | {size}"] = (app.url + path, cookies[size], headers, size, "app")
        for url, cookie, headers, _, _ in targets.values():  # warm-up: templates, pools, prepared statements
            wrk(url, cookie=cookie, headers=headers, duration=2, connections=args.connections, warmup=0,
                timeout=WRK_TIMEOUT)
        runs: dict[str, list[dict]] = {name: [] for name in targets}
        for _ in range(args.rounds_wrk):
            for name, (url, cookie, headers, meter, server) in targets.items():
                runs[name].append(wrk(url, cookie=cookie, headers=headers, duration=args.duration,
                                      connections=args.connections, warmup=0, meter=meters[meter], server=server,
                                      timeout=WRK_TIMEOUT))
        latency = median_latency({"hello": (hello.url, "/", None, {})} | {
            f"{view} | {size}": (apps[size].url, path, cookies[size], headers)
            for view, (path, headers) in paths.items() for size in apps}, args.rounds)

    profiles = {size: profile(url) for size, (url, _) in dbs.items()}
    statements = profiles["large"]["statements"]
    plans = {name: explain(dbs["large"][0], statements[f"1 year: {name}"]) for name in ("top_inviters", "totals")}

    def med(name: str, key: str) -> float:
        return statistics.median(r[key] for r in runs[name])

    def cpu(name: str, part: str) -> float | None:
        values = [r["cpu"][part] for r in runs[name] if r["cpu"].get(part) is not None]
        return statistics.median(values) if values else None

    def share(name: str) -> float:
        return statistics.median(r["rps"] / h["rps"] for r, h in zip(runs[name], runs["hello"], strict=True))

    bad = {name: sum(r["non_2xx"] + r["socket_errors"] for r in results) for name, results in runs.items()}
    rows = [f"| hello-world Flask (baseline) | {latency['hello']:.2f} | – | – | {med('hello', 'rps'):,.0f} | – | – |"]
    ratios = {}
    for view in paths:
        s, large = f"{view} | small", f"{view} | large"
        ratios[view] = latency[large] / latency[s]
        rows.append(f"| `{view}` | {latency[s]:.1f} | {latency[large]:.1f} | **{ratios[view]:.2f}×** | "
                    f"{med(s, 'rps'):,.1f} / {med(large, 'rps'):,.1f} | {share(s):.1%} / {share(large):.1%} | "
                    f"{bad[s] + bad[large]} |")
    cpu_rows = [f"| {name} | {us(cpu(name, 'server'))} | {us(cpu(name, 'postgres'))} | {us(cpu(name, 'all'))} |"
                for name in targets]
    statement_names = ["totals", "weekly", "activity", "sources_seen", "programs", "review_queue", "top_inviters",
                       "service.overview (all)"]
    stmt_rows = [f"| {name} | " + " | ".join(f"{profiles[size]['times'][f'{label}: {name}']:.2f}"
                                            for label in ("30 days", "1 year") for size in ("small", "large")) + " |"
                 for name in statement_names]
    load_lines = []
    for size, (_, timings) in dbs.items():
        c = sizes[size]
        load_lines.append(
            f"- Load, {size}: {c['invites']:,} invites ({c['rewards']:,} rewards), {c['ledger']:,} ledger entries, "
            f"{c['alerts']:,} alerts; facts by INSERT … SELECT with triggers off, indexes rebuilt after: "
            + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items() if k not in ("rebuild-rollups", "rollup rows"))
            + f"; **`flask growth rebuild-rollups` {timings['rebuild-rollups']:.1f} s** "
              f"({int(timings['rollup rows']):,} growth_daily rows).")
    workers = os.environ.get("WEB_CONCURRENCY", str((os.cpu_count() or 1) * 2))
    lines = [
        f"`bench/bench_growth.py`, {m['date']} on {m['nproc']} CPU(s) ({m['cpu']}), load average {m['load']:.1f} "
        f"when the run started. Two databases alike but for the facts: demo data, {args.profiles:,} synthetic "
        f"people, {SEARCHES:,} saved searches; small: {sizes['small']['invites']:,} invites, "
        f"{sizes['small']['ledger']:,} ledger entries, {sizes['small']['alerts']:,} alerts; large: "
        f"{sizes['large']['invites']:,}, {sizes['large']['ledger']:,} and {sizes['large']['alerts']:,}, over the "
        f"three years before today (more recently). Signed in as {USER}; gunicorn `-c gunicorn.conf.py` "
        f"({workers} workers) for each app and hello world, all up at once, the app with rate limits off "
        f"(bench/app_unlimited.py). Latency: median of {args.rounds} sequential requests per target, interleaved. "
        f"wrk -t2 -c{args.connections}, {args.rounds_wrk} interleaved rounds of {args.duration} s (medians).",
        "",
        "| view | small median ms | large median ms | large / small (goal ≤ 2×) | req/s small / large "
        "| vs hello world | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        *rows,
        "",
        "Each statement of the overview in-process (median ms of 15 calls; `service.overview` is all of them "
        "plus building the charts' series, without drawing them):",
        "",
        "| statement | 30 days small | 30 days large | 1 year small | 1 year large |",
        "| --- | ---: | ---: | ---: | ---: |",
        *stmt_rows,
        "",
        "CPU per request under wrk, µs (psutil; medians over the rounds):",
        "",
        "| target | gunicorn workers | PostgreSQL | whole machine |",
        "| --- | ---: | ---: | ---: |",
        *cpu_rows,
        "",
        *load_lines,
        "",
        NOTE,
        "",
        "Re-run (both databases are kept with `--reuse`):",
        "",
        "```sh",
        ".venv/bin/python bench/bench_growth.py            # fresh databases; --reuse keeps them",
        "```",
        "",
        "Top inviters, one year, large database (EXPLAIN ANALYZE):",
        "",
        "```",
        plans["top_inviters"],
        "```",
        "",
        "Totals, one year, large database:",
        "",
        "```",
        plans["totals"],
        "```",
    ]
    report = "\n".join(lines)
    print(report)
    print({view: round(r, 2) for view, r in ratios.items()})
    if not args.no_record:
        write_section("Growth dashboard — overview", report)
        print("\nrecorded in docs/benchmarks.md")


def us(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f}"


if __name__ == "__main__":
    main()
