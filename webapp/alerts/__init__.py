"""Daily saved-search alerts (issue 13). matching.py: which searches have new matches on a day;
service.py: the daily run (record, then deliver); cli.py: `flask alerts run`;
email.py: the alert e-mail; links.py and views.py: its signed unsubscribe and pause links."""
from flask import Blueprint

bp = Blueprint("alerts", __name__)
bp.cli.help = "The daily saved-search alert run."

from . import cli, views  # noqa: E402,F401
