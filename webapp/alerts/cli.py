"""`flask alerts run`: the daily saved-search alert run, for one day and one shard.

    flask --app wsgi alerts run                      # yesterday (UTC), every search
    flask --app wsgi alerts run --date 2026-03-18    # one day, again or late: nothing is done twice
    flask --app wsgi alerts run --shard 2/4          # a quarter of the searches (one of 4 machines)
    flask --app wsgi alerts run --deliver queue      # record here, deliver on the workers (`flask worker`)

Days are UTC days (core/clock). The default is the last whole day, yesterday: a day's window ends
at its last instant, so a run for a day still under way would close the searches' windows early and
their matches of the rest of the day would never be sent (docs/decisions.md, "Alerts — the daily run").
"""
from __future__ import annotations

from datetime import date, timedelta

import click
from flask import current_app

from ..core import clock
from ..core.queue import job_queue
from . import bp, matching, service, tasks


def _day(ctx, param, value: str | None) -> date:
    if value is None:
        return clock.today() - timedelta(days=1)
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"a day is YYYY-MM-DD, such as 2026-03-18, not “{value}”") from None
    if day > clock.today():
        raise click.BadParameter(f"{day} has not come yet (today is {clock.today()}, UTC)")
    return day


def _shard(ctx, param, value: str) -> tuple[int, int]:
    try:
        return matching.parse_shard(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@bp.cli.command("run")
@click.option("--date", "day", callback=_day, metavar="YYYY-MM-DD",
              help="The UTC day to run (default: yesterday, the last whole day).")
@click.option("--shard", default="0/1", callback=_shard, metavar="I/N", show_default=True,
              help="Run only shard I of N (a stable hash of the search id); 0 ≤ I < N.")
@click.option("--deliver", "via", type=click.Choice(["inline", "queue"]),
              help="inline: this process delivers; queue: one job per alert for the workers "
                   "(default: the ALERTS_DELIVERY setting, inline unless set).")
def run(day: date, shard: tuple[int, int], via: str | None):
    """Record the day's new matches of every search not paused, then deliver every undelivered alert."""
    if (via or current_app.config["ALERTS_DELIVERY"]) == "queue":
        with job_queue().open():
            outcome = service.run(day, shard, deliver=tasks.enqueue_deliveries)
    else:
        outcome = service.run(day, shard)
    i, n = outcome.shard
    if "queued" in outcome.delivered:
        delivery = f"{outcome.delivered['queued'].done} alert(s) queued for the workers"
    else:
        delivery = "delivered: " + ", ".join(f"{d.done} {name}" for name, d in outcome.delivered.items())
    click.echo(f"{outcome.day}, shard {i} of {n}: {outcome.searches_matched} search(es) with new matches, "
               f"{outcome.alerts_recorded} alert(s) recorded; {delivery}.")
    for name, d in outcome.delivered.items():
        if d.not_done:
            click.echo(f"{d.not_done} {name} alert(s) not delivered (logged above); the next run tries again.",
                       err=True)
