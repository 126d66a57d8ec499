"""SQL for the feed. Every statement that returns posts for display says
`nsfw_band < 2`: band 2 never leaves the database for any page, partial or export."""
from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import text

from ..core import reads
from ..core.extensions import db

# A feed page's row: the post's place and state, and its author as the card shows them. These
# columns are all a card's cache key needs (webapp/feed/cards.py: every write to a post bumps
# updated_at; the author's name, chip and link live in other tables) and all the reader's own
# parts of a card need. The rest of a post is read only for cards not in the cache (card_contents).
PAGE_ROW = ("feed_id", "author_id", "nsfw_band", "is_published", "created_at", "updated_at")
# Each post's author as the card shows them, looked up for each row of a page once the page's
# rows are chosen. Whom the author link and follow button point at: the author's fan-sub creator
# page if they have one, else their person profile, else nobody (a member without a profile).
AUTHOR_JOIN = """
  left join lateral (
    select coalesce(fc.display_name, sp.display_name, u.display_name) as name,
           (coalesce(sp.verified, false) or coalesce(fc.verified, false)) as verified,
           case when fc.creator_id is not null then 'fansub_creator'
                when sp.user_id is not null then 'service_profile' end as follow_kind,
           coalesce(fc.creator_id, sp.user_id) as follow_id
      from app_user u
      left join service_profile sp on sp.user_id = u.user_id
      left join fansub_creator fc on fc.user_id = u.user_id
     where u.user_id = p.author_id
  ) a on true"""
AUTHOR = {
    "author_name": "coalesce(a.name, 'Former member')",
    "author_verified": "coalesce(a.verified, false)",
    "follow_kind": "a.follow_kind",
    "follow_id": "a.follow_id",
}
CARD_KEY_COLUMNS = (*PAGE_ROW, *AUTHOR)
PAGE_COLUMNS = ", ".join(f"p.{name}" for name in PAGE_ROW)
AUTHOR_COLUMNS = ", ".join(f"{expr} as {name}" for name, expr in AUTHOR.items())
CONTENT_COLUMNS = "p.kind, p.title, p.body_md, p.body_html, p.media_preview, p.role_tags, p.city, p.verified_chip"
POST_COLUMNS = f"{PAGE_COLUMNS}, {CONTENT_COLUMNS}, p.band_floor, p.first_published_at"
# Whether the reader follows the post's author as the card's button targets them, answered by the
# page query itself (no second round trip for the buttons).
VIEWER_FOLLOWS = ("exists (select 1 from follow vf where vf.follower_user_id = %(viewer_id)s"
                  " and vf.target_kind = a.follow_kind and vf.target_id = a.follow_id) as viewer_follows")
SHOWABLE = "p.is_published and p.nsfw_band < 2"
# Every list: newest first, ties by id, newest id first; pages continue after a (created_at, id) cursor.
ORDER = " order by p.created_at desc, p.feed_id desc"


def _conditions(*, kind, city, role, cursor, author_id) -> tuple[list[str], dict]:
    conds, params = [], {}
    if kind:
        conds.append("p.kind = %(kind)s")
        params["kind"] = kind
    if city:
        conds.append("p.city = %(city)s")
        params["city"] = city
    if role:
        conds.append("p.role_tags @> array[%(role)s::text]")
        params["role"] = role
    if author_id:
        conds.append("p.author_id = %(author_id)s")
        params["author_id"] = author_id
    if cursor:
        conds.append("(p.created_at, p.feed_id) < (%(after_at)s, %(after_id)s)")
        params["after_at"], params["after_id"] = cursor
    return conds, params


def published_posts(**page) -> list[dict]:
    """One page of showable posts as page rows (PAGE_ROW and AUTHOR), newest first: see page_statement."""
    return reads.rows(*page_statement(**page))


