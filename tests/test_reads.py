"""webapp/reads.py: one-statement page reads straight through psycopg, outside any transaction."""
import pytest
from sqlalchemy import select, table, column, Text
from sqlalchemy.exc import OperationalError

from webapp.core import reads


def test_named_parameters_become_psycopg_placeholders_and_casts_stay():
    assert reads.native("select :a::text, cast(:b as int), '5%' where x = :a").sql == \
        "select %(a)s::text, cast(%(b)s as int), '5%%' where x = %(a)s"


def test_rows_come_back_as_dicts(app, make_user):
    user = make_user(name="Rae Reads")
    with app.app_context():
        rows = reads.rows("select display_name from app_user where user_id = :id", {"id": user["user_id"]})
    assert rows == [{"display_name": "Rae Reads"}]


def test_a_core_statement_runs_with_its_own_values_and_extra_ones(app, make_user):
    user = make_user(name="Cor Core")
    users = table("app_user", column("user_id", Text), column("display_name", Text))
    statement = reads.native(select(users.c.display_name).where(users.c.user_id == user["user_id"]))
    with app.app_context():
        assert reads.scalar(statement) == "Cor Core"
        assert reads.first(statement, {"user_id_1": "usr_nobody"}) is None


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
