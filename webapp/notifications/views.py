"""/notifications: the list (newest first, keyset pages), open one, mark one or all read.

State changes are POST forms with the CSRF token (htmx sends it in a header): opening a
notification is a form whose button is the title, so marking it read is never a bare GET.
htmx gets the changed row back with the header's bell out of band; plain forms a redirect.
"""
from __future__ import annotations

from flask import flash, request, url_for
from flask_login import current_user

from ..accounts.access import login_required
from ..core.htmx import is_htmx, redirect_to, render_page
from . import bp, queries, service


@bp.get("/notifications")
@login_required
def index():
    after = service.decode_cursor(request.args.get("after"))
    rows, next_cursor = service.page(current_user.user_id, after)
    next_url = url_for("notifications.index", after=next_cursor) if next_cursor else None
    # "Show more" (htmx) gets the next rows alone; a plain GET of any page's URL is the whole page.
    return render_page("notifications/index.html", "notification_rows" if after else "content",
                       rows=rows, next_url=next_url, after=after)


@bp.post("/notifications/<notification_id>/open")
@login_required
def open_(notification_id):
    return redirect_to(service.open_(current_user.user_id, notification_id) or url_for("notifications.index"))


@bp.post("/notifications/<notification_id>/read")
@login_required
def read(notification_id):
    user_id = current_user.user_id
    service.mark_read(user_id, notification_id)
    flash("Marked as read.", "success")
    if is_htmx():
        # The row comes back without its Mark as read button: focus goes to the row's title (`focus`).
        return render_page("notifications/index.html", "notification_row", n=queries.get_row(user_id, notification_id),
                           unread=queries.unread_count(user_id), focus=True)
    return redirect_to(url_for("notifications.index"))


@bp.post("/notifications/read")
@login_required
def read_all():
    count = service.mark_all_read(current_user.user_id)
    flash(f"Marked {count:,} notification{'' if count == 1 else 's'} as read." if count
          else "Everything was already read.", "success")
    return redirect_to(url_for("notifications.index"))
