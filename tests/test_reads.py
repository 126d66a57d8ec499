"""webapp/core/reads.py: one-statement page reads straight through psycopg, outside any transaction."""
import pytest
from sqlalchemy import Text, column, select, table
from sqlalchemy.exc import OperationalError

from webapp.core import reads


def test_rows_come_back_as_dicts(app, make_user):
    user = make_user(name="Rae Reads")
    with app.app_context():
        rows = reads.rows("select display_name from app_user where user_id = %(id)s", {"id": user["user_id"]})
    assert rows == [{"display_name": "Rae Reads"}]


def test_a_literal_percent_is_written_twice_in_every_statement(app):
    with app.app_context():
        assert reads.scalar("select '5%%'") == "5%"
        assert reads.scalar("select %(a)s || '%%'", {"a": "5"}) == "5%"


def test_a_core_statement_runs_through_the_same_functions_once_compiled(app, make_user):
    user = make_user(name="Cor Core")
    users = table("app_user", column("user_id", Text), column("display_name", Text))
    sql, params = reads.compiled(select(users.c.display_name).where(users.c.user_id == user["user_id"]))
    assert "%(" in sql and ":user_id" not in sql
    with app.app_context():
        assert reads.scalar(sql, params) == "Cor Core"
        assert reads.first(sql, {**params, "user_id_1": "usr_nobody"}) is None


def test_a_database_that_does_not_answer_raises_what_the_503_page_handles(make_app):
    app = make_app({"TESTING": True,
                    "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:1/nowhere?connect_timeout=1"})
    with app.app_context(), pytest.raises(OperationalError):
        reads.rows("select 1")


def test_planner_settings_hold_for_their_statement_only(app):
    with app.app_context():
        assert reads.scalar("select current_setting('enable_seqscan')", planner={"enable_seqscan": "off"}) == "off"
        for _ in range(5):  # whichever pooled connection comes next
            assert reads.scalar("select current_setting('enable_seqscan')") == "on"


def test_a_stream_yields_every_row_as_a_tuple_in_batches(app):
    with app.app_context():
        rows = reads.stream("select n, 'row ' || n from generate_series(1, 4500) n order by n", batch=1000)
        assert next(rows) == (1, "row 1")
        assert sum(1 for _ in rows) == 4499


def test_a_stream_closed_early_gives_its_connection_back_at_once(app):
    with app.app_context():
        pool = reads.db.engines["autocommit"].pool
        rows = reads.stream("select n from generate_series(1, 100000) n", batch=100)
        next(rows)
        assert pool.checkedout() == 1
        rows.close()  # what Flask does when a client goes away mid-download
        assert pool.checkedout() == 0


def test_a_stream_timeout_holds_for_its_own_transaction_only(app):
    with app.app_context():
        assert list(reads.stream("select current_setting('statement_timeout')", timeout=120)) == [("2min",)]
        assert reads.scalar("select current_setting('statement_timeout')") != "2min"
