"""Daily saved-search alerts (issue 13). matching.py: which searches have new matches on a day;
email.py: the alert e-mail; links.py and views.py: its signed unsubscribe and pause links."""
from flask import Blueprint

bp = Blueprint("alerts", __name__)

from . import views  # noqa: E402,F401