def page_statement(*, limit: int, cursor: tuple[datetime, str] | None = None, kind: str | None = None,
                   city: str | None = None, role: str | None = None, author_id: str | None = None,
                   followed_by: str | None = None, viewer_id: str | None = None) -> tuple[str, dict]:
    """The SQL and values of one page of showable posts, newest first, after `cursor` (created_at, feed_id).

    With `viewer_id`, each row also says whether that user follows the post's author
    (`viewer_follows`). `followed_by` keeps the authors that user follows (people by usr_ id,
    fan-sub creators mapped to their user id); each followed author is read from its own index
    range and the ranges merged, so the cost follows the page size, not the size of the feed.

    The page's posts are chosen first, in a subquery with its LIMIT, and then each row's author
    is looked up (AUTHOR_JOIN, one index probe per table and row). Joined before the LIMIT, the
    plan was costed for every post in the table; joined as plain tables after it, PostgreSQL
    hashed whole author tables for a page of 21 rows (docs/benchmarks.md, List plans).
    """
    conds, params = _conditions(kind=kind, city=city, role=role, cursor=cursor, author_id=author_id)
    # The limit is written into the SQL (an int, never user text): as a parameter, the prepared
    # statement's generic plan could not count on a small page and measured 2.5x slower.
    limit = int(limit)
    where = " and ".join([SHOWABLE, *conds])
    if followed_by:
        params["followed_by"] = followed_by
        page = f"""
            with followed as (
              select target_id as author_id from follow
               where follower_user_id = %(followed_by)s and target_kind = 'service_profile'
              union
              select c.user_id from follow f join fansub_creator c on c.creator_id = f.target_id
               where f.follower_user_id = %(followed_by)s and f.target_kind = 'fansub_creator'
            )
            select p.* from followed cross join lateral (
              select {PAGE_COLUMNS} from feed_post p where p.author_id = followed.author_id and {where}
              {ORDER} limit {limit}
            ) p {ORDER} limit {limit}"""
    else:
        page = f"select {PAGE_COLUMNS} from feed_post p where {where} {ORDER} limit {limit}"
    columns = f"p.*, {AUTHOR_COLUMNS}"
    if viewer_id:
        columns += ", " + VIEWER_FOLLOWS
        params["viewer_id"] = viewer_id
    return f"select {columns} from ({page}) p {AUTHOR_JOIN} {ORDER}", params


def card_contents(feed_ids: list[str]) -> dict[str, dict]:
    """The rest of these posts (CONTENT_COLUMNS) by id, for the cards not in the card cache.

    Showable ones only: a post unpublished or moved to band 2 since its page row was read is
    left out, and so is its card.
    """
    rows = reads.rows(f"select p.feed_id, {CONTENT_COLUMNS} from feed_post p"
                      f" where p.feed_id = any(%(ids)s) and {SHOWABLE}", {"ids": list(feed_ids)})
    return {row["feed_id"]: row for row in rows}


def own_posts(author_id: str) -> list[dict]:
    """The author's drafts and published posts (band 2 excluded: it is never shown, even to its author)."""
    return reads.rows(f"select {POST_COLUMNS}, {AUTHOR_COLUMNS} from feed_post p {AUTHOR_JOIN}"
                      " where p.author_id = %(author_id)s and p.nsfw_band < 2"
                      " order by p.updated_at desc, p.feed_id desc limit 500", {"author_id": author_id})


def count_blocked_posts(author_id: str) -> int:
    return reads.scalar("select count(*) from feed_post where author_id = %(author_id)s and nsfw_band = 2",
                        {"author_id": author_id})


def blocked_posts(limit: int = 1000) -> list[dict]:
    """Band-2 posts for the growth team's CLI: what identifies them, nothing of their content."""
    rows = db.session.execute(
        text("select p.feed_id, p.author_id, u.email as author_email, p.created_at from feed_post p"
             " left join app_user u on u.user_id = p.author_id"
             " where p.nsfw_band = 2 order by p.created_at desc, p.feed_id desc limit :limit"),
        {"limit": limit},
    ).mappings()
    return [dict(r) for r in rows]


