"""Access rules as decorators, so each view states who may use it.

Every route carries exactly one rule: `public` (anyone, signed in or not),
`login_required` (any signed-in user), `role_required(...)` (signed-in users
with one of the roles), `signed_request` (programs that sign the request's body
with the shared secret: the marketplace's events; no person, no session) or
`token_link` (whoever holds a signed link from an e-mail: the alert e-mail's
unsubscribe and pause links; the token in the path is the proof).
Each records itself on the view as `access_rules`, and
the harness (tests/harness/test_access_rules.py) fails for a route with none or
with more than one, so a new route cannot ship without saying who may open it.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import wraps

import flask_login
from flask import current_app, request
from flask_login import current_user
from werkzeug.exceptions import Unauthorized

from ..core.errors import Refused
from ..core.extensions import csrf
from ..core.security import SIGNATURE_HEADER, signature_matches

# A signed request is a small message (an event is a few hundred bytes): nothing bigger is read.
MAX_SIGNED_BODY = 64 * 1024


@dataclass(frozen=True)
class Access:
    """Who may use a view: kind is "public", "login", "role" (then `roles` says which), "signed" or "token"."""

    kind: str
    roles: tuple[str, ...] = ()


def _mark(view, rule: Access):
    # functools.wraps copies the inner view's rules onto a wrapper, so stacked rules add up and show.
    view.access_rules = (*getattr(view, "access_rules", ()), rule)
    return view


def public(view):
    """Anyone may open it, signed in or not (log-in, sign-up, health check, generated art, invite page)."""
    return _mark(view, Access("public"))


def login_required(view):
    """Signed-in users only; others are sent to the log-in page (Flask-Login's rule)."""
    return _mark(flask_login.login_required(view), Access("login"))


def role_required(*roles: str):
    """Signed-in users with one of `roles`; others get a 403 page."""

    def decorator(view):
        @wraps(view)
        @flask_login.login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                raise Refused()
            return view(*args, **kwargs)

        return _mark(wrapped, Access("role", roles))

    return decorator


def signed_request(view):
    """Programs that sign the raw body: `X-Growth-Signature: sha256=<hex HMAC-SHA256>` under
    INTERNAL_EVENTS_SECRET (or one of its fallbacks while it rotates). Missing or wrong: 401,
    before the view runs or anything is read from the body beyond its bytes.

    No session and no CSRF token: the caller is not a browser, and the signature is what a
    token would prove (that the request comes from who holds the secret), so the view is
    exempted from CSRF here, with its rule.
    """

    @wraps(view)
    def wrapped(*args, **kwargs):
        request.max_content_length = MAX_SIGNED_BODY  # past it: 413, unread
        secrets = [current_app.config["INTERNAL_EVENTS_SECRET"],
                   *current_app.config.get("INTERNAL_EVENTS_SECRET_FALLBACKS", ())]
        if not signature_matches(request.get_data(cache=True), request.headers.get(SIGNATURE_HEADER), secrets):
            raise Unauthorized()
        return view(*args, **kwargs)

    csrf.exempt(wrapped)
    return _mark(wrapped, Access("signed"))


def token_link(view):
    """Whoever holds the link: the view's `token` path argument is signed by us for one object and
    one action (webapp/alerts/links.py), and the view checks it before anything else; tampered or
    unknown, nothing changes (400/404). No log-in: the link comes from an e-mail and must work in a
    mail client or a fresh browser.

    Exempted from CSRF with its rule: RFC 8058 one-click unsubscribe is a POST sent by the mail
    client itself, with no session and so no CSRF token. CSRF guards a session's authority against
    forged requests; this POST carries no session authority, only the token, which a forger cannot
    make and only the mailbox holds (docs/security.md, "Alert e-mail links").
    """
    csrf.exempt(view)
    return _mark(view, Access("token"))
