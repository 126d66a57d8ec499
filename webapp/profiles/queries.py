"""SQL for profile pages: one row per profile, with its follower count (page reads, core.reads)."""
from __future__ import annotations

from ..core import reads


def person(user_id: str) -> dict | None:
    return reads.first(
        "select sp.*, (select count(*) from follow f where f.target_id = sp.user_id"
        " and f.target_kind = 'service_profile') as follower_count"
        " from service_profile sp where sp.user_id = %(id)s", {"id": user_id})


def studio(studio_id: str) -> dict | None:
    return reads.first(
        "select s.*, u.display_name as owner_name, sp.user_id as owner_profile_id,"
        " (select count(*) from follow f where f.target_id = s.owner_user_id"
        "   and f.target_kind = 'service_profile') as follower_count"
        " from studio s join app_user u on u.user_id = s.owner_user_id"
        " left join service_profile sp on sp.user_id = s.owner_user_id where s.studio_id = %(id)s", {"id": studio_id})


def creator(creator_id: str) -> dict | None:
    return reads.first(
        "select c.*, (select count(*) from follow f where f.target_id = c.creator_id"
        " and f.target_kind = 'fansub_creator') as follower_count"
        " from fansub_creator c where c.creator_id = %(id)s", {"id": creator_id})
