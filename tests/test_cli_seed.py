"""`flask --app wsgi seed`: demo data once, scale options on top, never in production."""
from __future__ import annotations

import pytest

from webapp.demo import scale
from webapp.core.ids import new_id

TABLES = ("app_user", "service_profile", "saved_search", "feed_post", "referral_invite", "credit_ledger")
SCALE = {"profiles": 7, "searches": 9, "posts": 5, "invites": 6, "ledger": 11}
ADDS = {"app_user": 7, "service_profile": 7, "saved_search": 9, "feed_post": 5, "referral_invite": 6,
        "credit_ledger": 11}


def counts(db_conn) -> dict[str, int]:
    return {t: db_conn.execute(f"select count(*) from {t}").fetchone()[0] for t in TABLES}


def scale_args(**overrides) -> list[str]:
    args = ["seed"]
    for name, n in {**SCALE, **overrides}.items():
        args += [f"--{name}", str(n)]
    return args


def test_seeding_is_refused_in_production(app, runner, db_conn, monkeypatch):
    monkeypatch.setitem(app.config, "APP_ENV", "production")
    result = runner.invoke(args=["seed"])
    assert result.exit_code != 0
    assert "Refusing to seed demo data: APP_ENV is production." in result.output
    assert counts(db_conn)["app_user"] == 0


def test_scale_seeding_is_refused_in_production_too(app, runner, db_conn, monkeypatch):
    monkeypatch.setitem(app.config, "APP_ENV", "production")
    result = runner.invoke(args=scale_args())
    assert result.exit_code != 0
    assert counts(db_conn)["app_user"] == 0


def test_if_empty_does_nothing_on_a_database_with_accounts(runner, make_user, db_conn):
    make_user("member")
    before = counts(db_conn)
    result = runner.invoke(args=["seed", "--if-empty", "--profiles", "5"])
    assert result.exit_code == 0
    assert "Database already has data; not seeding." in result.output
    assert counts(db_conn) == before


def test_seeding_twice_adds_nothing_the_second_time(runner, db_conn):
    assert runner.invoke(args=["seed", "--if-empty"]).exit_code == 0
    before = counts(db_conn)
    assert before["app_user"] > 60
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0
    assert "Demo data is already there" in result.output
    assert runner.invoke(args=["seed", "--if-empty"]).exit_code == 0
    assert counts(db_conn) == before


def test_scale_options_add_exactly_n_valid_rows_each_time(runner, db_conn):
    first = runner.invoke(args=scale_args())  # an empty database: demo data first, then the extra rows
    assert first.exit_code == 0, first.output
    assert "Seeded demo data" in first.output
    assert "Added synthetic rows: 7 profiles, 9 searches, 5 posts, 6 invites, 11 ledger" in first.output
    before = counts(db_conn)
    again = runner.invoke(args=scale_args())  # a second load never collides with the first
    assert again.exit_code == 0, again.output
    after = counts(db_conn)
    assert {t: after[t] - before[t] for t in TABLES} == ADDS
    _assert_everything_valid(db_conn)


def test_big_loads_rebuild_indexes_and_foreign_keys(runner, db_conn, monkeypatch):
    """Past a size, the loader drops plain indexes and foreign keys and builds them
    again in the same transaction; afterwards the schema is exactly as before."""
    assert runner.invoke(args=["seed"]).exit_code == 0
    schema = ("select indexdef from pg_indexes where schemaname = 'public' union all"
              " select pg_get_constraintdef(oid) from pg_constraint where connamespace = 'public'::regnamespace"
              " order by 1")
    before = db_conn.execute(schema).fetchall()
    monkeypatch.setattr(scale._IndexRebuild, "BIG", 1)
    result = runner.invoke(args=scale_args())
    assert result.exit_code == 0, result.output
    assert db_conn.execute(schema).fetchall() == before
    _assert_everything_valid(db_conn)


def test_a_clash_fails_a_big_load_and_leaves_nothing_behind(runner, db_conn, monkeypatch):
    """Constraints still hold during a big load: a duplicate rolls the whole load back."""
    assert runner.invoke(args=["seed"]).exit_code == 0
    before = counts(db_conn)
    monkeypatch.setattr(scale._IndexRebuild, "BIG", 1)
    monkeypatch.setattr(scale, "fast_ids", lambda prefix, ms: [f"{prefix}_same{i % 2}" for i in range(len(ms))])
    result = runner.invoke(args=["seed", "--profiles", "4"])
    assert result.exit_code != 0
    assert counts(db_conn) == before


def test_scale_ids_have_the_same_shape_as_new_id():
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
    assert one("select count(*) from referral_invite i where invitee_user_id is not null and not exists"
               " (select 1 from app_user u where u.user_id = i.invitee_user_id)") == 0
    assert one("select count(*) from referral_invite where invitee_user_id = inviter_user_id") == 0
    assert one("select count(*) from saved_search s where not exists"
               " (select 1 from app_user u where u.user_id = s.user_id)") == 0
    assert one("select count(*) from (select sum(case kind when 'award' then amount_cents else -amount_cents end)"
               " over (partition by user_id order by created_at, entry_id) as b from credit_ledger) h"
               " where b < 0") == 0
    assert one("select count(*) from credit_ledger where created_at > now() or reason = ''") == 0
    assert one("select count(*) from feed_post where media_preview::text like '%http%'") == 0
    query_mod = pytest.importorskip("webapp.directory.query")
    for scope_name, stored in db_conn.execute("select scope, query_json from saved_search"):
        parsed = query_mod.parse_json(stored, query_mod.get_scope(scope_name))
        assert query_mod.canonical(parsed).as_json() == stored
