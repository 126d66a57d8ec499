"""`flask seed`: the demo data set. (Synthetic rows at scale, for benchmarks: bench/scale.py.)"""
from __future__ import annotations

import click
from flask import current_app, url_for
from flask.cli import with_appcontext
from sqlalchemy import text

from ..core.extensions import db


@click.command("seed")
@with_appcontext
@click.option("--if-empty", is_flag=True, help="Do nothing unless the database has no accounts yet.")
def seed(if_empty):
    """Fill an empty database with the demo data set (refused in production)."""
    from ..core.urls import path_building_context
    from . import DEMO_PASSWORD, demo_accounts, seed_demo

    if current_app.config["APP_ENV"] == "production":
        raise click.ClickException("Refusing to seed demo data: APP_ENV is production.")
    has_users = db.session.execute(text("select exists (select 1 from app_user)")).scalar()
    if has_users and if_empty:
        click.echo("Database already has data; not seeding.")
        return
    if has_users:
        click.echo("Demo data is already there; nothing was added.")
    else:
        with path_building_context():  # the posts store their pictures' paths
            counts = seed_demo()
        click.echo("Seeded demo data: " + ", ".join(f"{n} {t}" for t, n in counts.items()))
    click.echo(f"Demo logins (password {DEMO_PASSWORD}): " + ", ".join(demo_accounts()))
    code = db.session.execute(text(
        "select c.code from referral_code c join app_user u using (user_id) join referral_program p using (program_id)"
        " where u.email = 'provider@demo.test' and p.active order by p.created_at limit 1")).scalar()
    if code:
        with path_building_context():
            click.echo(f"A public invite page (no login): {url_for('referrals.public_invite', code=code)}")
