"""`flask seed`: the demo data set, and synthetic rows at scale for benchmarks."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import text

from ..core.extensions import db


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

    from . import DEMO_PASSWORD, demo_accounts, seed_demo
    from .scale import ScaleError, seed_scale

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
