"""The public side of an invite: /r/<code> and its share card. No login anywhere here."""
from __future__ import annotations

from ..accounts.access import public
from ..core.errors import NotFound
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


@bp.get("/r/<code>/card.png")
@public
def share_card(code: str):
    """The share card (1200×630 PNG) link previews show for /r/<code> (filled in by the share-card work)."""
    normal = codes.normalise(code)
    landing = queries.landing(normal) if normal else None
    if landing is None:
        raise NotFound("no such invite code")
    from io import BytesIO

    from PIL import Image  # a blank card until the share-card work draws the real one
    out = BytesIO()
    Image.new("RGB", (1200, 630), "white").save(out, "PNG")
    return out.getvalue(), 200, {"Content-Type": "image/png"}
