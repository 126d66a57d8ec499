"""The public side of an invite: /r/<code> and its share card. No login anywhere here."""
from __future__ import annotations

from flask import Response, request

from ..accounts.access import public
from ..core.errors import NotFound
from ..core.htmx import render_page
from ..core.urls import absolute_url
from . import bp, codes, queries, sharecard


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
    """The share card (1200×630 PNG) link previews show for /r/<code>: drawn once per process and
    key (sharecard.py), revalidated by ETag, kept a day by browsers and crawlers."""
    normal = codes.normalise(code)
    landing = queries.landing(normal) if normal else None
    if landing is None:
        raise NotFound("no such invite code")
    card = sharecard.share_card(landing, absolute_url("referrals.public_invite", code=normal, s="sharecard"))
    if request.if_none_match.contains(card.etag):
        response = Response(status=304)  # the client's copy is this card: nothing drawn, nothing sent
    else:
        response = Response(card.png(), mimetype="image/png")
    response.set_etag(card.etag)
    response.headers["Cache-Control"] = sharecard.CACHE_CONTROL
    return response
