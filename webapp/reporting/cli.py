"""`flask growth rebuild-rollups`: the dashboard's rollups recomputed from the facts."""
from __future__ import annotations

import click

from . import bp, rollups


@bp.cli.command("rebuild-rollups")
def rebuild_rollups():
    """Recompute the daily rollups from invites, rewards, the ledger, alerts, follows and posts
    (one transaction; writers wait for it, the dashboard keeps reading)."""
    counts = rollups.rebuild()
    click.echo(f"Rebuilt the growth rollups: {counts['growth_daily']} growth rows, "
               f"{counts['activity_daily']} activity rows.")
