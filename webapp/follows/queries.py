"""SQL for follows."""
from __future__ import annotations

from sqlalchemy import bindparam, text

from ..extensions import db


def following_among(follower_user_id: str, target_kind: str, target_ids: list[str]) -> set[str]:
    """Which of `target_ids` the user follows: one query for a whole page of cards."""
    if not target_ids:
        return set()
    rows = db.session.execute(
        text(
            "select target_id from follow where follower_user_id = :u and target_kind = :k"
            " and target_id in :ids"
        ).bindparams(bindparam("ids", expanding=True)),
        {"u": follower_user_id, "k": target_kind, "ids": list(target_ids)},
    )
    return {r[0] for r in rows}
