"""Serve generated SVGs with long cache lifetimes (they never change)."""
import re

from flask import Response, request

from ..accounts.access import public
from ..core.errors import NotFound
from . import bp
from .svg import avatar_svg, scene_svg

_SEED = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def _svg(body: str) -> Response:
    response = Response(body, mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


@bp.get("/avatar/<seed>.svg")
@public
def avatar(seed: str):
    if not _SEED.match(seed):
        raise NotFound(seed)
    return _svg(avatar_svg(seed, request.args.get("name", "")[:80]))


def _dimension(name: str, default: int) -> int:
    value = request.args.get(name, type=int)
    return min(max(value, 16), 2000) if value else default


@bp.get("/scene/<seed>.svg")
@public
def scene(seed: str):
    if not _SEED.match(seed):
        raise NotFound(seed)
    width, height = _dimension("w", 640), _dimension("h", 400)
    return _svg(scene_svg(seed, request.args.get("label", "")[:40], width, height))
