"""`flask feed …`: the growth team's way back for posts in band 2, which no page shows.

    flask --app wsgi feed blocked                                  # ids, authors, dates
    flask --app wsgi feed set-band fdp_… 1 --by growth@example.com  # a reviewed call

Band 2 never appears in a page, partial, e-mail or export, so a post moved there by
mistake can only be found and moved back here. The list holds no title, text or
picture of the post, only what identifies it.
"""
from __future__ import annotations

import click

from ..accounts import queries as accounts
from ..core.errors import Invalid, NotFound, Refused
from ..core.urls import path_building_context
from . import bp, queries, service


@bp.cli.command("blocked")
def blocked():
    """List posts in band 2: id, author, created (newest first)."""
    rows = queries.blocked_posts()
    if not rows:
        click.echo("No posts are in band 2.")
        return
    for row in rows:
        click.echo(f"{row['feed_id']}  {row['author_email'] or row['author_id']}  {row['created_at']:%Y-%m-%d %H:%M}")
    click.echo(f"{len(rows)} post(s) in band 2.")


@bp.cli.command("set-band")
@click.argument("feed_id")
@click.argument("band", type=click.IntRange(0, 2))
@click.option("--by", "actor_email", required=True, help="The growth-team account making the call.")
def set_band(feed_id: str, band: int, actor_email: str):
    """Move a post to band 0, 1 or 2, as the growth team does on its card."""
    login = accounts.get_login_row(actor_email)
    actor = accounts.get_user(login["user_id"]) if login else None
    if actor is None:
        raise click.ClickException(f"No account with e-mail {actor_email}.")
    try:
        with path_building_context():  # a picture's preview links to its media route
            service.set_band(actor, feed_id, band)
    except NotFound as exc:
        raise click.ClickException(f"No post {feed_id}.") from exc
    except (Refused, Invalid) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{feed_id} is now in band {band}.")
