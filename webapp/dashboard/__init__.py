"""The signed-in user's dashboard at /, and the side panel of the feed and profile pages."""
from flask import Blueprint

from .panel import side_panel

bp = Blueprint("dashboard", __name__)
bp.add_app_template_global(side_panel, "side_panel")

from . import views  # noqa: E402,F401
