"""Profile pages of people, studios and fan-sub creators, with their published posts.

Posts come from the same feed query as /feed (band 2 filtered in SQL, band 1
blurred), keyset-paginated with the same infinite-scroll partial.
"""
from __future__ import annotations

from flask import render_template, request, url_for
from flask_login import current_user

from ..accounts.access import login_required
from ..core.errors import found
from ..core.htmx import is_htmx, render_page
from ..feed import service as feed_service
from ..feed.catalogue import BANDS
from ..feed.markdown import cached_markdown
from ..feed.views import followed_set
from ..follows.queries import is_following
from . import bp, queries


def _render(template: str, *, author_id: str, endpoint: str, endpoint_args: dict, **context):
    cursor = feed_service.decode_cursor(request.args.get("before"))
    page = feed_service.author_page(author_id, cursor, viewer_id=current_user.user_id)
    next_url = url_for(endpoint, before=page.next_cursor, **endpoint_args) if page.next_cursor else None
    context.update(posts=page.posts, followed=followed_set(page.posts), band_labels=BANDS, cursor=cursor,
                   next_url=next_url)
    if cursor and is_htmx():  # infinite scroll: just the next cards and the next trigger
        return render_page("profiles/layout.html", "feed_page", **context)
    return render_template(template, **context)


@bp.get("/people/<user_id>")
@login_required
def person(user_id: str):
    profile = found(queries.person(user_id))
    return _render(
        "profiles/person.html", author_id=user_id, endpoint="profiles.person", endpoint_args={"user_id": user_id},
        profile=profile, bio=cached_markdown(profile["bio_md"]), is_self=user_id == current_user.user_id,
        following=is_following(current_user.user_id, user_id, "service_profile"),
    )


@bp.get("/studios/<studio_id>")
@login_required
def studio(studio_id: str):
    row = found(queries.studio(studio_id))
    owner = row["owner_user_id"]
    return _render(
        "profiles/studio.html", author_id=owner, endpoint="profiles.studio", endpoint_args={"studio_id": studio_id},
        studio=row, description=cached_markdown(row["description_md"]), is_self=owner == current_user.user_id,
        following=bool(row["owner_profile_id"]) and is_following(current_user.user_id, owner, "service_profile"),
    )


@bp.get("/creators/<creator_id>")
@login_required
def creator(creator_id: str):
    row = found(queries.creator(creator_id))
    return _render(
        "profiles/creator.html", author_id=row["user_id"], endpoint="profiles.creator",
        endpoint_args={"creator_id": creator_id}, creator=row, bio=cached_markdown(row["bio_md"]),
        is_self=row["user_id"] == current_user.user_id,
        following=is_following(current_user.user_id, creator_id, "fansub_creator"),
    )
