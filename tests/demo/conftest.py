"""A database of its own holding the full demo data set, seeded once per module.

The demo data takes a couple of seconds to build, and the suite empties the
main test database after every test; so the demo-content tests read a
separate database, seeded through the Flask CLI exactly as an operator would.
"""
from __future__ import annotations

import psycopg
import pytest

from tests.conftest import TEST_DB_NAME, dispose_engines, drop_database, fresh_database
from webapp import create_app
from webapp.core.config import sqlalchemy_url
from webapp.core.migrations import upgrade


@pytest.fixture(scope="package")
def demo_db():
    """(app, url) of a migrated database filled by `flask seed`."""
    name = f"{TEST_DB_NAME}_demo"
    url = fresh_database(name)
    upgrade(url)
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": sqlalchemy_url(url)})
    result = app.test_cli_runner().invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    yield app, url, result.output
    dispose_engines(app)
    drop_database(name)


@pytest.fixture(scope="package")
def demo(demo_db):
    """A read-only view of the demo database: demo.one(sql, *args) -> first column of the first row."""
    app, url, output = demo_db
    with psycopg.connect(url, autocommit=True) as conn:
        yield DemoDb(conn, app, output)


class DemoDb:
    def __init__(self, conn, app, output):
        self.conn, self.app, self.output = conn, app, output

    def one(self, query: str, *args):
        return self.conn.execute(query, args).fetchone()[0]

    def all(self, query: str, *args) -> list[tuple]:
        return self.conn.execute(query, args).fetchall()

    def user_id(self, email: str) -> str:
        return self.one("select user_id from app_user where email = %s", email)
