"""Follows: follow / unfollow people and fan-sub creators; the Following page."""
from flask import Blueprint

bp = Blueprint("follows", __name__)

from . import views  # noqa: E402,F401
