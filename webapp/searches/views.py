"""Saved-search routes: save from the builder, list, edit, delete, pause and resume, e-mail alerts on/off.

Each route loads the search through the signed-in user's id, so someone
else's search answers 404 on every route. What happened is always flash()ed: a plain
form's redirect shows it on the next page, an htmx answer (the one card, or the save
form's next step) carries it into the page's status region. A form the service
refuses comes back with its messages and a 422 (core.forms).

Deleting goes through a question first (docs/decisions.md, Saved searches — deleting):
GET /searches/<id>/delete asks, as a page or in place of the row; the POST deletes.
After an htmx action the answer puts the focus on what replaced the control used.
"""
from __future__ import annotations

from flask import flash, get_template_attribute, make_response, render_template, request, url_for
from flask_login import current_user

from ..accounts.access import login_required
from ..core.errors import Invalid
from ..core.forms import errors_on, form_status
from ..core.htmx import is_htmx, redirect_to, render_page
from ..directory.query import get_scope, parse_json, rows_from_query
from ..directory.service import directory_url
from . import bp, queries, service
from .forms import EmailAlertsForm, PauseForm, SaveSearchForm


def _label(search) -> str:
    if search.get("name"):
        return f"“{search['name']}”"
    return "“" + service.card(search, with_count=False)["description"] + "”"


def _save_answer(message: str, category: str, status: int = 200, *, link: bool = True):
    """htmx's answer to a save: the message flashed (into the status region), and beside the save
    button where to go next."""
    flash(message, category)
    save_next = get_template_attribute("searches/_macros.html", "save_next")
    return make_response(save_next(url_for("searches.index") if link else None), status)


def _refuse_save(form: SaveSearchForm):
    """The service refused the search (422); nothing was saved.

    htmx: the messages in the save form's status line. Without JavaScript: the builder
    again, the search's problem above it and a name's beside the name field.
    """
    if is_htmx():
        messages = [*form.form_errors, *(e for f in form for e in f.errors)]
        return _save_answer(" ".join(messages), "error", form_status(form), link=False)
    from ..directory.views import context

    scope = get_scope(form.scope.data)
    try:
        rows = rows_from_query(parse_json(form.query_json.data or "{}", scope), scope)
    except Invalid:
        rows = {"all": [], "any": []}
    ctx, _ = context(scope, form.city.data or "", rows, error=" ".join(form.form_errors) or None, save_form=form)
    return make_response(render_template("directory/index.html", **ctx), form_status(form))


def _saved_answer(outcome: service.SaveOutcome):
    search = outcome.search
    if outcome.created or outcome.updated:
        message = "Search saved." if outcome.created else "Search updated."
        if is_htmx():
            return _save_answer(f"{message} You'll get alerts when new matches appear.", "success")
        flash(message, "success")
        return redirect_to(url_for("searches.index"))
    message = f"You already have this search saved as {_label(search)}. Nothing new was saved."
    if is_htmx():
        return _save_answer(message, "info")
    flash(message, "info")
    scope = get_scope(search["scope"])
    rows = rows_from_query(parse_json(search["query_json"], scope), scope)
    return redirect_to(directory_url(scope, search["city"], rows))


@bp.get("/searches")
@login_required
def index():
    return _index()


def _index(refused_id: str | None = None, refused: PauseForm | None = None):
    """The list; `refused` is the pause form the service refused for search `refused_id`, with its messages.

    `?kept=<id>`: the delete question of that search was cancelled (htmx takes its row from this
    page), so its Delete control takes the focus back."""
    kept = request.args.get("kept")
    cards = [_drawn(c, refused if c["search"]["search_id"] == refused_id else None,
                    focus="delete" if c["search"]["search_id"] == kept else None)
             for c in service.cards(queries.list_searches(current_user.user_id))]
    return render_page("searches/index.html", status=form_status(refused) if refused else 200, cards=cards)


def _drawn(card: dict, pause_form: PauseForm | None = None, focus: str | None = None) -> dict:
    """A card as drawn: the service's view of the search and its pause form (fresh, or as sent).

    `focus`: the control that takes the focus when this card is an htmx answer ("pause", "resume",
    "delete"), the one that replaced the control used; a refused pause form focuses its date."""
    return dict(card, pause_form=pause_form or PauseForm(formdata=None), focus=focus)


