"""One rule at the edge: text PostgreSQL cannot store is refused before any view sees it.

PostgreSQL's text types refuse the NUL character, and a lone surrogate (JSON's `\\ud800`
escapes make one) cannot be encoded as UTF-8 at all: either one reaching a query was a 500.
Rather than a check per field, every request's path, query string, form fields (names and
values), uploaded file names and JSON strings are looked at once, before any view runs, and
a request carrying such text is a 400 through core.errors (page, htmx partial or JSON).

A signed request's body (accounts/access.signed_request) is left to its view: its signature is
checked before anything reads the body, so a caller without the secret gets its 401 whatever it
sent, and the view's strict model refuses such text itself. Its path and query are looked at here.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from flask import current_app, request

from .errors import Invalid

UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
MESSAGE = ("Part of this request ({where}) holds a character that cannot be stored: a NUL byte or "
           "half of a UTF-16 surrogate pair. Remove it and try again.")


def _json_texts(value, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield where, key
            yield from _json_texts(item, f"{where}.{key}")
    elif isinstance(value, list):
        for item in value:
            yield from _json_texts(item, where)


def _signed_view() -> bool:
    view = current_app.view_functions.get(request.endpoint)
    return any(rule.kind == "signed" for rule in getattr(view, "access_rules", ()))


def _texts() -> Iterator[tuple[str, str]]:
    """(where, text) for every piece of text the request carries to the app."""
    yield "the address", request.path
    for name, value in request.args.items(multi=True):
        yield "the address", name
        yield name, value
    if request.method in ("GET", "HEAD", "OPTIONS") or _signed_view():
        return
    for name, value in request.form.items(multi=True):
        yield name, name
        yield name, value
    for name, upload in request.files.items(multi=True):
        yield name, name
        yield name, upload.filename or ""
    if request.is_json:
        yield from _json_texts(request.get_json(silent=True), "the JSON body")


def refuse_unstorable_text() -> None:
    for where, text in _texts():
        if UNSTORABLE.search(text):
            raise Invalid(MESSAGE.format(where=UNSTORABLE.sub("\ufffd", where)))


def init_app(app) -> None:
    app.before_request(refuse_unstorable_text)
