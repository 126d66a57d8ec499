"""`flask users …`: manage accounts from the command line."""
from __future__ import annotations

import click
from sqlalchemy import text

from ..core.extensions import db
from . import bp


@bp.cli.command("set-role")
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