def get_post(feed_id: str) -> dict | None:
    """Any post, band included: callers decide who may see what (never render band 2)."""
    row = db.session.execute(
        text(f"select {POST_COLUMNS}, {AUTHOR_COLUMNS} from feed_post p {AUTHOR_JOIN} where p.feed_id = :id"),
        {"id": feed_id},
    ).mappings().first()
    return dict(row) if row else None


def author_verified(user_id: str) -> bool:
    return bool(db.session.execute(
        text("select coalesce((select verified from service_profile where user_id = :u), false)"
             " or coalesce((select verified from fansub_creator where user_id = :u), false)"),
        {"u": user_id},
    ).scalar())


def insert_post(*, feed_id: str, author_id: str, role_tags: list[str], kind: str, title: str, body_md: str,
                body_html: str, nsfw_band: int, city: str | None, verified_chip: bool) -> None:
    db.session.execute(
        text(
            "insert into feed_post (feed_id, author_id, role_tags, kind, title, body_md, body_html, nsfw_band,"
            " city, verified_chip) values (:feed_id, :author_id, :role_tags, :kind, :title, :body_md, :body_html,"
            " :nsfw_band, :city, :verified_chip)"
        ),
        dict(feed_id=feed_id, author_id=author_id, role_tags=role_tags, kind=kind, title=title, body_md=body_md,
             body_html=body_html, nsfw_band=nsfw_band, city=city, verified_chip=verified_chip),
    )


def update_post(*, feed_id: str, role_tags: list[str], kind: str, title: str, body_md: str, body_html: str,
                nsfw_band: int, city: str | None, verified_chip: bool) -> None:
    db.session.execute(
        text(
            "update feed_post set role_tags = :role_tags, kind = :kind, title = :title, body_md = :body_md,"
            " body_html = :body_html, nsfw_band = greatest(:nsfw_band, band_floor), city = :city,"
            " verified_chip = :verified_chip, updated_at = now() where feed_id = :feed_id"
        ),
        dict(feed_id=feed_id, role_tags=role_tags, kind=kind, title=title, body_md=body_md, body_html=body_html,
             nsfw_band=nsfw_band, city=city, verified_chip=verified_chip),
    )


def publish(feed_id: str, verified_chip: bool) -> None:
    """Publish; the first publication becomes the post's place in the feed (created_at)."""
    db.session.execute(
        text(
            "update feed_post set is_published = true, verified_chip = :v, updated_at = now(),"
            " created_at = case when first_published_at is null then now() else created_at end,"
            " first_published_at = coalesce(first_published_at, now()) where feed_id = :id"
        ),
        {"id": feed_id, "v": verified_chip},
    )


def unpublish(feed_id: str) -> None:
    db.session.execute(
        text("update feed_post set is_published = false, updated_at = now() where feed_id = :id"), {"id": feed_id}
    )


def set_band(feed_id: str, band: int) -> None:
    db.session.execute(
        text("update feed_post set nsfw_band = :b, band_floor = :b, updated_at = now() where feed_id = :id"),
        {"id": feed_id, "b": band},
    )


def set_media_preview(feed_id: str, preview: list[dict]) -> None:
    db.session.execute(
        # updated_at too: it is part of the key of the cached card (webapp/feed/cards.py).
        text("update feed_post set media_preview = cast(:m as jsonb), updated_at = now() where feed_id = :id"),
        {"id": feed_id, "m": json.dumps(preview)},
    )


# --- media: the full-image references, never sent before the band checks


def media_of(feed_id: str) -> list[dict]:
    rows = db.session.execute(
        text("select media_id, feed_id, position, storage_key, src, mime, width, height, bytes, alt"
             " from feed_media where feed_id = :id order by position"),
        {"id": feed_id},
    ).mappings()
    return [dict(r) for r in rows]


