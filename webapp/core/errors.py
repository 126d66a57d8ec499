"""Error pages: a full page on a normal request, a message partial for htmx.

For htmx the message is retargeted to the page's alert region (#messages), so
a failed button press shows why instead of silently swapping nothing.
"""
from __future__ import annotations

import logging

from flask import render_template
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from .htmx import is_htmx

log = logging.getLogger(__name__)


class NotFound(LookupError):
    """No such thing for this user: answered 404, exactly like a missing one."""


class Refused(PermissionError):
    """Allowed to see it, not allowed to do this: 403 with the message as written."""


class Invalid(ValueError):
    """Input that cannot be used: 400 with the message as written."""

MESSAGES = {
    400: ("Something in that request was not right", "Check the form and try again."),
    403: ("You can't see this page", "Your account does not have access to it."),
    404: ("Page not found", "It may have been removed, or the link is wrong."),
    405: ("That action isn't allowed here", "Use the buttons on the page instead."),
    413: ("That upload is too large", "Choose a smaller file."),
    429: ("Too many attempts", "Wait a minute, then try again."),
    500: ("Something went wrong on our side", "It has been logged. Try again in a moment."),
    503: ("Growth desk is briefly unavailable", "The database is not answering. Try again shortly."),
}


def render_error(status: int, detail: str | None = None):
    title, hint = MESSAGES.get(status, MESSAGES[500])
    context = {"status": status, "title": title, "hint": detail or hint}
    if is_htmx():
        response_body = render_template("errors/_message.html", **context)
        headers = {"HX-Retarget": "#messages", "HX-Reswap": "innerHTML"}
        return response_body, status, headers
    return render_template("errors/page.html", **context), status


def register_error_handlers(app) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(exc):
        return render_error(400, "Your session form expired. Reload the page and try again.")

    @app.errorhandler(NotFound)
    def not_found(exc):
        return render_error(404)

    @app.errorhandler(Refused)
    def refused(exc):
        return render_error(403, str(exc))

    @app.errorhandler(Invalid)
    def invalid(exc):
        return render_error(400, str(exc))

    @app.errorhandler(OperationalError)
    def database_down(exc):
        log.error("database unavailable: %s", exc)
        return render_error(503)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        status = exc.code or 500
        # Our own abort(…, description=...) texts are written for users; werkzeug's
        # defaults are not, so only pass a description we set ourselves.
        detail = exc.description if getattr(exc, "user_message", False) else None
        if isinstance(exc, InternalServerError):
            detail = None
        if isinstance(exc, ServiceUnavailable):
            status = 503
        return render_error(status, detail)

    @app.errorhandler(Exception)
    def unexpected(exc):
        log.exception("unhandled error")
        return render_error(500)


def user_error(status: int, message: str) -> HTTPException:
    """An HTTPException whose message is shown to the user as written."""
    from werkzeug.exceptions import default_exceptions

    exc = default_exceptions[status](description=message)
    exc.user_message = True
    return exc
