"""Small helpers so every view answers htmx and plain requests alike."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import g, get_flashed_messages, get_template_attribute, make_response, redirect, render_template, request
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
    keep showing what was true before the change. A fragment rides along (htmx sets the address, then
    reloads), so the page comes back at the part that changed, and app.js puts the focus there."""
    if is_htmx():
        response = make_response("", 204)
        if _same_page(location, request.headers.get("HX-Current-URL", "")):
            response.headers["HX-Refresh"] = "true"
            if "#" in location:
                response.headers["HX-Redirect"] = location
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


def announce(text: str, category: str = "info") -> None:
    """Say `text` in the page's status region, for this htmx answer only.

    For what a live update shows and a reloaded page shows anyway ("3 people match"). A message about
    a change the person made is `flash()`ed instead: it reaches the page that follows, with or without
    JavaScript, and an htmx answer carries it too (announce_out_of_band)."""
    if is_htmx():
        g.setdefault("announcements", []).append((category, text))


# Answers that say what to do instead of being swapped, or that are already aimed at the region.
_NOT_SWAPPED = ("HX-Redirect", "HX-Refresh", "HX-Location")


def announce_out_of_band(response):
    """An htmx answer carries the messages flashed (or announced) while making it, out of band into
    the page's one status region (#messages). A redirect or a refresh leaves flashes for the next
    page, which draws them itself."""
    if (not is_htmx() or response.status_code == 204 or response.is_streamed or response.mimetype != "text/html"
            or any(h in response.headers for h in _NOT_SWAPPED) or response.headers.get("HX-Retarget") == "#messages"):
        return response
    items = get_flashed_messages(with_categories=True) + g.pop("announcements", [])
    if items:
        out_of_band = get_template_attribute("_messages.html", "out_of_band")
        response.set_data(response.get_data(as_text=True) + str(out_of_band(items)))
    return response
