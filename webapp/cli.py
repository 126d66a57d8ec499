"""Operator commands: flask --app wsgi db upgrade | seed | users ..."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import text

from . import database
from .extensions import db

db_cli = AppGroup("db", help="Schema migrations.")
users_cli = AppGroup("users", help="Manage accounts.")


def _url() -> str:
    return database.libpq_url(current_app.config["SQLALCHEMY_DATABASE_URI"])


@db_cli.command("upgrade")
def db_upgrade():
    """Apply pending migrations (safe to run from several hosts at once)."""
    applied = database.upgrade(_url())
    click.echo(f"Applied {len(applied)} migration(s): {', '.join(applied)}" if applied else "Database is up to date.")


@db_cli.command("status")
def db_status():
    """List migrations not yet applied."""
    pending = database.pending(_url())
    click.echo("Pending: " + ", ".join(pending) if pending else "Database is up to date.")


@click.command("seed")
@with_appcontext
@click.option("--if-empty", is_flag=True, help="Do nothing unless the database has no accounts yet.")
@click.option("--profiles", type=click.IntRange(min=0), default=0, help="Extra synthetic people profiles.")
@click.option("--searches", type=click.IntRange(min=0), default=0, help="Extra synthetic saved searches.")
@click.option("--posts", type=click.IntRange(min=0), default=0, help="Extra synthetic feed posts.")
@click.option("--invites", type=click.IntRange(min=0), default=0, help="Extra synthetic referral invites.")
@click.option("--ledger", type=click.IntRange(min=0), default=0, help="Extra synthetic credit ledger entries.")
def seed(if_empty, profiles, searches, posts, invites, ledger):
    """Fill the database with demo data (refused in production).

    On an empty database: the demo data set. Scale options then add that many
    synthetic rows on top (loaded with COPY), for benchmarks.
    """
    import time

    from .demo import DEMO_PASSWORD, demo_accounts, seed_demo
    from .demo.scale import ScaleError, seed_scale

    if current_app.config["APP_ENV"] == "production":
        raise click.ClickException("Refusing to seed demo data: APP_ENV is production.")
    scale = dict(profiles=profiles, searches=searches, posts=posts, invites=invites, ledger=ledger)
    has_users = db.session.execute(text("select exists (select 1 from app_user)")).scalar()
    db.session.rollback()  # end the read transaction before COPY takes its own connection
    if has_users and if_empty:
        click.echo("Database already has data; not seeding.")
        return
    if has_users and not any(scale.values()):
        click.echo("Demo data is already there; pass scale options to add synthetic rows.")
    if not has_users:
        counts = seed_demo()
        click.echo("Seeded demo data: " + ", ".join(f"{n} {t}" for t, n in counts.items()))
    if any(scale.values()):
        started = time.perf_counter()
        try:
            added = seed_scale(**scale)
        except ScaleError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo("Added synthetic rows: " + ", ".join(f"{n} {t}" for t, n in added.items() if n)
                   + f" in {time.perf_counter() - started:.1f} s")
    click.echo(f"Demo logins (password {DEMO_PASSWORD}): " + ", ".join(demo_accounts()))


@users_cli.command("set-role")
@click.argument("email")
@click.argument("role", type=click.Choice(["member", "provider", "growth"]))
def set_role(email, role):
    """Give an account a role, e.g. admit someone to the growth team."""
    result = db.session.execute(
        text("update app_user set role = :role, updated_at = now() where lower(email) = lower(:email)"),
        {"role": role, "email": email},
    )
    if result.rowcount == 0:
        db.session.rollback()
        raise click.ClickException(f"No account with e-mail {email}.")
    db.session.commit()
    click.echo(f"{email} is now {role}.")


def init_app(app) -> None:
    app.cli.add_command(db_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(seed)
