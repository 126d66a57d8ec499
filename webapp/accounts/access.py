"""Access rules as decorators, so each view states who may use it.

Every route carries exactly one rule: `public` (anyone, signed in or not),
`login_required` (any signed-in user) or `role_required(...)` (signed-in users
with one of the roles). Each records itself on the view as `access_rules`, and
the harness (tests/harness/test_access_rules.py) fails for a route with none or
with more than one, so a new route cannot ship without saying who may open it.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import wraps

import flask_login
from flask_login import current_user

from ..core.errors import Refused


@dataclass(frozen=True)
class Access:
    """Who may use a view: kind is "public", "login" or "role" (then `roles` says which)."""

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
