"""The feed: published posts with sensitive-media rules; providers' drafts and posts."""
from flask import Blueprint

bp = Blueprint("feed", __name__)
bp.cli.help = "Posts the growth team reviews from the command line."

from . import cli, views  # noqa: E402,F401
