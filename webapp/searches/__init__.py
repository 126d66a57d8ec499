"""Saved searches: save, list, edit, delete, pause alerts until a date, resume."""
from flask import Blueprint

bp = Blueprint("searches", __name__)

from . import views  # noqa: E402,F401
