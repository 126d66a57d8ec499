"""Follow / unfollow (htmx toggle or plain form) and the Following page."""
from __future__ import annotations

from flask import flash, get_template_attribute, render_template, request, url_for
from flask_login import current_user

from ..accounts.access import login_required
from ..core.htmx import is_htmx, redirect_to, render_page
from ..core.urls import profile_url, safe_next
from . import bp, queries, service


def _toggle(target_kind: str, target_id: str, *, follow: bool):
    listed = bool(request.form.get("listed"))
    if not follow and listed and not is_htmx():
        # From the Following list without JavaScript, the row would vanish on the next page and the
        # one below move under the pointer: ask first (docs/decisions.md). With htmx the row stays.
        return redirect_to(url_for("follows.confirm_unfollow", target_kind=target_kind, target_id=target_id,
                                   next=safe_next(request.form.get("next"), url_for("follows.following"))))
    target = (service.follow if follow else service.unfollow)(current_user, target_id, target_kind)
    name = target["display_name"]
    flash(f"You follow {name}." if follow else f"You no longer follow {name}.", "success")
    if is_htmx():
        since = queries.following_since(current_user.user_id, target_id, target_kind) if listed and follow else None
        answer = get_template_attribute("follows/_macros.html", "follow_answer")
        return answer(target_id, target_kind, follow, queries.follower_count(target_id, target_kind),
                      show_count=bool(request.form.get("show_count")), target_name=request.form.get("name", name)[:80],
                      follow_next=safe_next(request.form.get("next"), ""), listed=listed, since=since)
    return redirect_to(safe_next(request.form.get("next"), profile_url(target_kind, target_id)))


@bp.post("/follows/<target_kind>/<target_id>")
@login_required
def follow(target_kind: str, target_id: str):
    return _toggle(target_kind, target_id, follow=True)


@bp.post("/follows/<target_kind>/<target_id>/unfollow")
@login_required
def unfollow(target_kind: str, target_id: str):
    return _toggle(target_kind, target_id, follow=False)


@bp.get("/follows/<target_kind>/<target_id>/unfollow")
@login_required
def confirm_unfollow(target_kind: str, target_id: str):
    """Unfollow from the Following list without JavaScript: a page that asks first."""
    target = service.target(target_id, target_kind)
    back = safe_next(request.args.get("next"), url_for("follows.following"))
    return render_template("follows/confirm_unfollow.html", target=target, target_id=target_id,
                           target_kind=target_kind, back=back,
                           following=queries.is_following(current_user.user_id, target_id, target_kind))


@bp.get("/following")
@login_required
def following():
    after = service.decode_cursor(request.args.get("after"))
    rows, next_cursor = service.following_page(current_user.user_id, after)
    for row in rows:
        row["url"] = profile_url(row["target_kind"], row["target_id"])
    next_url = url_for("follows.following", after=next_cursor) if next_cursor else None
    # More rows for the "Show more" button (htmx); a plain GET of any of these URLs is the whole page.
    block = "following_rows" if after else "content"
    return render_page("follows/following.html", block, rows=rows, next_url=next_url, after=after,
                       total=queries.count_followed(current_user.user_id))
