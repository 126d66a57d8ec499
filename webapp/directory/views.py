"""People and studios directories with the condition builder.

GET /people and /studios serve the whole page on a plain request and the
results block (live count and top matches) for htmx; the URL carries the whole
builder, so every pushed URL is a full, shareable page. GET /<scope>/builder
redraws the builder after a structural edit (a row added, removed or its field
changed) and refreshes the results out of band.

While someone types, a value that is not usable yet (a number out of range, half
typed) does not blank the results: htmx gets a 200 that swaps nothing but the
quiet hint beside that row, so the last good matches and their count stay.
"""
from __future__ import annotations

from datetime import date

from flask import get_template_attribute, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from jinja2_fragments.flask import render_blocks

from ..accounts.access import login_required
from ..core.errors import Invalid
from ..core.htmx import announce, is_htmx
from ..core.taxonomy import CITIES
from ..searches import service as searches
from ..searches.forms import SaveSearchForm
from . import bp, cards
from .catalogue import MAX_CONDITIONS, OPERATOR_LABELS, SCOPES, Scope
from .query import GROUPS, row_problems, rows_from_args
from .service import apply_edit, count_sentence, default_city, directory_url, new_after, parse_since, search

bp.add_app_template_global(cards.card, "directory_card")


def _edit_search(search_id: str | None, scope: Scope):
    """The saved search being edited (404 for someone else's, a missing one or another scope's)."""
    return searches.get(current_user.user_id, search_id, scope=scope.name) if search_id else None


def context(scope: Scope, city: str, rows, *, error: str | None = None, after: str | None = None,
            edit=None, save_form: SaveSearchForm | None = None, since: date | None = None,
            focus: str | None = None) -> tuple[dict, int]:
    """Everything the directory template needs; runs the search unless there is already an error.

    The builder's own problems are a 400 with the message in it (a search, not a refused form).
    `save_form` is the save form as sent, when the service refused it; else it holds this search.
    `focus`: the id of the builder control that takes the focus after an edit (htmx only).
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
        cities=CITIES, operator_labels=OPERATOR_LABELS, focus=focus,
        # Each row's own problem, drawn beside it; the builder's message says only what no row does.
        problems=row_problems(rows, scope) if error else {},
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
        if ctx["problems"] and status == 400:
            return _hints_only(rows, ctx["problems"])
        if ctx["results"] and not ctx["after"]:  # a next page doesn't change the count
            announce(count_sentence(scope, ctx["results"]))
        # The new matches, and the builder's message and the rows' hints beside them (out of band).
        body = render_blocks("directory/index.html", ["results", "builder_message"], message_oob=True, **ctx)
        body += str(_row_hints()(rows, {}))
    else:
        body = render_template("directory/index.html", **ctx)
    return make_response(body, status)


def _row_hints():
    return get_template_attribute("directory/_macros.html", "row_hints")


def _hints_only(rows, problems: dict[str, str]):
    """A value someone is still typing doesn't make a search yet: the last good results (and their
    count) stay, the row says what is wrong, and the half-typed URL is not pushed into history."""
    response = make_response(str(_row_hints()(rows, problems)), 200)
    response.headers["HX-Reswap"] = "none"
    response.headers["HX-Push-Url"] = "false"
    return response


def _focus_after(rows, *, add: str | None, remove: str | None) -> str | None:
    """The control that takes the focus after an edit: an added row's first control; after a removal,
    the previous row's remove button, or the group's add button when the first row went."""
    if add in GROUPS and rows[add]:
        return f"{add}-{len(rows[add]) - 1}-field"
    group, _, index = (remove or "").partition("-")
    if group in GROUPS and index.isdigit():
        return f"{group}-{int(index) - 1}-remove" if int(index) > 0 else f"add-{group}"
    return None


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
    focus = None if refused else _focus_after(rows, add=args.get("add"), remove=args.get("remove"))
    ctx, status = context(scope, city, rows, error=refused, edit=edit, focus=focus)
    ctx["oob"] = True
    if ctx["results"] and args.get("remove"):  # a removed condition can change the count; an added one can't yet
        announce(count_sentence(scope, ctx["results"]))
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
