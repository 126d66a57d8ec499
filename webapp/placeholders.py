"""Pages whose feature has not landed yet: a clear "coming soon", not a 404.

Each feature's issue removes its path from COMING_SOON when its blueprint lands.
"""
from flask import Blueprint
from flask_login import login_required

from .accounts.access import role_required
from .htmx import render_page

bp = Blueprint("placeholders", __name__)

COMING_SOON = {
    "/people": ("People", "Browse photographers, models, make-up artists and more, and save searches."),
    "/studios": ("Studios", "Find studios by amenities, size and rate."),
    "/searches": ("Saved searches", "Your saved searches, their alerts and pauses."),
    "/notifications": ("Notifications", "New matches for your saved searches."),
    "/feed": ("Feed", "Case studies, availability, touring dates and studio slots."),
    "/following": ("Following", "The people and creators you follow."),
    "/invites": ("Invites", "Your invite links, QR codes and share cards."),
    "/credits": ("Credits", "Your credit balance and its history."),
}


def _coming_soon(title: str, blurb: str):
    @login_required
    def view():
        return render_page("coming_soon.html", title=title, blurb=blurb)

    return view


for _path, (_title, _blurb) in COMING_SOON.items():
    bp.add_url_rule(_path, endpoint=_path.strip("/"), view_func=_coming_soon(_title, _blurb))


@bp.get("/growth")
@role_required("growth")
def growth():
    return render_page(
        "coming_soon.html", title="Growth", blurb="Referral funnel, credits, fraud review and alert volume."
    )


@bp.get("/r/<code>")
def public_invite(code: str):
    """The public invite page (no login); the referrals issue fills it in."""
    return render_page(
        "coming_soon.html", title="You're invited", blurb="Invite pages are coming soon. You can sign up now."
    )
