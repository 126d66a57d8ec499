"""The growth dashboard (issue 14, role growth only): daily rollups kept by the writers (rollups.py,
migration 100), the /growth overview with its tiles, charts and lists (model.py, service.py,
views.py), a CSV export of every table (exports.py), and read-only reader links for the rest of
the company. `flask growth rebuild-rollups` (cli.py)."""
from flask import Blueprint

bp = Blueprint("reporting", __name__, cli_group="growth")
bp.cli.help = "The growth dashboard's rollups."

from . import cli, export_views, reader_views, views  # noqa: E402,F401  (routes and commands join the blueprint)
