"""The growth team's pages (role growth only): referral programs, and later the dashboard."""
from flask import Blueprint

bp = Blueprint("growth", __name__)

from . import views  # noqa: E402,F401