@bp.get("/searches/<search_id>/alerts")
@login_required
def alerts(search_id):
    """A search's alert history, beyond the few its row shows (bounded: service.HISTORY_MAX)."""
    search, history = service.alert_history(current_user.user_id, search_id)
    return render_page("searches/alerts.html", search=search, label=_label(search), alerts=history,
                       limit=service.HISTORY_MAX)


@bp.post("/searches")
@login_required
def create():
    form = SaveSearchForm()
    if form.validate_on_submit():
        with errors_on(form):
            return _saved_answer(service.save(current_user.user_id, scope=form.scope.data, city=form.city.data,
                                              query_json=form.query_json.data, name=form.name.data))
    return _refuse_save(form)


@bp.post("/searches/<search_id>")
@login_required
def update(search_id):
    form = SaveSearchForm()
    if form.validate_on_submit():
        with errors_on(form):
            return _saved_answer(service.update(current_user.user_id, search_id, city=form.city.data,
                                                query_json=form.query_json.data, name=form.name.data))
    return _refuse_save(form)


@bp.get("/searches/<search_id>/edit")
@login_required
def edit(search_id):
    """Reopen the builder on this search; saving there updates it."""
    search = service.get(current_user.user_id, search_id)
    scope = get_scope(search["scope"])
    try:
        rows = rows_from_query(parse_json(search["query_json"], scope), scope)
    except Invalid:  # a field since removed from the catalogue: the builder opens without its rows
        rows = {"all": [], "any": []}
    return redirect_to(directory_url(scope, search["city"], rows, edit=search_id))


def _card_response(search, pause_form: PauseForm | None = None, focus: str | None = None):
    """One card alone (htmx); 422 when it carries a refused pause form."""
    status = form_status(pause_form) if pause_form else 200
    return render_page("searches/index.html", "search_row", status, c=_drawn(service.card(search), pause_form, focus))


@bp.get("/searches/<search_id>/delete")
@login_required
def confirm_delete(search_id):
    """The question before a delete: a page of its own without JavaScript, in place of the row with
    htmx (the row keeps its place, so nothing else moves under the pointer)."""
    search = service.get(current_user.user_id, search_id)
    block = "confirm_row" if is_htmx() else "content"
    return render_page("searches/delete.html", block, search=search, label=_label(search))


@bp.post("/searches/<search_id>/delete")
@login_required
def delete(search_id):
    search = service.get(current_user.user_id, search_id)
    label = _label(search)
    service.delete(current_user.user_id, search_id)
    flash(f"Deleted {label}.", "success")
    if is_htmx():
        # Its place in the list stays taken until the next visit: the rows below don't jump up.
        return render_page("searches/delete.html", "deleted_row", search=search, label=label)
    return redirect_to(url_for("searches.index"))


@bp.post("/searches/<search_id>/pause")
@login_required
def pause(search_id):
    search = service.get(current_user.user_id, search_id)
    form = PauseForm()
    if form.validate_on_submit():
        with errors_on(form):
            until = service.pause_date(until=form.until.data, quick=form.quick.data)
            search = service.pause(current_user.user_id, search_id, until)
            flash(f"Alerts paused until {until:%-d %b %Y}.", "success")
            if is_htmx():
                return _card_response(search, focus="resume")
            return redirect_to(url_for("searches.index"))
    if is_htmx():
        return _card_response(search, form)
    return _index(search_id, form)


@bp.post("/searches/<search_id>/resume")
@login_required
def resume(search_id):
    search = service.resume(current_user.user_id, search_id)
    flash("Alerts resumed.", "success")
    if is_htmx():
        return _card_response(search, focus="pause")
    return redirect_to(url_for("searches.index"))


@bp.post("/searches/<search_id>/email")
@login_required
def email_alerts(search_id):
    """E-mail alerts on or off for this search (the e-mail's unsubscribe link does "off" without a log-in)."""
    service.get(current_user.user_id, search_id)  # someone else's search: 404 before the form is read
    # CSRFProtect has checked the token before this view ran; the choice is the service's rule.
    search = service.set_email_alerts(current_user.user_id, search_id, EmailAlertsForm().email.data)
    flash("E-mail alerts on for this search." if search["email_alerts"] else
          "E-mail alerts off for this search. You still see its alerts in Growth desk.", "success")
    if is_htmx():
        return _card_response(search, focus="email")
    return redirect_to(url_for("searches.index"))
