"""Dashboard routes."""
from flask_login import current_user

from ..accounts.access import login_required
from ..core import clock
from ..core.htmx import render_page
from . import bp, queries


@bp.get("/")
@login_required
def index():
    summary = queries.user_summary(current_user.user_id, clock.today())
    return render_page("dashboard/index.html", summary=summary)
