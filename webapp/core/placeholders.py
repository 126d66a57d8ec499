"""Pages whose feature has not landed yet: a clear "coming soon", not a 404.

Registered after every feature blueprint, and only for paths no feature
serves, so a feature takes its page over just by defining the route.
"""
from flask import Blueprint
from flask_login import login_required

from ..accounts.access import role_required
from .htmx import render_page

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


@role_required("growth")
def _growth():
    return render_page(
        "coming_soon.html", title="Growth", blurb="Referral funnel, credits, fraud review and alert volume."
    )


def _public_invite(code: str):
    """The public invite page (no login); the referrals issue fills it in."""
    return render_page(
        "coming_soon.html", title="You're invited", blurb="Invite pages are coming soon. You can sign up now."
    )


def init_app(app) -> None:
    bp = Blueprint("placeholders", __name__)  # made per app: create_app may run more than once
    taken = {rule.rule for rule in app.url_map.iter_rules()}
    views = {path: _coming_soon(title, blurb) for path, (title, blurb) in COMING_SOON.items()}
    views.update({"/growth": _growth, "/r/<code>": _public_invite})
    for path, view in views.items():
        if path not in taken:
            bp.add_url_rule(path, endpoint=path.strip("/").replace("<code>", "code").replace("/", "_"), view_func=view)
    app.register_blueprint(bp)
