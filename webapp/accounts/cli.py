"""`flask users …`: manage accounts from the command line."""
from __future__ import annotations

import click

from ..core.extensions import db
from . import bp, queries, service
from .user import ROLES


@bp.cli.command("set-role")
@click.argument("email")
@click.argument("role", type=click.Choice(ROLES))
def set_role(email, role):
    """Give an account a role, e.g. admit someone to the growth team."""
    if not queries.set_role(email, role):
        db.session.rollback()
        raise click.ClickException(f"No account with e-mail {email}.")
    db.session.commit()
    click.echo(f"{email} is now {role}.")


@bp.cli.command("sign-out-everywhere")
@click.argument("email")
def sign_out_everywhere(email):
    """End every session of an account (a stolen laptop, a leaked cookie): it must log in again."""
    account = queries.get_login_row(email)
    if account is None:
        raise click.ClickException(f"No account with e-mail {email}.")
    ended = service.end_all_sessions(account["user_id"])
    click.echo(f"{email}: {ended} session(s) ended.")
