"""Follow rules: known targets only, never yourself, one row per pair."""
from __future__ import annotations

from datetime import datetime

from ..core import keyset
from ..core.errors import Invalid, NotFound, found
from ..core.extensions import db
from . import queries

TARGET_KINDS = ("service_profile", "fansub_creator")


def target(target_id: str, target_kind: str) -> dict:
    """The person or creator to follow; NotFound for no such one."""
    if target_kind not in TARGET_KINDS:
        raise NotFound(target_kind)
    return found(queries.target_exists(target_id, target_kind), target_id)


def follow(user, target_id: str, target_kind: str) -> dict:
    followed = target(target_id, target_kind)
    if followed["owner_id"] == user.user_id:
        raise Invalid("You can't follow yourself.")
    queries.add_follow(user.user_id, target_id, target_kind)
    db.session.commit()
    return followed


def unfollow(user, target_id: str, target_kind: str) -> dict:
    followed = target(target_id, target_kind)
    queries.remove_follow(user.user_id, target_id, target_kind)
    db.session.commit()
    return followed


# --- the Following page: keyset pages ---------------------------------------------------------------

PAGE_SIZE = 50


def decode_cursor(value: str | None) -> tuple[datetime, str] | None:
    """The (created_at, target id) a page starts after; Invalid for a cursor we did not make."""
    return keyset.decode(value, ("usr_", "fsc_"), "That page link is broken. Start again from the top of the list.")


def following_page(user_id: str, after: tuple[datetime, str] | None) -> tuple[list[dict], str | None]:
    """A page of whom the user follows and the cursor of the next page (None on the last)."""
    return keyset.split_page(queries.followed_by(user_id, after=after, limit=PAGE_SIZE + 1), PAGE_SIZE, "target_id")
