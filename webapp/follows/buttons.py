"""The follow button of a cached card, rendered once per card (webapp/core/cache.py)."""
from __future__ import annotations

from flask import current_app

from ..core.cache import SLOT, Card


def follow_buttons(target_id: str, target_kind: str, name: str) -> dict[bool, Card]:
    """The button (templates/follows/_macros.html), not followed and followed, with slots for the
    reader's CSRF token and the page to come back to, filled per request. Rendered once per card:
    the macro measured 15–50 µs a call, url_for included, and a page has up to twenty cards."""
    button = current_app.jinja_env.get_template("follows/_macros.html").module.follow_button
    return {following: Card(button(target_id, target_kind, following, target_name=name, next_path=SLOT, csrf=SLOT), 2)
            for following in (False, True)}
