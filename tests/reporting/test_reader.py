"""DATABASE_READ_URL: the growth dashboard reads on the reader endpoint when one is set, and on the
writer when not."""
from __future__ import annotations

from datetime import date

import psycopg
import pytest

from tests.conftest import TEST_DB_NAME, drop_database, fresh_database, insert_user
from webapp.core.config import load_settings
from webapp.core.migrations import upgrade
from webapp.reporting import service
from webapp.reporting.model import Filters, Preset

from . import facts

RANGE = Filters(Preset.CUSTOM, date(2026, 3, 1), date(2026, 3, 7))


@pytest.fixture(scope="module")
def replica_url():
    """A second database standing in for a replica, migrated like the writer (dropped after the module)."""
    name = f"{TEST_DB_NAME}_reader"
    url = fresh_database(name)
    upgrade(url)
    yield url
    drop_database(name)


def invites_seen(app) -> int:
    with app.app_context():
        return {t.key: t.value for t in service.overview(RANGE).tiles}["invites"]


def one_invite(conn) -> None:
    inviter = insert_user(conn, "provider")
    facts.invite(conn, facts.program(conn, "Alpha"), inviter, created=facts.at("2026-03-02"))


def test_with_a_reader_endpoint_the_overview_reads_there(make_app, db_conn, replica_url):
    with psycopg.connect(replica_url, autocommit=True) as replica:
        one_invite(replica)
        one_invite(replica)
    one_invite(db_conn)
    assert invites_seen(make_app({"DATABASE_READ_URL": replica_url})) == 2


def test_without_one_it_reads_the_writer(app, db_conn):
    one_invite(db_conn)
    assert invites_seen(app) == 1


def test_the_setting_is_read_from_the_environment():
    assert load_settings({"DATABASE_READ_URL": "postgresql://reader.example/db"}).database_read_url == (
        "postgresql://reader.example/db")
    assert load_settings({}).database_read_url is None
