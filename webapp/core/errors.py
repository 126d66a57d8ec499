"""The service outcomes every feature raises, and the one set of handlers that answers them.

Services say what happened with NotFound, Refused, Invalid or Throttled; views don't translate
them. The handlers answer in the form the request asked for: JSON for API clients, a
message partial for htmx (retargeted to the page's alert region, #messages, so a failed
button press shows why instead of silently swapping nothing), a full page otherwise.
A form view that wants the messages beside its fields catches Invalid with
core.forms.errors_on instead (a 422 re-render).
"""
from __future__ import annotations

import logging
from typing import TypeVar

from flask import current_app, get_template_attribute, jsonify, make_response, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from .htmx import is_htmx

log = logging.getLogger(__name__)


class NotFound(LookupError):
    """No such thing for this user: answered 404, exactly like a missing one (the message is for logs)."""


class Refused(PermissionError):
    """Allowed to see it, not allowed to do this: 403 with the message as written (or the generic one)."""


class Invalid(ValueError):
    """Input that cannot be used: 400 with the message as written.

    `fields` maps form field names to their own messages, so a form can show each
    beside its field; the message defaults to all of them.
    """

    def __init__(self, message: str = "", fields: dict[str, str] | None = None):
        self.fields = dict(fields or {})
        super().__init__(message or "; ".join(self.fields.values()))


class Throttled(Exception):
    """Too many attempts of something counted outside the rate limiter (failed log-ins per account):
    429, the same page as a rate limit's, with Retry-After."""

    def __init__(self, retry_after: int):
        self.retry_after = retry_after
        super().__init__(f"retry after {retry_after} s")


Row = TypeVar("Row")


def found(row: Row | None, key: object = None) -> Row:
    """`row`, or NotFound when the lookup found nothing: a lookup and its 404 in one line."""
    if row is None:
        raise NotFound(key)
    return row


MESSAGES = {
    400: ("Something in that request was not right", "Check the form and try again."),
    # Only signed requests answer 401 (people are sent to log in instead): the caller is a program.
    401: ("Signature missing or wrong", "Sign the raw body: X-Growth-Signature: sha256=<hex HMAC-SHA256>."),
    403: ("You can't see this page", "Your account does not have access to it."),
    404: ("Page not found", "It may have been removed, or the link is wrong."),
    405: ("That action isn't allowed here", "Use the buttons on the page instead."),
    413: ("That upload is too large", "Choose a smaller file."),
    429: ("Too many attempts", "Wait a minute, then try again."),
    500: ("Something went wrong on our side", "It has been logged. Try again in a moment."),
    503: ("Growth desk is briefly unavailable", "The database is not answering. Try again shortly."),
}

# Blueprints whose callers are programs, not people (the marketplace's internal events
# endpoint): their errors are JSON whatever the caller accepts.
JSON_BLUEPRINTS = {"internal"}


def wants_json() -> bool:
    """An API client: a JSON blueprint's route, or a caller that prefers JSON to HTML."""
    if request.blueprint in JSON_BLUEPRINTS:
        return True
    return request.accept_mimetypes.best_match(("text/html", "application/json")) == "application/json"


def render_error(status: int, detail: str | None = None, fields: dict[str, str] | None = None):
    title, hint = MESSAGES.get(status, MESSAGES[500])
    if wants_json():
        body = {"error": title, "message": detail or hint}
        if fields:
            body["fields"] = fields
        return jsonify(body), status
    hint = detail or hint
    if is_htmx():
        headers = {"HX-Retarget": "#messages", "HX-Reswap": "innerHTML"}
        return get_template_attribute("errors/_macros.html", "message")(title, hint), status, headers
    render = _render_without_account if status == 503 else render_template
    return render("errors/page.html", status=status, title=title, hint=hint), status


def _render_without_account(template: str, **context) -> str:
    """A page drawn as for a visitor who is not signed in, without asking the database who is.

    A 503 means the database is not answering, and render_template would ask it anyway: Flask-Login's
    context processor loads the signed-in user for every template. So the 503 page skips the context
    processors (Flask's globals — url_for, request, config, csrf_token — are still there). The htmx
    message is a macro, which asks nobody.
    """
    anonymous = current_app.login_manager.anonymous_user()
    return current_app.jinja_env.get_template(template).render(current_user=anonymous, **context)


def register_error_handlers(app) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(exc):
        return render_error(400, "Your session form expired. Reload the page and try again.")

    @app.errorhandler(NotFound)
    def not_found(exc):
        return render_error(404)

    @app.errorhandler(Refused)
    def refused(exc):
        return render_error(403, str(exc) or None)

    @app.errorhandler(Invalid)
    def invalid(exc):
        return render_error(400, str(exc), exc.fields)

    @app.errorhandler(Throttled)
    def throttled(exc):
        response = make_response(render_error(429))
        response.headers["Retry-After"] = str(exc.retry_after)
        return response

    # The database refused, dropped or did not answer (core/connections.py bounds every wait),
    # or every pooled connection stayed busy past DB_POOL_TIMEOUT.
    @app.errorhandler(OperationalError)
    @app.errorhandler(PoolTimeout)
    def database_down(exc):
        log.error("database unavailable: %s", exc)
        return render_error(503)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        # werkzeug's descriptions are not written for our users: the status picks the message.
        # Its headers are kept (a 405's Allow, a 429's Retry-After); the body is ours.
        response = make_response(render_error(exc.code or 500))
        for name, value in exc.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
        return response

    @app.errorhandler(Exception)
    def unexpected(exc):
        log.exception("unhandled error")
        return render_error(500)
