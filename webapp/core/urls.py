"""Where links go: the one check for a redirect target a request names, and the one profile link.

Every URL the app writes comes from `url_for`; `profile_url` is its short form for the
page of anything a card links to, and `path_building_context` lets code outside a request
(the seed, a CLI command) build paths too. `safe_next` is the only way a `next` value a
request carries (a log-in link, a follow form) becomes a redirect.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import unquote, urljoin, urlsplit

from flask import current_app, has_request_context, request, url_for
from werkzeug.exceptions import HTTPException

# The page of each kind of profile (follow targets and directory rows): endpoint, id argument.
PROFILE_PAGES = {
    "service_profile": ("profiles.person", "user_id"),
    "studio": ("profiles.studio", "studio_id"),
    "fansub_creator": ("profiles.creator", "creator_id"),
}


def profile_url(kind: str, id: str) -> str:
    """The profile page of a service_profile (a person, by usr_ id), studio or fansub_creator."""
    endpoint, argument = PROFILE_PAGES[kind]
    return url_for(endpoint, **{argument: id})


def more_links(endpoint: str, cursor: str | None, anchor: str = "history") -> dict[str, str]:
    """The "Show more" of a history paged by cursor, as the template's `more_rows` takes it: without
    JavaScript the whole page at the next cursor, scrolled to the list (`next_url`); for htmx the same
    URL, whose answer is then the next rows alone (`next_rows_url`). Nothing on the last page."""
    if cursor is None:
        return {}
    return {"next_url": url_for(endpoint, after=cursor, _anchor=anchor),
            "next_rows_url": url_for(endpoint, after=cursor)}


def absolute_url(endpoint: str, **values) -> str:
    """A full URL for e-mails and link previews: PUBLIC_URL (required in production) before the
    path, or in development the address this request came in on."""
    return absolute_path(url_for(endpoint, **values))


def absolute_path(path: str) -> str:
    """`path` (one url_for built, or a helper such as directory_url) as a full URL, as absolute_url."""
    return urljoin(current_app.config.get("PUBLIC_URL") or request.host_url, path)


@contextmanager
def path_building_context() -> Iterator[None]:
    """Lets url_for build this site's paths where no request runs: the seed, `flask feed set-band`.

    url_for needs a request, or a SERVER_NAME that would also name the host of every full URL.
    A path does not depend on the host, so a stand-in request for the app's root will do
    (Flask's test_request_context: nothing else of it is used). Its host is LOCAL_URL, where
    `make run` serves: in development, without PUBLIC_URL, the links of an alert e-mail sent by
    `flask alerts run` then open on this machine. Build full URLs with absolute_url, never
    `_external=True`.
    """
    if has_request_context():
        yield
        return
    with current_app.test_request_context(base_url=current_app.config["LOCAL_URL"]):
        yield


def _odd(text: str) -> bool:
    """Whitespace or control characters: browsers drop some of them (a tab inside `/\t/evil`)."""
    return any(c.isspace() or unicodedata.category(c)[0] == "C" for c in text)


def is_site_path(target: object) -> bool:
    """True for a path on this site (`/people?city=berlin`), false for anything a browser
    could take to another host or scheme.

    Stricter than it need be, in the spirit of Django's `url_has_allowed_host_and_scheme`:
    one leading slash and no second one (`//evil` is another host); no backslash anywhere
    (browsers read `/\\evil` as `//evil`); no whitespace or control characters; no scheme
    or host; and the path percent-decoded (repeatedly: `%252F`) must pass the same tests,
    so `/%5Cevil` and `/%2F%2Fevil` are refused too. The app's own links never need any of it.
    """
    if not isinstance(target, str) or not target.startswith("/") or target.startswith("//"):
        return False
    if "\\" in target or _odd(target):
        return False
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return False
    path, previous = parts.path, None
    while path != previous:
        previous, path = path, unquote(path)
        if path.startswith("//") or "\\" in path or _odd(path):
            return False
    return True


def endpoint_of(target: object) -> str | None:
    """The endpoint a GET of `target` reaches, when it is a path on this site (`is_site_path`),
    else None: lets a stored path be held to a list of routes (`art.scene`, say) instead of to
    "anything on this site"."""
    if not is_site_path(target):
        return None
    try:
        endpoint, _ = current_app.url_map.bind("localhost").match(urlsplit(target).path, method="GET")
    except HTTPException:  # no such route, another method only, or a redirect to another path
        return None
    return endpoint


def safe_next(target: str | None, fallback: str) -> str:
    """`target` when it is a path on this site (`is_site_path`), else `fallback`."""
    return target if is_site_path(target) else fallback