def media_at(feed_id: str, position: int) -> dict | None:
    row = db.session.execute(
        text("select media_id, feed_id, position, storage_key, src, mime, width, height, alt"
             " from feed_media where feed_id = :id and position = :pos"),
        {"id": feed_id, "pos": position},
    ).mappings().first()
    return dict(row) if row else None


def media_with_post(media_id: str) -> dict | None:
    row = db.session.execute(
        text("select m.media_id, m.storage_key, m.src, m.mime, p.feed_id, p.author_id, p.nsfw_band, p.is_published"
             " from feed_media m join feed_post p using (feed_id) where m.media_id = :id"),
        {"id": media_id},
    ).mappings().first()
    return dict(row) if row else None


def insert_media(*, media_id: str, feed_id: str, position: int, storage_key: str | None, src: str | None,
                 mime: str, width: int, height: int, size: int, alt: str) -> None:
    db.session.execute(
        text("insert into feed_media (media_id, feed_id, position, storage_key, src, mime, width, height, bytes, alt)"
             " values (:media_id, :feed_id, :position, :storage_key, :src, :mime, :width, :height, :size, :alt)"),
        dict(media_id=media_id, feed_id=feed_id, position=position, storage_key=storage_key, src=src, mime=mime,
             width=width, height=height, size=size, alt=alt),
    )


def delete_media(feed_id: str, media_ids: list[str]) -> list[str]:
    """Remove those images of this post; returns the storage keys to delete from disk."""
    if not media_ids:
        return []
    rows = db.session.execute(
        text("delete from feed_media where feed_id = :id and media_id = any(:ids) returning storage_key"),
        {"id": feed_id, "ids": media_ids},
    )
    return [r[0] for r in rows if r[0]]



def delete_post(feed_id: str) -> list[str]:
    """Remove the post (its media rows go with it, on delete cascade); returns the storage keys to delete."""
    keys = [m["storage_key"] for m in media_of(feed_id) if m["storage_key"]]
    db.session.execute(text("delete from feed_post where feed_id = :id"), {"id": feed_id})
    return keys


# --- pending pictures: uploaded in the editor, not yet part of a saved post (migration 114)


def insert_pending(*, pending_id: str, user_id: str, storage_key: str, mime: str, width: int, height: int,
                   size: int) -> None:
    db.session.execute(
        text("insert into feed_pending_media (pending_id, user_id, storage_key, mime, width, height, bytes)"
             " values (:pending_id, :user_id, :storage_key, :mime, :width, :height, :size)"),
        dict(pending_id=pending_id, user_id=user_id, storage_key=storage_key, mime=mime, width=width, height=height,
             size=size),
    )


def pending_of(user_id: str, pending_ids: list[str]) -> dict[str, dict]:
    """Those pending pictures that belong to this user, by id (anyone else's are simply not there)."""
    if not pending_ids:
        return {}
    rows = db.session.execute(
        text("select pending_id, storage_key, mime, width, height, bytes from feed_pending_media"
             " where user_id = :user_id and pending_id = any(:ids)"),
        {"user_id": user_id, "ids": list(pending_ids)},
    ).mappings()
    return {r["pending_id"]: dict(r) for r in rows}


def delete_pending(user_id: str, pending_ids: list[str]) -> list[str]:
    """Forget those pending pictures of this user; returns their storage keys."""
    if not pending_ids:
        return []
    rows = db.session.execute(
        text("delete from feed_pending_media where user_id = :user_id and pending_id = any(:ids)"
             " returning storage_key"),
        {"user_id": user_id, "ids": list(pending_ids)},
    )
    return [r[0] for r in rows]


def delete_stale_pending(user_id: str, older_than: datetime) -> list[str]:
    """This user's pending pictures of drafts abandoned before `older_than`; returns their storage keys."""
    rows = db.session.execute(
        text("delete from feed_pending_media where user_id = :user_id and created_at < :before returning storage_key"),
        {"user_id": user_id, "before": older_than},
    )
    return [r[0] for r in rows]
