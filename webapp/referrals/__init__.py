"""Referrals: the rules, personal codes, the public invite page (/r/<code>), its share card,
and attribution of a new account to the invite it came through."""
from flask import Blueprint

bp = Blueprint("referrals", __name__)

from . import views  # noqa: E402,F401
