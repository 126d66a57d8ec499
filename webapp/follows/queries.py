"""SQL for follows: the writes and their guard on the session, the pages' reads through core.reads."""
from __future__ import annotations

from sqlalchemy import text

from ..core import reads
from ..core.extensions import db


def following_among(follower_user_id: str, target_kind: str, target_ids: list[str]) -> set[str]:
    """Which of `target_ids` the user follows: one query for a whole page of cards."""
    if not target_ids:
        return set()
    rows = reads.rows("select target_id from follow where follower_user_id = %(u)s and target_kind = %(k)s"
                      " and target_id = any(%(ids)s)",
                      {"u": follower_user_id, "k": target_kind, "ids": list(target_ids)})
    return {r["target_id"] for r in rows}


def target_exists(target_id: str, target_kind: str) -> dict | None:
    """The followed thing and its owner, or None: people by usr_ id, fan-sub creators by fsc_ id."""
    if target_kind == "service_profile":
        sql = "select user_id as owner_id, display_name from service_profile where user_id = :id"
    elif target_kind == "fansub_creator":
        sql = "select user_id as owner_id, display_name from fansub_creator where creator_id = :id"
    else:
        return None
    row = db.session.execute(text(sql), {"id": target_id}).mappings().first()
    return dict(row) if row else None


def following_since(follower_user_id: str, target_id: str, target_kind: str):
    """When the user began following the target (None: they don't)."""
    return reads.scalar("select created_at from follow where follower_user_id = %(u)s and target_id = %(t)s"
                        " and target_kind = %(k)s", {"u": follower_user_id, "t": target_id, "k": target_kind})


def is_following(follower_user_id: str, target_id: str, target_kind: str) -> bool:
    return following_since(follower_user_id, target_id, target_kind) is not None


def add_follow(follower_user_id: str, target_id: str, target_kind: str) -> None:
    """Idempotent: a double click or a second tab doesn't fail."""
    db.session.execute(
        text("insert into follow (follower_user_id, target_id, target_kind) values (:u, :t, :k)"
             " on conflict do nothing"),
        {"u": follower_user_id, "t": target_id, "k": target_kind},
    )


def remove_follow(follower_user_id: str, target_id: str, target_kind: str) -> None:
    db.session.execute(
        text("delete from follow where follower_user_id = :u and target_id = :t and target_kind = :k"),
        {"u": follower_user_id, "t": target_id, "k": target_kind},
    )


def follower_count(target_id: str, target_kind: str) -> int:
    return reads.scalar("select count(*) from follow where target_id = %(t)s and target_kind = %(k)s",
                        {"t": target_id, "k": target_kind})


# Whom a user follows, as the Following page lists and counts them: a follow whose profile or
# creator is gone (the follow table has no foreign key to its polymorphic target) is left out.
_FOLLOWED = """
      from follow f
     where f.follower_user_id = %(u)s
       and (exists (select 1 from service_profile sp
                     where f.target_kind = 'service_profile' and sp.user_id = f.target_id)
            or exists (select 1 from fansub_creator fc
                        where f.target_kind = 'fansub_creator' and fc.creator_id = f.target_id))"""


def followed_by(follower_user_id: str, *, after: tuple | None = None, limit: int = 50) -> list[dict]:
    """Whom the user follows, newest first (ties: newest id first), with what a list row shows:
    `limit` rows after the (created_at, target_id) cursor `after`.

    The page's follows are chosen first, walking the (follower, created_at, target_id) index with
    the LIMIT, and only then joined to what their rows show: joined first, PostgreSQL read every
    follow of a reader who follows 2,000 people for a page of 51 (docs/benchmarks.md, List plans).
    """
    keyset = " and (f.created_at, f.target_id) < (%(after_at)s, %(after_id)s)" if after else ""
    params = {"u": follower_user_id}
    if after:
        params["after_at"], params["after_id"] = after
    # The limit is written into the SQL (an int, never user text), as the feed's: a small page the plan can count on.
    return reads.rows(
        f"""
        select f.target_id, f.target_kind, f.created_at,
               coalesce(sp.display_name, fc.display_name) as display_name,
               coalesce(sp.city, fc.city) as city,
               coalesce(sp.verified, fc.verified, false) as verified,
               sp.headline, sp.role_tags, fc.category_tags,
               (select count(*) from follow c where c.target_id = f.target_id
                  and c.target_kind = f.target_kind) as follower_count
          from (select f.target_id, f.target_kind, f.created_at {_FOLLOWED}{keyset}
                 order by f.created_at desc, f.target_id desc limit {int(limit)}) f
          left join service_profile sp on f.target_kind = 'service_profile' and sp.user_id = f.target_id
          left join fansub_creator fc on f.target_kind = 'fansub_creator' and fc.creator_id = f.target_id
         order by f.created_at desc, f.target_id desc
        """,
        params,
    )


def count_followed(follower_user_id: str) -> int:
    """How many rows the Following page lists in all."""
    return reads.scalar(f"select count(*) {_FOLLOWED}", {"u": follower_user_id})


# The most-followed people and creators that %(u)s neither follows nor is, most followers first,
# ties by id, %(limit)s of them: the side panel's "people you might follow" (dashboard/queries.py).
# Counts every follow (a grouped index-only scan of idx_follow_target): cheap at the demo's and the
# benchmarks' sizes; with millions of follows it wants a kept follower count. A target with no
# follower is never suggested.
POPULAR_NOT_FOLLOWED = """
    select t.target_id, t.target_kind, t.followers,
           coalesce(sp.display_name, fc.display_name) as display_name,
           coalesce(sp.city, fc.city) as city,
           coalesce(sp.verified, fc.verified, false) as verified
      from (select f.target_id, f.target_kind, count(*) as followers from follow f
             where not exists (select 1 from follow mine where mine.follower_user_id = %(u)s
                                  and mine.target_id = f.target_id and mine.target_kind = f.target_kind)
             group by f.target_id, f.target_kind) t
      left join service_profile sp on t.target_kind = 'service_profile' and sp.user_id = t.target_id
      left join fansub_creator fc on t.target_kind = 'fansub_creator' and fc.creator_id = t.target_id
     where coalesce(sp.user_id, fc.user_id) <> %(u)s
     order by t.followers desc, t.target_id
     limit %(limit)s"""
