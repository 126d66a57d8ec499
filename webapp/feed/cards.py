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
from ..fragments import FragmentCache

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


# --- follow buttons -------------------------------------------------------------------------------

follow_buttons = FragmentCache()
# Stands in for the CSRF token while a button is rendered for the cache. It reaches the output
# unescaped (Markup) and contains "<", which escaping turns into "&lt;" in anything a user wrote,
# so the only literal occurrence in a rendered button is this slot.
_TOKEN_SLOT = Markup("<csrf-token-slot>")


def follow_button(target_id: str, target_kind: str, following: bool, *, target_name: str = "",
                  next_path: str = "", csrf: str) -> Markup:
    """The follow toggle of follows/_macros.html, rendered once per (target, state, name, return page);
    the reader's CSRF token goes into its slot on every use, so no token is ever cached."""
    key = (target_kind, target_id, bool(following), target_name, next_path)

    def render() -> tuple[str, str]:
        macros = current_app.jinja_env.get_template("follows/_macros.html").module
        html = str(macros.follow_button(target_id, target_kind, bool(following), target_name=target_name,
                                        next_path=next_path, csrf=_TOKEN_SLOT))
        head, slot, tail = html.partition(str(_TOKEN_SLOT))
        if not slot or str(_TOKEN_SLOT) in tail:
            raise AssertionError("a follow button has exactly one CSRF token")
        return head, tail

    head, tail = follow_buttons.get_or_render(key, render)
    return Markup(head + str(Markup.escape(csrf)) + tail)
