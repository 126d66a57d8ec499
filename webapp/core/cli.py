"""`flask db upgrade | status`: the schema's migrations. Each feature owns its own commands."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from . import migrations
from .config import libpq_url

db_cli = AppGroup("db", help="Schema migrations.")


def _url() -> str:
    return libpq_url(current_app.config["SQLALCHEMY_DATABASE_URI"])


@db_cli.command("upgrade")
def db_upgrade():
    """Apply pending migrations (safe to run from several hosts at once)."""
    applied = migrations.upgrade(_url())
    click.echo(f"Applied {len(applied)} migration(s): {', '.join(applied)}" if applied else "Database is up to date.")


@db_cli.command("status")
def db_status():
    """List migrations not yet applied."""
    pending = migrations.pending(_url())
    click.echo("Pending: " + ", ".join(pending) if pending else "Database is up to date.")
