"""The marketplace's internal events: `POST /internal/events`, signed with a shared secret, and
`flask events …` to sign and send one (SPEC, "Internal events endpoint"). No pages: its callers
are programs, so its errors are JSON (core/errors.JSON_BLUEPRINTS)."""
from flask import Blueprint

bp = Blueprint("internal", __name__, cli_group="events")
bp.cli.help = "Sign and send the marketplace's events (POST /internal/events)."

from . import cli, views  # noqa: E402,F401
