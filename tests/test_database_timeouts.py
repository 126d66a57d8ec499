"""Every wait on the database is bounded by a setting, on both engines (webapp/core/connections.py)."""
from __future__ import annotations

import time

import psycopg
import pytest
from sqlalchemy import make_url, text
from sqlalchemy.exc import DBAPIError

from tests.conftest import Auth, page_text
from webapp.core import reads
from webapp.core.config import sqlalchemy_url
from webapp.core.connections import pool_options
from webapp.core.extensions import db


def show(setting: str) -> tuple[str, str]:
    """The setting as the session engine's and the autocommit engine's connections see it."""
    return db.session.execute(text(f"show {setting}")).scalar(), reads.scalar(f"show {setting}")


def test_both_engines_carry_the_statement_and_idle_transaction_timeouts(make_app):
    app = make_app({"DB_STATEMENT_TIMEOUT": 3, "DB_IDLE_IN_TRANSACTION_TIMEOUT": 20})
    with app.app_context():
        assert show("statement_timeout") == ("3s", "3s")
        assert show("idle_in_transaction_session_timeout") == ("20s", "20s")


def test_options_written_in_the_database_url_win_over_the_settings(make_app, database_url):
    url = make_url(sqlalchemy_url(database_url)).update_query_dict({"options": "-c statement_timeout=7000"})
    app = make_app({"SQLALCHEMY_DATABASE_URI": url.render_as_string(hide_password=False), "DB_STATEMENT_TIMEOUT": 3})
    with app.app_context():
        assert show("statement_timeout") == ("7s", "7s")


@pytest.fixture
def member_of(make_user):
    """member_of(app) -> a test client of `app`, signed in as a new member."""
    def sign_in(app):
        client = app.test_client()
        assert Auth(client).login(make_user()["email"]).status_code == 303
        return client
    return sign_in


def test_a_page_stuck_behind_a_lock_gives_up_with_the_503_page(make_app, member_of, database_url):
    app = make_app({"TESTING": True, "DB_STATEMENT_TIMEOUT": 0.5})
    browser = member_of(app)
    with psycopg.connect(database_url) as holder:
        holder.execute("lock table app_user in access exclusive mode")
        response = browser.get("/")
    assert response.status_code == 503
    assert "briefly unavailable" in page_text(response)


def test_a_transaction_left_idle_is_ended_by_the_server(make_app):
    app = make_app({"DB_IDLE_IN_TRANSACTION_TIMEOUT": 0.2})
    with app.app_context():
        db.session.execute(text("select 1"))  # a transaction opens, then nothing happens in it
        time.sleep(1)
        with pytest.raises(DBAPIError, match="idle-in-transaction timeout"):
            db.session.execute(text("select 1"))
        db.session.rollback()


def test_when_every_pooled_connection_stays_busy_a_page_is_the_503_page(make_app, member_of):
    app = make_app({"TESTING": True, "DB_POOL_TIMEOUT": 0.2})
    browser = member_of(app)
    with app.app_context():
        engine = db.engines["autocommit"]
        pool = pool_options(app.config)
        busy = [engine.raw_connection() for _ in range(pool["pool_size"] + pool["max_overflow"])]
    try:
        response = browser.get("/")
    finally:
        for connection in busy:
            connection.close()
    assert response.status_code == 503
    assert "briefly unavailable" in page_text(response)
