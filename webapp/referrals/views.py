"""The public side of an invite: /r/<code> and its share card. No login anywhere here."""
from __future__ import annotations

from flask import Response, request
from flask_login import current_user

from ..accounts.access import public
from ..core import limits
from ..core.errors import NotFound
from ..core.extensions import limiter
from ..core.htmx import render_page
from ..core.urls import absolute_url
from . import attribution, bp, codes, offers, queries, rules, sharecard

# How long a visitor's browser may keep the invite page (docs/decisions.md, "Invites — attribution").
VISITOR_PAGE_SECONDS = 300


@bp.get("/r/<code>")
@public
@limiter.limit(limits.INVITE_PAGE)
def public_invite(code: str):
    """The invite page anyone with the link opens: public by design (the link is shared to be opened).

    One indexed lookup, no database write: a visitor's attribution lives in their cookie
    (attribution.py), written only while no earlier valid invite holds it. A malformed or huge
    code never reaches the database. Signed-in visitors see where they stand instead.
    """
    normal = codes.normalise(code)
    landing = queries.landing(normal) if normal else None
    if landing is None:  # a page of its own, not the bare 404: the visitor can still join
        return render_page("referrals/unknown_code.html", status=404)
    mine = current_user.is_authenticated and current_user.user_id == landing["inviter_user_id"]
    invitee_role = rules.invitee_role(landing["kind"], landing["inviter_role"])
    response = render_page("referrals/public_invite.html", landing=landing, mine=mine,
                           member=current_user.is_authenticated, scope_in_words=offers.SCOPE_IN_WORDS,
                           welcome=offers.welcome(landing), for_providers=invitee_role == "provider",
                           page_url=absolute_url("referrals.public_invite", code=landing["code"]),
                           card_url=absolute_url("referrals.share_card", code=landing["code"], v=landing["version"]))
    if current_user.is_authenticated:
        return response  # a member's own state: no cookie, and no-store like every signed-in page
    attribution.remember_visit(response, landing["code"], rules.source_of(request.args.get("s")),
                               still_valid=lambda other: queries.landing(other) is not None)
    # A visitor's page holds nothing of theirs but a CSRF token bound to their own session, so
    # their browser may keep it briefly; no shared cache may (it sets cookies), and a log-in in
    # between changes the Cookie header the page varies on.
    response.headers["Cache-Control"] = f"private, max-age={VISITOR_PAGE_SECONDS}"
    response.vary.add("Cookie")
    return response


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
