"""Post cards: whole cards from the card cache (webapp/core/cache.py), the reader's own parts filled in.

A card's key is its page row (queries.CARD_KEY_COLUMNS: id, updated_at, band, state,
date, the author's name, chip and link), plus, for a band-1 post, whether the
reader opted in to sensitive media (the reveal control differs). Every write to a post
bumps updated_at, so an edit, a publication, a new band or new pictures is a new key.
Only the cards missing from the cache read the rest of their post, in one query for all
of them. Band 2 is never rendered, so it can never be cached.
"""
from __future__ import annotations

from flask import current_app, url_for
from markupsafe import Markup

from ..core.cache import SLOT, Card, FragmentCache, row_key
from ..follows.buttons import follow_buttons
from . import queries
from .catalogue import BAND_BLUR
from .service import present

post_cards = FragmentCache()

# The reader's own parts of a post card, in order: the follow button (or the delete control on the
# reader's own post), the growth team's band form.
SLOTS = 2


def card_key(row: dict, opt_in: bool) -> tuple:
    return row_key("post", row, variant=bool(opt_in) if row["nsfw_band"] == BAND_BLUR else None,
                   columns=queries.CARD_KEY_COLUMNS)


def cards(rows: list[dict], viewer) -> list[tuple[dict, Card]]:
    """(row, card) for each post of a page that is still showable, in order."""
    opt_in = bool(getattr(viewer, "sensitive_opt_in", False))
    keys = [card_key(row, opt_in) for row in rows]
    found = [post_cards.get(key) for key in keys]
    missing = [row["feed_id"] for row, card in zip(rows, found, strict=True) if card is None]
    contents = queries.card_contents(missing) if missing else {}
    shown = []
    for row, key, card in zip(rows, keys, found, strict=True):
        if card is None:
            content = contents.get(row["feed_id"])
            if content is None:
                continue  # unpublished or moved to band 2 since the page was read
            card = post_cards.put(key, _render({**content, **row}, opt_in))
        shown.append((row, card))
    return shown


def _render(row: dict, opt_in: bool) -> Card:
    macros = current_app.jinja_env.get_template("feed/_macros.html").module
    own = {"band_url": url_for("feed.set_band", feed_id=row["feed_id"])}
    if row["follow_id"]:
        own["follow"] = follow_buttons(row["follow_id"], row["follow_kind"], row["author_name"])
    return Card(macros.post_card(present(row), opt_in, SLOT), SLOTS, own)



def in_feed_at(card: Markup, position: int) -> Markup:
    """A filled card as the `position`th article of a role="feed": aria-posinset, and aria-setsize -1
    (more load on demand, so the size is unknown). Per page, so never in the cached card; its
    opening tag is the card's own (feed/_macros.html post_card)."""
    return Markup(str(card).replace("<article ", f'<article aria-posinset="{int(position)}" aria-setsize="-1" ', 1))
