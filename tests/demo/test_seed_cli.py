"""`flask --app wsgi seed`: demo data once, never in production."""
from __future__ import annotations

TABLES = ("app_user", "service_profile", "saved_search", "feed_post", "referral_invite", "credit_ledger")


def counts(db_conn) -> dict[str, int]:
    return {t: db_conn.execute(f"select count(*) from {t}").fetchone()[0] for t in TABLES}


def test_seeding_is_refused_in_production(app, runner, db_conn, monkeypatch):
    monkeypatch.setitem(app.config, "APP_ENV", "production")
    result = runner.invoke(args=["seed"])
    assert result.exit_code != 0
    assert "Refusing to seed demo data: APP_ENV is production." in result.output
    assert counts(db_conn)["app_user"] == 0


def test_if_empty_does_nothing_on_a_database_with_accounts(runner, make_user, db_conn):
    make_user("member")
    before = counts(db_conn)
    result = runner.invoke(args=["seed", "--if-empty"])
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
