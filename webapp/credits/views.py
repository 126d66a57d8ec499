"""/credits: the signed-in user's balance, pending rewards and history (thin over account.py)."""
from __future__ import annotations

from flask import request
from flask_login import current_user

from ..accounts.access import login_required
from ..core.htmx import is_htmx, render_page
from ..core.urls import more_links
from . import account, bp

TEMPLATE = "credits/index.html"


@bp.get("/credits")
@login_required
def index():
    after = account.decode_cursor(request.args.get("after"))
    rows, next_cursor = account.history_page(current_user.user_id, after)
    more = more_links("credits.index", next_cursor)
    if after and is_htmx():
        return render_page(TEMPLATE, "credit_history_rows", rows=rows, after=after, **more)
    return render_page(TEMPLATE, summary=account.summary(current_user.user_id), scope=account.scope(),
                       rows=rows, after=after, **more)
