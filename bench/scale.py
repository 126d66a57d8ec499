"""Synthetic rows for benchmarks, loaded with COPY.

    .venv/bin/python -m bench.scale --profiles N --searches N --posts N --invites N --ledger N

adds exactly N rows of each kind to the database the app would use (DATABASE_URL, or
the embedded server), on top of what is there: run `flask --app wsgi seed` first, for
the accounts and programs the rows refer to. Profiles bring their app_user rows;
posts bring their feed_media rows. Every row is valid under every constraint: foreign keys
point at real rows, e-mails are
unique (they embed the row's id), each user's saved searches are distinct, and
no credit balance ever goes below zero. Everything is one transaction on a raw
psycopg connection using COPY, then ANALYZE so the planner sees the new sizes.

Content (names, tags, rates, dates) comes from a seeded random source, so two
loads look alike; ids take their random bits from os.urandom, so a second load
never collides with the first.
"""
from __future__ import annotations

import argparse
import base64
import json
import logging
import os
import random
import sys
import time
import zlib
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from webapp.core import clock  # noqa: E402
from webapp.core.config import libpq_url  # noqa: E402
from webapp.core.security import hash_password, keyed_hash  # noqa: E402
from webapp.core.taxonomy import AMENITY_TAGS, CITIES, LANGUAGES, ROLE_TAGS, STYLE_TAGS  # noqa: E402
from webapp.credits.rules import SIGNED_AMOUNT_SQL, redeemable_cents, signed_cents  # noqa: E402
from webapp.demo.base import SEED, SPAN_DAYS  # noqa: E402
from webapp.demo.people import DEMO_ACCOUNTS, NAMES, RATE_RANGE, ascii_slug  # noqa: E402
from webapp.referrals.codes import new_code  # noqa: E402
from webapp.referrals.rules import SHARE_SOURCES  # noqa: E402

log = logging.getLogger(__name__)

_CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz"
_B32_TO_CROCKFORD = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", _CROCKFORD)
_PAIRS = [a + b for a in _CROCKFORD for b in _CROCKFORD]
CITY_SLUGS = [c.slug for c in CITIES]
CITY_COUNTRY = {c.slug: c.country for c in CITIES}
KINDS = ("case_study", "availability", "touring", "studio_slot", "influence")


class ScaleError(RuntimeError):
    """The database lacks what synthetic rows must refer to (say, no programs yet)."""


