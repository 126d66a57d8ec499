"""Rows for follows, feed and profile tests, written straight to the database (fast)."""
from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from webapp.core.ids import new_id

BASE_TIME = datetime(2025, 11, 1, 12, 0, tzinfo=UTC)


def make_profile(db_conn, user: dict, *, city: str = "berlin", role_tags=("photographer",), verified: bool = False,
                 headline: str = "") -> str:
    db_conn.execute(
        "insert into service_profile (user_id, display_name, headline, city, role_tags, rate_cents, verified)"
        " values (%s, %s, %s, %s, %s, 12000, %s)",
        (user["user_id"], user["name"], headline, city, list(role_tags), verified),
    )
    return user["user_id"]


def make_creator(db_conn, user: dict, *, city: str = "paris", verified: bool = False, band: int = 1) -> str:
    creator_id = new_id("fsc")
    db_conn.execute(
        "insert into fansub_creator (creator_id, user_id, display_name, city, category_tags, monthly_price_cents,"
        " content_band, verified) values (%s, %s, %s, %s, '{glamour}', 900, %s, %s)",
        (creator_id, user["user_id"], user["name"], city, band, verified),
    )
    return creator_id


def make_studio(db_conn, owner: dict, *, name: str = "Light Room", city: str = "berlin") -> str:
    studio_id = new_id("std")
    db_conn.execute(
        "insert into studio (studio_id, owner_user_id, name, city, amenity_tags, hourly_rate_cents, capacity, size_sqm)"
        " values (%s, %s, %s, %s, '{cyclorama}', 5000, 10, 80)",
        (studio_id, owner["user_id"], name, city),
    )
    return studio_id


def make_post(db_conn, author_id: str, *, title: str = "A post", kind: str = "case_study", band: int = 0,
              published: bool = True, city: str | None = "berlin", role_tags=("photographer",), body_md: str = "",
              created_at: datetime | None = None, media_preview: list | None = None, minutes_ago: int | None = None,
              feed_id: str | None = None) -> str:
    feed_id = feed_id or new_id("fdp")
    if created_at is None:
        created_at = BASE_TIME - timedelta(minutes=minutes_ago or 0)
    db_conn.execute(
        "insert into feed_post (feed_id, author_id, role_tags, kind, title, body_md, media_preview, nsfw_band, city,"
        " is_published, created_at, updated_at, first_published_at)"
        " values (%s, %s, %s, %s, %s, %s, %s::jsonb, %s, %s, %s, %s, %s, %s)",
        (feed_id, author_id, list(role_tags), kind, title, body_md, json.dumps(media_preview or []), band, city,
         published, created_at, created_at, created_at if published else None),
    )
    return feed_id


def make_media(db_conn, feed_id: str, *, position: int = 0, src: str | None = None, storage_key: str | None = None,
               alt: str = "A picture", width: int = 640, height: int = 400) -> str:
    media_id = new_id("fdm")
    db_conn.execute(
        "insert into feed_media (media_id, feed_id, position, storage_key, src, width, height, alt)"
        " values (%s, %s, %s, %s, %s, %s, %s, %s)",
        (media_id, feed_id, position, storage_key, src, width, height, alt),
    )
    return media_id


def sensitive_post(db_conn, author_id: str, *, band: int, title: str, secret: str, **kwargs) -> tuple[str, str]:
    """A post whose full picture lives at `secret` (a same-site path): preview carries no URL unless band 0."""
    preview = [{"position": 0, "alt": f"{title} picture", "width": 640, "height": 400}]
    if band == 0:
        preview[0]["src"] = secret
    feed_id = make_post(db_conn, author_id, title=title, band=band, media_preview=preview, **kwargs)
    media_id = make_media(db_conn, feed_id, src=secret, alt=f"{title} picture")
    return feed_id, media_id
