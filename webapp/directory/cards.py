"""Directory cards from the card cache (webapp/core/cache.py).

A card's markup is a function of its row alone (the reader's follow button goes into its
slot per request), so the key is every column of the row: any change to a profile, from
any code path, is a different key and shows at once, with no invalidation to forget.
"""
from __future__ import annotations

from flask import current_app

from ..core.cache import SLOT, Card, FragmentCache, row_key
from ..follows.buttons import follow_buttons

directory_cards = FragmentCache()


def _macros():
    return current_app.jinja_env.get_template("directory/_cards.html").module


def card(scope_name: str, row: dict, new: bool = False) -> Card:
    """A whole card: a person's with one slot (the reader's follow button), a studio's with none.
    `new`: marked as one of an alert's new matches (a variant of the card, kept apart)."""
    return directory_cards.get_or_render(row_key(scope_name, row, new), lambda: _render(scope_name, row, new))


def _render(scope_name: str, row: dict, new: bool) -> Card:
    if scope_name != "people":
        return Card(_macros().studio_card(row, new), 0)
    return Card(_macros().person_card(row, SLOT, new), 1,
                {"follow": follow_buttons(row["user_id"], "service_profile", row["display_name"])})

