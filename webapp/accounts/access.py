"""Access rules as decorators, so each view states who may use it."""
from __future__ import annotations

from functools import wraps

from flask_login import current_user, login_required

from ..core.errors import Refused


def role_required(*roles: str):
    """Signed-in users with one of `roles`; others get a 403 page."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                raise Refused()
            return view(*args, **kwargs)

        return wrapped

    return decorator
