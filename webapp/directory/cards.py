"""Directory cards from the fragment cache (webapp/fragments.py).

A card's markup is a function of its row alone (the viewer's follow button is rendered
outside it), so the key is every column of the row: any change to a profile, from any
code path, is a different key and shows at once, with no invalidation to forget.
"""
from __future__ import annotations

from flask import current_app
from markupsafe import Markup

from ..core.cache import FragmentCache
from .catalogue import SCOPES

directory_cards = FragmentCache()

# Row columns that are about the viewer, not the card.
_VIEWER_COLUMNS = frozenset({"viewer_follows"})


def _frozen(value):
    return tuple(value) if isinstance(value, list) else value


def row_key(scope_name: str, row: dict) -> tuple:
    return (scope_name, *((k, _frozen(v)) for k, v in sorted(row.items()) if k not in _VIEWER_COLUMNS))


def _macros():
    return current_app.jinja_env.get_template("directory/_cards.html").module


def card(scope_name: str, row: dict) -> Markup:
    """People: the card up to its actions box (the page adds the follow button and closes it).
    Studios: the whole card."""
    macro = "person_card_open" if scope_name == "people" else "studio_card"
    return directory_cards.get_or_render(row_key(scope_name, row), lambda: Markup(getattr(_macros(), macro)(row)))


def datalists(scope_name: str) -> Markup:
    return directory_cards.get_or_render(("datalists", scope_name),
                                         lambda: Markup(_macros().datalists(SCOPES[scope_name])))