def fast_ids(prefix: str, ms_values: list[int]) -> list[str]:
    """Ids in exactly webapp.core.ids.new_id's format (48-bit ms, 80 random bits, Crockford
    base32), made in bulk: the 80 random bits are 16 base32 characters, so one
    b32encode of os.urandom covers every row at once."""
    n = len(ms_values)
    tails = base64.b32encode(os.urandom(10 * n)).decode().translate(_B32_TO_CROCKFORD)
    p = _PAIRS
    return [
        f"{prefix}_{p[(ms >> 40) & 1023]}{p[(ms >> 30) & 1023]}{p[(ms >> 20) & 1023]}{p[(ms >> 10) & 1023]}"
        f"{p[ms & 1023]}{tails[16 * i:16 * i + 16]}"
        for i, ms in enumerate(ms_values)
    ]


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _field(value) -> str:
    """One value in COPY text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.translate(_ESCAPES)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):  # text[] of plain tags (letters and hyphens)
        return "{" + ",".join(value) + "}"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value).translate(_ESCAPES)  # dates


class _IndexRebuild:
    """Big loads: drop the table's secondary indexes and foreign keys, COPY, then build
    the indexes and add the foreign keys back, all in the same transaction.

    Building an index once is far cheaper than maintaining it row by row (GIN above
    all), and one validating join is far cheaper than a million foreign-key trigger
    calls. Nothing is skipped: a unique index built afterwards still refuses
    duplicates, and `add constraint ... foreign key` checks every row. Primary keys
    and constraint-backed indexes stay as they are (other tables' keys point at them).
    """

    BIG = 50_000  # below this, keeping everything in place is faster

    def __init__(self, conn: psycopg.Connection, table: str):
        self.conn, self.table = conn, table
        self.indexes: list[tuple[str, str]] = []
        self.foreign_keys: list[tuple[str, str]] = []

    def __call__(self, n: int):
        if n >= self.BIG:
            self.indexes = self.conn.execute(
                "select i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) from pg_index i"
                " where i.indrelid = %s::regclass and not i.indisprimary"
                " and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)",
                (self.table,)).fetchall()
            self.foreign_keys = self.conn.execute(
                "select conname, pg_get_constraintdef(oid) from pg_constraint"
                " where conrelid = %s::regclass and contype = 'f'", (self.table,)).fetchall()
        return self

    def __enter__(self):
        for name, _ in self.foreign_keys:
            self.conn.execute(f'alter table {self.table} drop constraint "{name}"')
        for name, _ in self.indexes:
            self.conn.execute(f"drop index {name}")
        return self

    def __exit__(self, exc_type, *exc):
        if exc_type is None:
            if self.indexes:
                self.conn.execute("set local maintenance_work_mem = '256MB'")
            for _, definition in self.indexes:
                self.conn.execute(definition)
            for name, definition in self.foreign_keys:
                self.conn.execute(f'alter table {self.table} add constraint "{name}" {definition}')
        return False


class Loader:
    def __init__(self, conn: psycopg.Connection, rng: random.Random, secret_key: str):
        self.conn = conn
        self.rng = rng
        self.secret_key = secret_key
        self.now = clock.now().replace(microsecond=0)
        self.start_ms = int((self.now - timedelta(days=SPAN_DAYS)).timestamp() * 1000)
        self.end_ms = int(self.now.timestamp() * 1000)
        self.touched: set[str] = set()
        self.timings: dict[str, float] = {}

    def times(self, n: int) -> list[int]:
        """n creation moments (ms) spread over the last 90 days, in ascending order."""
        r, start, span = self.rng.random, self.start_ms, self.end_ms - self.start_ms
        return sorted([start + int(r() * span) for _ in range(n)])

    @staticmethod
    def ts(ms: int) -> datetime:
        return datetime.fromtimestamp(ms / 1000, UTC)

    def copy(self, table: str, columns: list[str], rows, n: int) -> int:
        """COPY rows (tuples of Python values) in text format."""
        fmt = _field
        return self.copy_lines(table, columns, ("\t".join([fmt(v) for v in row]) for row in rows), n)

    def copy_lines(self, table: str, columns: list[str], lines, n: int) -> int:
        """COPY lines already in text format, written in large chunks: far faster than a
        write_row per row. Big loads rebuild the table's plain indexes afterwards."""
        count = 0
        with _IndexRebuild(self.conn, table)(n), self.conn.cursor() as cur, \
                cur.copy(f"copy {table} ({', '.join(columns)}) from stdin") as copy:
                chunk: list[str] = []
                for line in lines:
                    chunk.append(line)
                    if len(chunk) == 20_000:
                        copy.write("\n".join(chunk) + "\n")
                        count += len(chunk)
                        chunk.clear()
                if chunk:
                    copy.write("\n".join(chunk) + "\n")
                    count += len(chunk)
        self.touched.add(table)
        return count

    # -- profiles ------------------------------------------------------------------
    def stamps(self, ms: list[int]) -> list[str]:
        """COPY text for each moment, to the second (cheaper than datetime.isoformat per row)."""
        days: dict[int, str] = {}
        out = []
        for m in ms:
            day, sec = divmod(m // 1000, 86_400)
            prefix = days.get(day)
            if prefix is None:
                prefix = days[day] = datetime.fromtimestamp(day * 86_400, UTC).strftime("%Y-%m-%d")
            h, rest = divmod(sec, 3600)
            out.append(f"{prefix} {h:02d}:{rest // 60:02d}:{rest % 60:02d}+00")
        return out

    def profile_pool(self, country: str, size: int = 2048) -> list[str]:
        """Pre-formatted `role_tags, style_tags, languages, rate, verified, travels, headline` parts."""
        rng = self.rng
        local = {"Germany": "german", "France": "french", "Italy": "italian", "Spain": "spanish"}.get(country)
        pool = []
        for _ in range(size):
            role = rng.choice(ROLE_TAGS)
            roles = sorted({role, rng.choice(ROLE_TAGS)}) if rng.random() < 0.2 else [role]
            styles = sorted(rng.sample(STYLE_TAGS, rng.randint(1, 4)))
            langs = {"english"} | ({local} if local else set())
            if rng.random() < 0.2:
                langs.add(rng.choice(LANGUAGES))
            low, high = RATE_RANGE[role]
            pool.append("\t".join((
                "{" + ",".join(roles) + "}", "{" + ",".join(styles) + "}", "{" + ",".join(sorted(langs)) + "}",
                str(rng.randrange(low, high + 1, 500)), "t" if rng.random() < 0.4 else "f",
                "t" if rng.random() < 0.3 else "f", role.replace("-", " ").capitalize(),
            )))
        return pool

    def profiles(self, n: int) -> int:
        """n people: app_user rows (provider, password growthdesk-demo) and their service profiles."""
        rng = self.rng
        password_hash = hash_password("growthdesk-demo")
        ms = self.times(n)
        ids = fast_ids("usr", ms)
        stamps = self.stamps(ms)
        cities = rng.choices(CITY_SLUGS, k=n)
        people = {}  # per country: (display names, e-mail stems), combos of first and last names
        for country, (firsts, lasts) in NAMES.items():
            pairs = [(f, la) for f in firsts for la in lasts]
            people[country] = ([f"{f} {la}" for f, la in pairs], [ascii_slug(f"{f} {la}") for f, la in pairs],
                               self.profile_pool(country))
        picks = [rng.getrandbits(30) for _ in range(n)]
        # email_alerts on for 80 %, sensitive opt-in for 20 %: one draw picks both flags.
        flag_choices = ("t\tt", "t\tf", "t\tf", "t\tf", "f\tf")
        flags = rng.choices(flag_choices, k=n)
        by_city = {c: people[CITY_COUNTRY[c]] for c in CITY_SLUGS}
        rows = []
        for i in range(n):
            names, stems, _ = by_city[cities[i]]
            k = picks[i] % len(names)
            rows.append((names[k], stems[k]))

        def users():
            for i in range(n):
                uid, at = ids[i], stamps[i]
                name, stem = rows[i]
                yield (f"{uid}\t{stem}.{uid[4:]}@example.com\t{password_hash}\t{name}\tprovider\t"
                       f"{flags[i]}\t{cities[i]}\t{at}\t{at}")

        started = time.perf_counter()
        self.copy_lines("app_user", ["user_id", "email", "password_hash", "display_name", "role", "email_alerts",
                                     "sensitive_opt_in", "city", "created_at", "updated_at"], users(), n)
        self.timings["profiles: app_user"] = time.perf_counter() - started

        def profiles():
            for i in range(n):
                pool = by_city[cities[i]][2]
                at = stamps[i]
                yield f"{ids[i]}\t{rows[i][0]}\t{cities[i]}\t{pool[picks[i] % 2048]}\t{at}\t{at}"

        started = time.perf_counter()
        count = self.copy_lines("service_profile", ["user_id", "display_name", "city", "role_tags", "style_tags",
                                                    "languages", "rate_cents", "verified", "travels", "headline",
                                                    "created_at", "updated_at"], profiles(), n)
        self.timings["profiles: service_profile"] = time.perf_counter() - started
        return count

    # -- saved searches -----------------------------------------------------------
    def searches(self, n: int) -> int:
        """Each user's k-th search is combination (k * P + h(user)) mod T of a shape the
        demo never uses, so a user's searches stay distinct across loads (unique index)."""
        rng = self.rng
        users = [r[0] for r in self.conn.execute(
            "select user_id from app_user where role in ('member', 'provider') order by user_id")]
        if not users:
            raise ScaleError("No accounts to own saved searches: run `flask --app wsgi seed` first.")
        have = defaultdict(int, self.conn.execute(
            "select user_id, count(*) from saved_search group by user_id").fetchall())
        rates = [5_000 + 500 * i for i in range(40)]
        sizes = [40 + 40 * i for i in range(10)]
        people_total = len(CITY_SLUGS) * len(ROLE_TAGS) * len(STYLE_TAGS) * len(rates)
        studio_total = len(CITY_SLUGS) * len(AMENITY_TAGS) * len(rates) * len(sizes)
        prime = 7919
        ms = self.times(n)
        ids = fast_ids("ssv", ms)

        def rows():
            for i in range(n):
                user = users[rng.randrange(len(users))]
                k = have[user]
                have[user] += 1
                h = zlib.crc32(user.encode())
                scope = "people" if k % 2 == 0 else "studios"
                total = people_total if scope == "people" else studio_total
                c = (k // 2 * prime + h) % total
                c, city = divmod(c, len(CITY_SLUGS))
                c, rate = divmod(c, len(rates))
                if scope == "people":
                    role, style = divmod(c, len(STYLE_TAGS))
                    query = {"all": [{"field": "rate_cents", "op": "gte", "value": rates[rate]},
                                     {"field": "role_tags", "op": "has", "value": ROLE_TAGS[role % len(ROLE_TAGS)]},
                                     {"field": "style_tags", "op": "has", "value": STYLE_TAGS[style]}], "any": []}
                else:
                    amenity, size = divmod(c, len(sizes))
                    query = {"all": [{"field": "amenity_tags", "op": "has",
                                      "value": AMENITY_TAGS[amenity % len(AMENITY_TAGS)]},
                                     {"field": "hourly_rate_cents", "op": "gte", "value": rates[rate]},
                                     {"field": "size_sqm", "op": "gte", "value": sizes[size]}], "any": []}
                at = self.ts(ms[i])
                roll = rng.random()
                paused = (self.now.date() + timedelta(days=rng.randint(1, 60))) if roll < 0.1 else None
                last_alert = (self.now.date() - timedelta(days=rng.randint(1, 30))) if roll > 0.6 else None
                yield (ids[i], user, scope, json.dumps(query), CITY_SLUGS[city], paused, last_alert, at, at)

        columns = ["search_id", "user_id", "scope", "query_json", "city", "paused_until", "last_alert_dt",
                   "created_at", "updated_at"]
        return self.copy("saved_search", columns, rows(), n)

    # -- feed posts ---------------------------------------------------------------
    def posts(self, n: int) -> int:
        rng = self.rng
        authors = self.conn.execute(
            "select user_id, role_tags, city, verified from service_profile order by random() limit 50000").fetchall()
        if not authors:
            raise ScaleError("No people to write posts: run `flask --app wsgi seed` first.")
        ms = self.times(n)
        ids = fast_ids("fdp", ms)
        media: list[tuple] = []
        media_ids = fast_ids("fdm", [m for m in ms for _ in range(2)])

        def rows():
            for i in range(n):
                user_id, roles, city, verified = authors[rng.randrange(len(authors))]
                kind = rng.choice(KINDS)
                band = 0 if rng.random() < 0.85 else (1 if rng.random() < 0.67 else 2)
                published = rng.random() < 0.9
                post_city = rng.choice(CITY_SLUGS) if kind == "touring" else city
                label = f"{kind.replace('_', ' ')} {i}"
                count = rng.randint(1, 2)
                preview = []
                for pos in range(count):
                    # The art.scene route's path, by hand: load() runs without the app (no url_for), and
                    # url_for would cost about 20 µs a picture, some 30 s a million posts.
                    src = f"/media/scene/s{ids[i][-12:]}-{pos}.svg?label={quote(label)}"
                    item = {"alt": f"{label} picture {pos + 1}", "width": 640, "height": 400}
                    if band == 0:  # band 1-2 previews keep only alt text and size (migration 030)
                        item = {"src": src, **item}
                    preview.append(item)
                    media.append((media_ids[2 * i + pos], ids[i], pos, src, "image/svg+xml", 640, 400,
                                  item["alt"], self.ts(ms[i])))
                at = self.ts(ms[i])
                yield (ids[i], user_id, list(roles) or ["photographer"], kind, f"{kind.replace('_', ' ').title()} #{i}",
                       "Synthetic post for benchmarks.", json.dumps(preview), band, post_city, verified, published,
                       at, at, at if published else None)

        columns = ["feed_id", "author_id", "role_tags", "kind", "title", "body_md", "media_preview", "nsfw_band",
                   "city", "verified_chip", "is_published", "created_at", "updated_at", "first_published_at"]
        count = self.copy("feed_post", columns, rows(), n)
        if media:
            self.copy("feed_media", ["media_id", "feed_id", "position", "src", "mime", "width", "height", "alt",
                                     "created_at"], iter(media), len(media))
        return count

    # -- referral invites ---------------------------------------------------------
    def invites(self, n: int) -> int:
        """n invites from members and providers, each under a program open to the inviter's role;
        about 55% accepted by an account no invite has brought in yet (060's uq_rfi_invitee: an
        account is attributed once; when such accounts run out, the rest stay e-mail invites).

        The demo log-ins (buyer@, provider@, growth@demo.test) never get synthetic invites: their
        history stays the demo's at any table size, so a benchmark signed in as one of them measures
        the same page over 10k or 1M rows. Afterwards every inviter in the table has a personal code
        (referral_code) for each program they invited under, as if they had shared their link.
        """
        rng = self.rng
        programs = self.conn.execute("select program_id, inviter_roles from referral_program order by program_id")\
            .fetchall()
        demo_logins = [email for email, _, _ in DEMO_ACCOUNTS]
        users = self.conn.execute(
            "select user_id, role from app_user where role in ('member', 'provider') and email <> all(%s)"
            " order by random() limit 200000", (demo_logins,)).fetchall()
        if not programs or len(users) < 2:
            raise ScaleError("No referral programs or too few accounts: run `flask --app wsgi seed` first.")
        open_to = {role: [p for p, roles in programs if role in roles] or [p for p, _ in programs]
                   for role in ("member", "provider")}
        unattributed = [r[0] for r in self.conn.execute(
            "select user_id from app_user u where role in ('member', 'provider') and email <> all(%s) and not exists"
            " (select 1 from referral_invite i where i.invitee_user_id = u.user_id) order by random()",
            (demo_logins,))]
        ms = self.times(n)
        ids = fast_ids("rfi", ms)
        stamps = self.stamps(ms)
        # Accepted a few minutes after the invite (drawn for every row; used by the accepted ones).
        random_ = rng.random
        accepted_stamps = self.stamps([m + 60_000 + int(random_() * 1_740_000) for m in ms])
        # Keyed hashes of addresses no one holds and device ids are random to anyone without the
        # key, so random hex stands in for them: an HMAC per row was most of a 1M load's time.
        hashes = os.urandom(32 * n).hex()
        devices = os.urandom(8 * n).hex()
        ip_hashes = [keyed_hash(f"10.{i // 250}.{i % 250}.{i % 7 + 1}", secret_key=self.secret_key)
                     for i in range(4096)]  # a few thousand sign-up addresses, shared
        n_users, sources = len(users), SHARE_SOURCES

        def lines():
            for i in range(n):
                inviter, role = users[int(random_() * n_users)]
                offered = open_to[role]
                program = offered[int(random_() * len(offered))]
                invitee = unattributed.pop() if unattributed and random_() < 0.55 else None
                if invitee == inviter:
                    invitee = None
                start = f"{ids[i]}\t{program}\t{inviter}\t"
                rest = f"{hashes[64 * i:64 * i + 64]}\t"
                when = f"dfp_{devices[16 * i:16 * i + 16]}\t{ip_hashes[i & 4095]}\t{stamps[i]}\t"
                if invitee:  # joined through a shared link, a few minutes after the invite
                    yield (f"{start}{invitee}\t{rest}{sources[int(random_() * len(sources))]}\t{when}"
                           f"{accepted_stamps[i]}\tsigned_up\t\\N")
                else:  # an e-mail invite nobody has answered yet: the inviter sees a masked address
                    yield f"{start}\\N\t{rest}email\t{when}\\N\tsent\ti•••@e•••.com"

        started = time.perf_counter()
        count = self.copy_lines("referral_invite", [
            "invite_id", "program_id", "inviter_user_id", "invitee_user_id", "invitee_email_sha", "source",
            "device_fp", "ip_addr_sha", "created_at", "accepted_at", "status", "invitee_hint"], lines(), n)
        self.timings["invites: referral_invite"] = time.perf_counter() - started
        started = time.perf_counter()
        self.codes()
        self.timings["invites: referral_code"] = time.perf_counter() - started
        return count

    def codes(self) -> int:
        """A personal code for every (inviter, program) of referral_invite that has none yet."""
        missing = self.conn.execute(
            "select distinct i.inviter_user_id, i.program_id from referral_invite i where not exists"
            " (select 1 from referral_code c where c.user_id = i.inviter_user_id and c.program_id = i.program_id)"
        ).fetchall()
        # Codes drawn as the app draws them (codes.new_code), never repeated within the load.
        drawn: set[str] = set()
        while len(drawn) < len(missing):
            drawn.add(new_code())
        rows = ((code, user_id, program_id) for code, (user_id, program_id) in zip(drawn, missing, strict=True))
        return self.copy("referral_code", ["code", "user_id", "program_id"], rows, len(missing))

    # -- credit ledger ------------------------------------------------------------
    def ledger(self, n: int) -> int:
        """Per user, a history after their last entry: awards first, then redeems never larger than
        the running balance, and clawbacks of an earlier award of theirs in full, as a refund's
        (related_id: the award), when the balance still covers it."""
        rng = self.rng
        programs = [r[0] for r in self.conn.execute("select program_id from referral_program order by program_id")]
        users = [r[0] for r in self.conn.execute(
            "select user_id from app_user where role in ('member', 'provider') order by random() limit %s",
            (max(1, n // 6),))]
        if not users:
            raise ScaleError("No accounts to credit: run `flask --app wsgi seed` first.")
        state = {r[0]: (r[1], r[2]) for r in self.conn.execute(
            f"select user_id, sum({SIGNED_AMOUNT_SQL}), max(created_at) from credit_ledger group by user_id")}
        per_user = [n // len(users) + (1 if i < n % len(users) else 0) for i in range(len(users))]
        entry_ms = []
        plan = []  # (user, kind, amount, at, the award a clawback takes back: its index in plan)
        for user, m in zip(users, per_user, strict=True):
            balance, last = state.get(user, (0, None))
            start = min(max(self.start_ms, int(last.timestamp() * 1000) + 1 if last else 0), self.end_ms - 1)
            moments = sorted(rng.randrange(start, self.end_ms) for _ in range(m))
            awards = []  # this user's awards in the load not clawed back yet
            for at in moments:
                award = None
                if balance <= 0 or rng.random() < 0.55:
                    kind, amount = "award", rng.randrange(250, 5_000, 25)
                    awards.append(len(plan))
                else:
                    pick = rng.randrange(len(awards)) if awards and rng.random() < 0.25 else None
                    if pick is not None and plan[awards[pick]][2] <= balance:
                        awards[pick], awards[-1] = awards[-1], awards[pick]  # O(1) removal: order is irrelevant
                        award = awards.pop()
                        kind, amount = "clawback", plan[award][2]
                    else:
                        kind, amount = "redeem", redeemable_cents(balance, rng.randrange(100, 3_000, 25))
                balance += signed_cents(kind, amount)
                plan.append((user, kind, amount, at, award))
                entry_ms.append(at)
        ids = fast_ids("crl", entry_ms)
        related = fast_ids("rfi", entry_ms)
        bookings = fast_ids("bkg", entry_ms)
        award_programs = [programs[rng.randrange(len(programs))] if programs else None for _ in plan]

        def rows():
            for i, (user, kind, amount, at, award) in enumerate(plan):
                if kind == "redeem":
                    reason, rel, program = f"Applied to the service fee of booking {bookings[i]}", bookings[i], None
                elif kind == "award":
                    reason, rel, program = f"Referral reward for booking {bookings[i]}", related[i], award_programs[i]
                else:
                    reason, rel, program = f"Booking {bookings[award]} was refunded", ids[award], award_programs[award]
                yield (ids[i], user, kind, program, amount, "USD", reason, rel, self.ts(at))

        return self.copy("credit_ledger", ["entry_id", "user_id", "kind", "program_id", "amount_cents", "currency",
                                           "reason", "related_id", "created_at"], rows(), len(plan))


KINDS_OF_ROWS = {"profiles": "people, with their accounts", "searches": "saved searches",
                 "posts": "feed posts, with their pictures", "invites": "referral invites",
                 "ledger": "credit ledger entries"}


def load(database_url: str, *, secret_key: str, profiles: int = 0, searches: int = 0, posts: int = 0,
         invites: int = 0, ledger: int = 0, seed: int = SEED) -> dict[str, int]:
    """Add synthetic rows with COPY in one transaction, then ANALYZE; returns rows added per kind.

    `secret_key` is the app's: invites hold keyed hashes made with it."""
    counts = {"profiles": profiles, "searches": searches, "posts": posts, "invites": invites, "ledger": ledger}
    added: dict[str, int] = {}
    with psycopg.connect(libpq_url(database_url)) as conn:
        conn.execute("set local synchronous_commit = off")
        loader = Loader(conn, random.Random(seed * 1_000_003 + sum(counts.values())), secret_key)
        for name in KINDS_OF_ROWS:
            if counts[name]:
                started = time.perf_counter()
                added[name] = getattr(loader, name)(counts[name])
                loader.timings[name] = time.perf_counter() - started
        conn.commit()
        conn.autocommit = True
        started = time.perf_counter()
        for table in sorted(loader.touched):
            conn.execute(f"analyze {table}")
        loader.timings["analyze"] = time.perf_counter() - started
    log.info("scale load seconds: %s", {k: round(v, 2) for k, v in loader.timings.items()})
    return added


def main(argv: list[str] | None = None) -> int:
    """The command line: the app's own settings say which database and which secret key."""
    from webapp import create_app

    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__.split("\n\n")[0])
    for name, what in KINDS_OF_ROWS.items():
        parser.add_argument(f"--{name}", type=int, default=0, metavar="N", help=f"add N {what}")
    args = parser.parse_args(argv)
    counts = {name: getattr(args, name) for name in KINDS_OF_ROWS}
    if any(n < 0 for n in counts.values()):
        parser.error("counts must not be negative")
    app = create_app()
    if app.config["APP_ENV"] == "production":
        print("Refusing to add synthetic rows: APP_ENV is production.", file=sys.stderr)
        return 1
    started = time.perf_counter()
    try:
        added = load(app.config["SQLALCHEMY_DATABASE_URI"], secret_key=app.config["SECRET_KEY"], **counts)
    except ScaleError as exc:
        print(exc, file=sys.stderr)
        return 1
    print("Added synthetic rows: " + ", ".join(f"{n} {kind}" for kind, n in added.items() if n)
          + f" in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
