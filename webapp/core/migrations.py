"""The schema: plain SQL files in migrations/, applied in file-name order under an advisory lock."""
from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import psycopg
from psycopg import sql

from .config import PROJECT_ROOT, libpq_url

log = logging.getLogger(__name__)

MIGRATIONS_DIR = PROJECT_ROOT / "migrations"
# Any constant will do: it only has to be the same in every process that migrates.
MIGRATION_LOCK_KEY = 3060016


def migration_files() -> list[Path]:
    return sorted(MIGRATIONS_DIR.glob("[0-9][0-9][0-9]_*.sql"))


def upgrade(url: str) -> list[str]:
    """Apply pending migrations in file-name order; return the names applied.

    A session-level advisory lock makes concurrent upgrades (several app hosts
    starting at once) wait for each other instead of racing. Each file runs as
    one simple-query string, which PostgreSQL executes as a single implicit
    transaction together with the row that records it; 016 carries its own
    begin/commit and is idempotent (`if not exists` throughout), so re-running
    it after a crash between its commit and the record is harmless.
    """
    applied: list[str] = []
    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        conn.execute("select pg_advisory_lock(%s)", (MIGRATION_LOCK_KEY,))
        try:
            conn.execute(
                "create table if not exists schema_migration ("
                " version text primary key, checksum text not null,"
                " applied_at timestamptz not null default now())"
            )
            done = {row[0] for row in conn.execute("select version from schema_migration")}
            for path in migration_files():
                version = path.stem
                if version in done:
                    continue
                body = path.read_text()
                record = sql.SQL("insert into schema_migration (version, checksum) values ({}, {})").format(
                    sql.Literal(version), sql.Literal(hashlib.sha256(body.encode()).hexdigest())
                )
                script = body + "\n;\n" + record.as_string(conn) + ";"
                conn.execute(script.encode())
                log.info("applied migration %s", version)
                applied.append(version)
        finally:
            conn.execute("select pg_advisory_unlock(%s)", (MIGRATION_LOCK_KEY,))
    return applied


def pending(url: str) -> list[str]:
    """Names of migrations not yet applied (all of them on an empty database)."""
    with psycopg.connect(libpq_url(url)) as conn:
        exists = conn.execute("select to_regclass('schema_migration')").fetchone()[0]
        done = {r[0] for r in conn.execute("select version from schema_migration")} if exists else set()
    return [p.stem for p in migration_files() if p.stem not in done]
