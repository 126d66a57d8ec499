"""Generated images: avatars and demo media drawn as SVG, so nothing is fetched
from outside and demo data needs no image files."""
from flask import Blueprint

bp = Blueprint("art", __name__, url_prefix="/media")

from . import views  # noqa: E402,F401
