"""People and studios directories: the field catalogue, the condition builder and its SQL."""
from flask import Blueprint

bp = Blueprint("directory", __name__)
bp.cli.help = "The directories' field catalogue."

from . import cli, views  # noqa: E402,F401
