"""In-app notifications: the /notifications list, opening one, marking read; the header's count
is read with the signed-in account (accounts/queries.py)."""
from flask import Blueprint

bp = Blueprint("notifications", __name__)

from . import views  # noqa: E402,F401
