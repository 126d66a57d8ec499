"""Post cards from the fragment cache: the viewer-independent parts of a card, rendered once.

The key holds every input of the cached markup: the post's id and updated_at (every
write to a post bumps it: edit, publish, unpublish, band, pictures), its band and
state again (belt and braces), the author's name, chip and profile link (they live in
other tables, so updated_at does not see them change), and for a blurred post with
pictures the viewer's sensitive-media opt-in (the reveal control). Band 2 is never
rendered, so it can never be cached.
"""
from __future__ import annotations

from flask import current_app
from markupsafe import Markup

from .catalogue import BAND_BLOCK
from ..core.cache import FragmentCache

post_cards = FragmentCache()


def card_key(post: dict, opt_in: bool) -> tuple:
    reveal_variant = bool(opt_in) if post["blurred"] and post["media"] else None
    return (post["feed_id"], post["updated_at"], post["nsfw_band"], post["is_published"], post["created_at"],
            post["author_name"], post["verified"], post["profile_url"], reveal_variant)


def card_parts(post: dict, viewer) -> tuple[Markup, Markup]:
    """(the card up to the follow button, the card from the header's end to its tags)."""
    if post["nsfw_band"] >= BAND_BLOCK:
        raise AssertionError("band-2 posts are never rendered")
    opt_in = bool(getattr(viewer, "sensitive_opt_in", False))

    def render() -> tuple[Markup, Markup]:
        macros = current_app.jinja_env.get_template("feed/_macros.html").module
        return Markup(macros.card_top(post)), Markup(macros.card_body(post, opt_in))

    return post_cards.get_or_render(card_key(post, opt_in), render)
