"""/invites: thin views over invites/service.py."""
from __future__ import annotations

from flask_login import current_user

from ..accounts.access import login_required
from ..core.htmx import render_page
from ..referrals import queries as referral_queries
from . import bp


@bp.get("/invites")
@login_required
def index():
    referral_queries.ensure_codes(current_user.user_id, current_user.role)
    links = referral_queries.codes_of(current_user.user_id, current_user.role)
    return render_page("invites/index.html", links=links)
