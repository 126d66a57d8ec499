"""The ledger and the growth team's decisions are append-only, and the database itself says so:
connected as the application's database user — a login role with every privilege on the tables
(UPDATE, DELETE and TRUNCATE included) that is no superuser and owns none of them — each change
to a written row is refused, while a new row goes in."""
from __future__ import annotations

import contextlib

import psycopg
import pytest
from psycopg import errors, sql

from webapp.core.ids import new_id

APP_ROLE = "gd_app"  # the role production runs the app as: it owns no table (docs/security.md)


@pytest.fixture
def as_app(database_url, db_conn):
    """A connection to the test database as the application's user. The role is made once per
    server (trust authentication, as on the machine's PostgreSQL and the embedded one) and given
    every privilege the refusals could hide behind: the triggers, not a missing grant, say no."""
    # Made by an earlier run, or by another suite on this server at the same moment: either way it is there.
    with contextlib.suppress(errors.DuplicateObject, errors.UniqueViolation):
        db_conn.execute(sql.SQL("create role {} login nosuperuser").format(sql.Identifier(APP_ROLE)))
    db_conn.execute(sql.SQL("grant usage on schema public to {}").format(sql.Identifier(APP_ROLE)))
    db_conn.execute(sql.SQL("grant select, insert, update, delete, truncate on all tables in schema public to {}")
                    .format(sql.Identifier(APP_ROLE)))
    with psycopg.connect(database_url, user=APP_ROLE, autocommit=True) as conn:
        assert conn.execute("select current_user, rolsuper from pg_roles where rolname = current_user"
                            ).fetchone() == (APP_ROLE, False)
        yield conn


def add_entry(conn, user_id: str = "usr_append_only", kind: str = "award", amount: int = 2_500) -> str:
    entry_id = new_id("crl")
    conn.execute("insert into credit_ledger (entry_id, user_id, kind, amount_cents, reason, related_id)"
                 " values (%s, %s, %s, %s, 'Referral reward: a first booking', 'rfi_x')",
                 (entry_id, user_id, kind, amount))
    return entry_id


def add_decision(conn) -> str:
    decision_id = new_id("gdc")
    conn.execute("insert into growth_decision (decision_id, actor_user_id, action, subject_user_id, amount_cents,"
                 " reason) values (%s, 'usr_growth', 'award', 'usr_someone', 500, 'Goodwill')", (decision_id,))
    return decision_id


def rows(conn, table: str) -> list[tuple]:
    return conn.execute(sql.SQL("select * from {} order by 1").format(sql.Identifier(table))).fetchall()


def test_the_app_user_appends_entries_and_the_balance_follows(as_app):
    add_entry(as_app, amount=2_500)
    add_entry(as_app, kind="redeem", amount=1_000)
    assert as_app.execute("select balance_cents, owed_cents from credit_balance where user_id = 'usr_append_only'"
                          ).fetchone() == (1_500, 0)
    assert len(rows(as_app, "credit_ledger")) == 2


@pytest.mark.parametrize("statement", [
    "update credit_ledger set amount_cents = 999999",
    "update credit_ledger set reason = 'edited' where kind = 'award'",
    "update credit_ledger set created_at = created_at",  # even a change to nothing
    "delete from credit_ledger",
    "delete from credit_ledger where kind = 'award'",
    "truncate credit_ledger, referral_reward, growth_decision",  # with every table that points at it
    "truncate credit_ledger cascade",
])
def test_the_app_user_cannot_change_or_remove_a_ledger_entry(as_app, statement):
    add_entry(as_app)
    before = rows(as_app, "credit_ledger")
    with pytest.raises(errors.InsufficientPrivilege, match="credit_ledger is append-only"):
        as_app.execute(statement)
    assert rows(as_app, "credit_ledger") == before


@pytest.mark.parametrize("statement", [
    "update growth_decision set reason = 'what I meant'",
    "update growth_decision set actor_user_id = 'usr_someone_else'",
    "delete from growth_decision",
    "truncate growth_decision",
])
def test_the_app_user_cannot_change_or_remove_a_decision(as_app, statement):
    add_decision(as_app)
    before = rows(as_app, "growth_decision")
    with pytest.raises(errors.InsufficientPrivilege, match="growth_decision is append-only"):
        as_app.execute(statement)
    assert rows(as_app, "growth_decision") == before


def test_a_redeem_past_the_balance_is_refused_by_the_database(as_app):
    add_entry(as_app, amount=500)
    with pytest.raises(errors.CheckViolation):
        add_entry(as_app, kind="redeem", amount=501)
    assert as_app.execute("select balance_cents from credit_balance where user_id = 'usr_append_only'"
                          ).fetchone() == (500,)


@pytest.mark.parametrize("statement", [
    "set session_replication_role = replica",
    "alter table credit_ledger disable trigger credit_ledger_append_only",
    "alter table credit_ledger disable trigger all",
    "drop trigger credit_ledger_append_only on credit_ledger",
])
def test_the_app_user_cannot_switch_the_refusal_off(as_app, statement):
    with pytest.raises(errors.InsufficientPrivilege):
        as_app.execute(statement)
    add_entry(as_app)
    with pytest.raises(errors.InsufficientPrivilege, match="append-only"):
        as_app.execute("delete from credit_ledger")


@pytest.mark.parametrize("statement", [
    "insert into credit_balance (user_id, balance_cents) values ('usr_rich', 1000000)",
    "update credit_balance set balance_cents = balance_cents + 100000",
    "delete from credit_balance",
])
def test_the_balance_row_is_written_by_the_ledger_alone(as_app, statement):
    add_entry(as_app, user_id="usr_balance_guard", amount=500)
    with pytest.raises(errors.InsufficientPrivilege, match="credit_balance is kept by the ledger"):
        as_app.execute(statement)
    assert as_app.execute("select user_id, balance_cents from credit_balance").fetchall() == [
        ("usr_balance_guard", 500)]
