"""SQL for profile pages: one row per profile, with its follower count."""
from __future__ import annotations

from sqlalchemy import text

from ..core.extensions import db


def person(user_id: str) -> dict | None:
    row = db.session.execute(
        text("select sp.*, (select count(*) from follow f where f.target_id = sp.user_id"
             " and f.target_kind = 'service_profile') as follower_count"
             " from service_profile sp where sp.user_id = :id"),
        {"id": user_id},
    ).mappings().first()
    return dict(row) if row else None


def studio(studio_id: str) -> dict | None:
    row = db.session.execute(
        text("select s.*, u.display_name as owner_name, sp.user_id as owner_profile_id,"
             " (select count(*) from follow f where f.target_id = s.owner_user_id"
             "   and f.target_kind = 'service_profile') as follower_count"
             " from studio s join app_user u on u.user_id = s.owner_user_id"
             " left join service_profile sp on sp.user_id = s.owner_user_id where s.studio_id = :id"),
        {"id": studio_id},
    ).mappings().first()
    return dict(row) if row else None


def creator(creator_id: str) -> dict | None:
    row = db.session.execute(
        text("select c.*, (select count(*) from follow f where f.target_id = c.creator_id"
             " and f.target_kind = 'fansub_creator') as follower_count"
             " from fansub_creator c where c.creator_id = :id"),
        {"id": creator_id},
    ).mappings().first()
    return dict(row) if row else None
