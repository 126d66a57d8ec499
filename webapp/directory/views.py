"""People and studios directories with the condition builder.

GET /people and /studios serve the whole page on a plain request and the
results block (live count and top matches) for htmx; the URL carries the whole
builder, so every pushed URL is a full, shareable page. GET /<scope>/builder
redraws the builder after a structural edit (a row added, removed or its field
changed) and refreshes the results out of band.
"""
from __future__ import annotations

from datetime import date

from flask import make_response, redirect, render_template, request, url_for
from flask_login import current_user
from jinja2_fragments.flask import render_blocks

from ..accounts.access import login_required
from ..core.errors import Invalid
from ..core.htmx import is_htmx
from ..core.taxonomy import CITIES
from ..searches import service as searches
from ..searches.forms import SaveSearchForm
from . import bp, cards
from .catalogue import MAX_CONDITIONS, OPERATOR_LABELS, SCOPES, Scope
from .query import rows_from_args
from .service import apply_edit, default_city, directory_url, new_after, parse_since, search

bp.add_app_template_global(cards.card, "directory_card")
bp.add_app_template_global(cards.datalists, "directory_datalists")


def _edit_search(search_id: str | None, scope: Scope):
    """The saved search being edited (404 for someone else's, a missing one or another scope's)."""
    return searches.get(current_user.user_id, search_id, scope=scope.name) if search_id else None


def context(scope: Scope, city: str, rows, *, error: str | None = None, after: str | None = None,
            edit=None, save_form: SaveSearchForm | None = None, since: date | None = None) -> tuple[dict, int]:
    """Everything the directory template needs; runs the search unless there is already an error.

    The builder's own problems are a 400 with the message in it (a search, not a refused form).
    `save_form` is the save form as sent, when the service refused it; else it holds this search.
    """
    results = None
    if error is None:
        try:
            # The follow state of the page's people comes with the page query (viewer_id).
            results = search(scope, city, rows, after=after, viewer_id=current_user.user_id)
        except Invalid as exc:
            error = str(exc)
    status = 400 if error else 200
    if save_form is None and results:
        save_form = SaveSearchForm(formdata=None, scope=scope.name, city=city, query_json=results.query_json,
                                   name=(edit["name"] if edit else "") or "")
    edit_id = edit["search_id"] if edit else None
    next_url = (directory_url(scope, city, rows, edit=edit_id, after=results.next_cursor, since=since)
                if results and results.next_cursor else None)
    ctx = dict(
        scope=scope, city=city, rows=rows, error=error, results=results, edit=edit, save_form=save_form,
        cities=CITIES, operator_labels=OPERATOR_LABELS,
        max_conditions=MAX_CONDITIONS, after=after, next_url=next_url,
        first_url=directory_url(scope, city, rows, edit=edit_id, since=since) if after else None,
        # An alert's new matches (notifications): entries that appeared after the end of `since`.
        since=since, new_after=new_after(since),
        builder_url=url_for(f"directory.{scope.name}_builder"), page_url=url_for(f"directory.{scope.name}"),
    )
    return ctx, status


def _read_request(scope: Scope):
    args = request.args
    city = args.get("city") or default_city(current_user.city)
    edit = _edit_search(args.get("edit"), scope)
    return args, city, edit


def _render(scope: Scope):
    args, city, edit = _read_request(scope)
    error = None
    try:
        rows = rows_from_args(args, scope, lenient="add" in args or "remove" in args)
    except Invalid as exc:
        rows, error = {"all": [], "any": []}, str(exc)
    if ("add" in args or "remove" in args) and error is None:
        # The builder's buttons without JavaScript: apply, then land on the clean URL.
        refused = apply_edit(rows, scope, add=args.get("add"), remove=args.get("remove"))
        if refused is None:
            return redirect(directory_url(scope, city, rows, edit=args.get("edit")), code=303)
        error = refused
    ctx, status = context(scope, city, rows, error=error, after=args.get("after") or None, edit=edit,
                          since=parse_since(args.get("since")))
    if is_htmx():
        # The new matches, and the builder's message beside them (out of band).
        body = render_blocks("directory/index.html", ["results", "builder_message"], message_oob=True, **ctx)
    else:
        body = render_template("directory/index.html", **ctx)
    return make_response(body, status)


def _builder(scope: Scope):
    args, city, edit = _read_request(scope)
    try:
        rows = rows_from_args(args, scope, lenient=True)
        refused = apply_edit(rows, scope, add=args.get("add"), remove=args.get("remove"))
    except Invalid as exc:
        rows, refused = {"all": [], "any": []}, str(exc)
    url = directory_url(scope, city, rows, edit=args.get("edit"))
    if not is_htmx():
        return redirect(url, code=303)
    ctx, status = context(scope, city, rows, error=refused, edit=edit)
    ctx["oob"] = True
    body = render_blocks("directory/index.html", ["builder", "results"], **ctx)
    response = make_response(body, status)
    response.headers["HX-Push-Url"] = url
    return response


@bp.get("/people")
@login_required
def people():
    return _render(SCOPES["people"])


@bp.get("/studios")
@login_required
def studios():
    return _render(SCOPES["studios"])


@bp.get("/people/builder")
@login_required
def people_builder():
    return _builder(SCOPES["people"])


@bp.get("/studios/builder")
@login_required
def studios_builder():
    return _builder(SCOPES["studios"])
