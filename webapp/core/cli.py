"""`flask db upgrade | status`: the schema's migrations; `flask worker`: the job queue's worker.
Each feature owns its own commands."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from . import migrations
from .config import libpq_url
from .queue import job_queue

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


@click.command("worker")
@with_appcontext
@click.option("--queue", "queues", multiple=True, metavar="NAME",
              help="Take jobs of this queue only (repeatable; default: every queue).")
@click.option("--concurrency", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Jobs run at once by this process, each in a thread of its own.")
@click.option("--once", is_flag=True,
              help="Work off the jobs due now, then stop (default: wait for more until SIGTERM or Ctrl-C).")
def worker(queues: tuple[str, ...], concurrency: int, once: bool):
    """Run queued jobs (alert deliveries, the daily alert run): as many of these, on as many hosts, as needed."""
    job_queue().run_worker(queues=list(queues) or None, concurrency=concurrency, wait=not once,
                           install_signal_handlers=not once)
