"""Small helpers so every view answers htmx and plain requests alike."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import make_response, redirect, render_template, request
from jinja2_fragments.flask import render_block


def is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true" and request.headers.get("HX-History-Restore-Request") != "true"


def render_page(template: str, block: str = "content", status: int = 200, **context):
    """The whole page on a normal GET; only `block` of it for htmx.

    The same template serves both, so a partial can never drift from the page.
    """
    body = render_block(template, block, **context) if is_htmx() else render_template(template, **context)
    return make_response(body, status)


def redirect_to(location: str, status: int = 303):
    """A redirect that also works when the request came from htmx.

    Back to the page the request came from (a `#fragment` aside), htmx is told to reload it instead:
    a browser told to go to its own address with another fragment only scrolls, and the page would
    keep showing what was true before the change."""
    if is_htmx():
        response = make_response("", 204)
        if _same_page(location, request.headers.get("HX-Current-URL", "")):
            response.headers["HX-Refresh"] = "true"
        else:
            response.headers["HX-Redirect"] = location
        return response
    return redirect(location, code=status)


def _same_page(location: str, current_url: str) -> bool:
    here, there = urlsplit(current_url), urlsplit(location)
    return bool(current_url) and (there.path, there.query) == (here.path, here.query)


def add_vary_header(response):
    """Pages and fragments share URLs: caches must key on HX-Request."""
    response.vary.add("HX-Request")
    return response
