"""Saved-search routes: save from the builder, list, edit, delete, pause and resume.

Each route loads the search through the signed-in user's id, so someone
else's search answers 404 on every route. htmx requests get the one card (or
status line) back; plain forms get a redirect with a flash message.
"""
from __future__ import annotations

from flask import abort, flash, make_response, render_template, request, url_for
from flask_login import current_user, login_required

from ..directory.query import QueryError, get_scope, parse_json, rows_from_query
from ..directory.service import directory_url
from ..core.htmx import is_htmx, redirect_to, render_page
from . import bp, queries, service


def _label(search) -> str:
    if search.get("name"):
        return f"“{search['name']}”"
    return "“" + service.card(search, with_count=False)["description"] + "”"


def _status(kind: str, message: str, status: int, link: tuple[str, str] | None = None):
    body = render_template("searches/_status.html", kind=kind, message=message, link=link)
    return make_response(body, status)


def _refuse_save(message: str, form):
    """Bad input: a 400 with the message in the builder; nothing was saved."""
    if is_htmx():
        return _status("error", message, 400)
    from ..directory.views import context

    try:
        scope = get_scope(form.get("scope"))
    except QueryError:
        return render_page("errors/page.html", status=400, title="That search can't be saved", hint=message)
    try:
        rows = rows_from_query(parse_json(form.get("query_json") or "{}", scope), scope)
    except QueryError:
        rows = {"all": [], "any": []}
    ctx, _ = context(scope, form.get("city") or "", rows, error=message)
    return make_response(render_template("directory/index.html", **ctx), 400)


def _saved_answer(outcome: service.SaveOutcome, form):
    search = outcome.search
    if outcome.created or outcome.updated:
        message = "Search saved." if outcome.created else "Search updated."
        if is_htmx():
            return _status("success", f"{message} You'll get alerts when new matches appear.", 200,
                           (url_for("searches.index"), "See your saved searches"))
        flash(message, "success")
        return redirect_to(url_for("searches.index"))
    message = f"You already have this search saved as {_label(search)}. Nothing new was saved."
    if is_htmx():
        return _status("info", message, 200, (url_for("searches.index"), "See your saved searches"))
    flash(message, "info")
    scope = get_scope(search["scope"])
    return redirect_to(directory_url(scope, search["city"], rows_from_query(parse_json(search["query_json"], scope), scope)))


@bp.get("/searches")
@login_required
def index():
    cards = service.cards(queries.list_searches(current_user.user_id))
    return render_page("searches/index.html", cards=cards)


@bp.post("/searches")
@login_required
def create():
    form = request.form
    try:
        outcome = service.save(current_user.user_id, scope=form.get("scope"), city=form.get("city"),
                               query_json=form.get("query_json"), name=form.get("name"))
    except (QueryError, service.SearchError) as exc:
        return _refuse_save(str(exc), form)
    return _saved_answer(outcome, form)


def _own(search_id: str):
    search = queries.get_search(current_user.user_id, search_id)
    if search is None:
        abort(404)
    return search


@bp.post("/searches/<search_id>")
@login_required
def update(search_id):
    _own(search_id)
    form = request.form
    try:
        outcome = service.update(current_user.user_id, search_id, city=form.get("city"),
                                 query_json=form.get("query_json"), name=form.get("name"))
    except (QueryError, service.SearchError) as exc:
        return _refuse_save(str(exc), form)
    return _saved_answer(outcome, form)


@bp.get("/searches/<search_id>/edit")
@login_required
def edit(search_id):
    """Reopen the builder on this search; saving there updates it."""
    search = _own(search_id)
    scope = get_scope(search["scope"])
    try:
        rows = rows_from_query(parse_json(search["query_json"], scope), scope)
    except QueryError:
        rows = {"all": [], "any": []}
    return redirect_to(directory_url(scope, search["city"], rows, edit=search_id))


def _card_response(search, *, error: str | None = None, status: int = 200):
    return make_response(render_template("searches/_search.html", c=service.card(search), error=error), status)


@bp.post("/searches/<search_id>/delete")
@login_required
def delete(search_id):
    search = _own(search_id)
    label = _label(search)
    service.delete(current_user.user_id, search_id)
    if is_htmx():
        return make_response(render_template("searches/_deleted.html", label=label), 200)
    flash(f"Deleted {label}.", "success")
    return redirect_to(url_for("searches.index"))


@bp.post("/searches/<search_id>/pause")
@login_required
def pause(search_id):
    search = _own(search_id)
    try:
        until = service.pause_date(until=request.form.get("until"), quick=request.form.get("quick"))
    except service.SearchError as exc:
        if is_htmx():
            return _card_response(search, error=str(exc), status=400)
        flash(str(exc), "error")
        return redirect_to(url_for("searches.index"))
    search = service.pause(current_user.user_id, search_id, until)
    if is_htmx():
        return _card_response(search)
    flash(f"Alerts paused until {until:%-d %b %Y}.", "success")
    return redirect_to(url_for("searches.index"))


@bp.post("/searches/<search_id>/resume")
@login_required
def resume(search_id):
    _own(search_id)
    search = service.resume(current_user.user_id, search_id)
    if is_htmx():
        return _card_response(search)
    flash("Alerts resumed.", "success")
    return redirect_to(url_for("searches.index"))
