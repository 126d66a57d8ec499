"""bench/scale.py: synthetic rows for benchmarks, exactly N of each kind, every one valid."""
from __future__ import annotations

import psycopg
import pytest

from bench import scale
from webapp.core.ids import new_id
from webapp.credits.rules import SIGNED_AMOUNT_SQL
from webapp.directory.query import canonical, get_scope, parse_json

TABLES = ("app_user", "service_profile", "saved_search", "feed_post", "referral_invite", "credit_ledger")
SCALE = {"profiles": 7, "searches": 9, "posts": 5, "invites": 6, "ledger": 11}
ADDS = {"app_user": 7, "service_profile": 7, "saved_search": 9, "feed_post": 5, "referral_invite": 6,
        "credit_ledger": 11}


def counts(db_conn) -> dict[str, int]:
    return {t: db_conn.execute(f"select count(*) from {t}").fetchone()[0] for t in TABLES}


@pytest.fixture
def demo_seeded(runner):
    """The demo data the synthetic rows refer to (accounts, programs)."""
    assert runner.invoke(args=["seed"]).exit_code == 0


@pytest.fixture
def load(app, database_url):
    return lambda **counts: scale.load(database_url, secret_key=app.config["SECRET_KEY"], **counts)


def test_each_load_adds_exactly_n_valid_rows(demo_seeded, load, db_conn):
    before = counts(db_conn)
    assert load(**SCALE) == SCALE
    assert load(**SCALE) == SCALE  # a second load never collides with the first
    after = counts(db_conn)
    assert {t: after[t] - before[t] for t in TABLES} == {t: 2 * n for t, n in ADDS.items()}
    _assert_everything_valid(db_conn)


def test_invites_come_with_their_inviters_codes_and_leave_the_demo_logins_alone(demo_seeded, load, db_conn):
    def demo_history():
        return db_conn.execute("select count(*) from referral_invite i join app_user u on u.user_id = i.inviter_user_id"
                               " where u.email like '%@demo.test'").fetchone()[0]

    def closed_to_inviter():
        return db_conn.execute("select count(*) from referral_invite i join app_user u on u.user_id = i.inviter_user_id"
                               " join referral_program p using (program_id)"
                               " where not u.role = any(p.inviter_roles)").fetchone()[0]

    before, closed = demo_history(), closed_to_inviter()
    load(profiles=20, invites=300)
    assert demo_history() == before  # a benchmark signed in as buyer@demo.test sees the same page at any size
    assert closed_to_inviter() == closed  # every synthetic invite is under a program open to its inviter
    assert db_conn.execute("select count(*) from referral_invite i where not exists (select 1 from referral_code c"
                           " where c.user_id = i.inviter_user_id and c.program_id = i.program_id)").fetchone()[0] == 0


def test_big_loads_rebuild_indexes_and_foreign_keys(demo_seeded, load, db_conn, monkeypatch):
    """Past a size, the loader drops plain indexes and foreign keys and builds them
    again in the same transaction; afterwards the schema is exactly as before."""
    schema = ("select indexdef from pg_indexes where schemaname = 'public' union all"
              " select pg_get_constraintdef(oid) from pg_constraint where connamespace = 'public'::regnamespace"
              " order by 1")
    before = db_conn.execute(schema).fetchall()
    monkeypatch.setattr(scale._IndexRebuild, "BIG", 1)
    load(**SCALE)
    assert db_conn.execute(schema).fetchall() == before
    _assert_everything_valid(db_conn)


def test_a_clash_fails_a_big_load_and_leaves_nothing_behind(demo_seeded, load, db_conn, monkeypatch):
    """Constraints still hold during a big load: a duplicate rolls the whole load back."""
    before = counts(db_conn)
    monkeypatch.setattr(scale._IndexRebuild, "BIG", 1)
    monkeypatch.setattr(scale, "fast_ids", lambda prefix, ms: [f"{prefix}_same{i % 2}" for i in range(len(ms))])
    with pytest.raises(psycopg.errors.UniqueViolation):
        load(profiles=4)
    assert counts(db_conn) == before


def test_rows_that_need_accounts_are_refused_on_an_empty_database(load, db_conn):
    with pytest.raises(scale.ScaleError, match="flask --app wsgi seed"):
        load(searches=3)
    assert counts(db_conn)["saved_search"] == 0


def test_the_command_refuses_a_production_database(monkeypatch, database_url, db_conn, capsys):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "q8V#r2Lx!m9Tz4Wp7Ks1Yd6Hf3Nc0Bg5Je")
    monkeypatch.setenv("INTERNAL_EVENTS_SECRET", "Zt5!pQ2wLr8#Xv3Nm6Ky9Bd4Hc7Jf0Gs1A")
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/7")
    monkeypatch.setenv("PUBLIC_URL", "https://growthdesk.example")
    assert scale.main(["--profiles", "3"]) == 1
    assert "APP_ENV is production" in capsys.readouterr().err
    assert counts(db_conn)["app_user"] == 0


def test_ids_have_the_same_shape_as_new_id():
    ms = 1_760_000_000_123
    fast, slow = scale.fast_ids("usr", [ms])[0], new_id("usr", at_ms=ms)
    assert len(fast) == len(slow) == 30
    assert fast[:14] == slow[:14]  # prefix and the 48-bit time part
    assert set(fast[4:]) <= set("0123456789abcdefghjkmnpqrstvwxyz")


def _assert_everything_valid(db_conn):
    one = lambda q: db_conn.execute(q).fetchone()[0]  # noqa: E731
    assert one("select count(*) from app_user a left join service_profile p using (user_id)"
               " where a.role = 'provider' and p.user_id is null and a.email like '%@example.com'"
               " and a.email ~ '\\.[0-9a-z]{26}@'") == 0
    assert one("select count(*) from feed_post f where not exists"
               " (select 1 from app_user u where u.user_id = f.author_id)") == 0
    assert one("select count(*) from feed_post f where not exists"
               " (select 1 from feed_media m where m.feed_id = f.feed_id)") == 0
    assert one("select count(*) from referral_invite i where invitee_user_id is not null and not exists"
               " (select 1 from app_user u where u.user_id = i.invitee_user_id)") == 0
    assert one("select count(*) from referral_invite where invitee_user_id = inviter_user_id") == 0
    assert one("select count(*) from saved_search s where not exists"
               " (select 1 from app_user u where u.user_id = s.user_id)") == 0
    # Every entry went through the balance trigger (migration 070): what is spendable never below zero,
    # and balance − owed the sum of the entries (the demo has a user who owes a refunded credit).
    assert one(f"select count(*) from (select user_id, sum({SIGNED_AMOUNT_SQL}) as total from credit_ledger"
               " group by 1) l full join credit_balance b using (user_id)"
               " where b.balance_cents < 0 or coalesce(b.balance_cents, 0) - coalesce(b.owed_cents, 0) <> l.total") == 0
    assert one("select count(*) from credit_ledger where created_at > now() or reason = ''") == 0
    assert one("select count(*) from credit_ledger c left join credit_ledger a on a.entry_id = c.related_id"
               " where c.kind = 'clawback' and c.related_id like 'crl%' and (a.kind is distinct from 'award'"
               "  or a.user_id <> c.user_id or a.amount_cents <> c.amount_cents)") == 0
    assert one("select count(*) from feed_post where media_preview::text like '%http%'") == 0
    for scope_name, stored in db_conn.execute("select scope, query_json from saved_search"):
        scope = get_scope(scope_name)
        assert canonical(parse_json(stored, scope)).as_json() == stored
