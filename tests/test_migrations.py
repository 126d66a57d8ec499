"""The schema contract: every object of blueprint TD-306 exists exactly as written.

The blueprint's SQL is taken from its document (docs/blueprint/), run alone in a
scratch database, and its catalogue compared with the fully migrated one. Later
migrations may add columns and indexes, never change the blueprint's.
"""
from __future__ import annotations

import re
from pathlib import Path

import psycopg
import pytest

from tests.conftest import TEST_DB_NAME, drop_database, fresh_database
from webapp.core.migrations import migration_files, pending, upgrade

BLUEPRINT = Path(__file__).resolve().parents[1] / "docs" / "blueprint" / "TD-306-growth-referrals-schema.md"
TABLES = ("saved_search", "saved_search_alert", "follow", "feed_post", "referral_program", "referral_invite",
          "credit_ledger")


def blueprint_sql() -> str:
    """The SQL as the blueprint document writes it (italics and escapes removed)."""
    text = BLUEPRINT.read_text()
    block = text[text.index("*-- 016_growth_referrals.sql*"): text.index("*commit;*") + len("*commit;*")]
    lines = []
    for line in block.splitlines():
        line = line.strip().rstrip("\\").strip()
        if line.startswith("*") and line.endswith("*"):
            line = line[1:-1]
        line = re.sub(r"\\([_\[\]|])", r"\1", line)
        lines.append(line)
    return "\n".join(lines)


def catalogue(url: str) -> dict:
    with psycopg.connect(url) as conn:
        columns = conn.execute(
            "select table_name, column_name, data_type, udt_name, is_nullable, column_default"
            " from information_schema.columns where table_schema = 'public' and table_name = any(%s)",
            (list(TABLES),),
        ).fetchall()
        constraints = conn.execute(
            "select conrelid::regclass::text, contype, pg_get_constraintdef(oid) from pg_constraint"
            " where conrelid::regclass::text = any(%s)",
            (list(TABLES),),
        ).fetchall()
        indexes = conn.execute(
            "select indexname, indexdef from pg_indexes where schemaname = 'public' and tablename = any(%s)",
            (list(TABLES),),
        ).fetchall()
    return {"columns": set(columns), "constraints": set(constraints), "indexes": set(indexes)}


@pytest.fixture(scope="module")
def blueprint_only_url():
    name = f"{TEST_DB_NAME}_blueprint"
    url = fresh_database(name)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(blueprint_sql().encode())
    yield url
    drop_database(name)


def test_migration_016_is_the_blueprint_sql_verbatim():
    ours = (Path(__file__).resolve().parents[1] / "migrations" / "016_growth_referrals.sql").read_text()
    assert ours.split() == blueprint_sql().split()


@pytest.mark.parametrize("kind", ["columns", "constraints", "indexes"])
def test_every_blueprint_object_exists_exactly_after_all_migrations(kind, blueprint_only_url, database_url):
    expected = catalogue(blueprint_only_url)[kind]
    actual = catalogue(database_url)[kind]
    assert expected, "the blueprint check found nothing to compare"
    assert expected - actual == set()


def test_migrations_apply_in_file_order_and_are_recorded(database_url):
    with psycopg.connect(database_url) as conn:
        recorded = [r[0] for r in conn.execute("select version from schema_migration order by applied_at, version")]
    assert recorded == [p.stem for p in migration_files()]
    assert pending(database_url) == []


def test_upgrading_twice_changes_nothing(database_url):
    assert upgrade(database_url) == []


def test_tables_016_relies_on_come_from_earlier_migrations():
    names = [p.stem for p in migration_files()]
    earlier = " ".join(p.read_text() for p in migration_files() if p.stem < "016")
    assert "016_growth_referrals" in names
    for table in ("app_user", "service_profile", "studio", "fansub_creator"):
        assert f"create table if not exists {table}" in earlier
