"""Growth team routes: thin views over growth/service.py."""
from __future__ import annotations

from ..accounts.access import role_required
from ..core import reads
from ..core.htmx import render_page
from . import bp


@bp.get("/growth/programs")
@role_required("growth")
def programs():
    rows = reads.rows("select program_id, name, kind, active from referral_program order by created_at desc")
    return render_page("growth/programs.html", programs=rows)
