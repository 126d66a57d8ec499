"""The public side of an invite: /r/<code> and its share card. No login anywhere here."""
from __future__ import annotations

from ..accounts.access import public
from ..core.htmx import render_page
from . import bp, codes, queries


@bp.get("/r/<code>")
@public
def public_invite(code: str):
    """The invite page anyone with the link opens (filled in by the public-page work)."""
    normal = codes.normalise(code)
    landing = queries.landing(normal) if normal else None
    if landing is None:  # a page of its own, not the bare 404: the visitor can still join
        return render_page("referrals/unknown_code.html", status=404)
    return render_page("referrals/public_invite.html", landing=landing)
