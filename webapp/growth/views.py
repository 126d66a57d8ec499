"""Growth team routes (role growth only): referral programs and their invites, the fraud review
queue, and one user's credits. Thin views over growth/service.py: parse, call the service, render
the page or the one block htmx asked for."""
from __future__ import annotations

from flask import flash, request, url_for
from flask_login import current_user

from ..accounts.access import role_required
from ..core.errors import Invalid
from ..core.forms import errors_on, form_status
from ..core.htmx import is_htmx, redirect_to, render_page
from ..core.templating import money
from ..core.urls import safe_next
from . import bp, service
from .forms import AdjustmentForm, ProgramForm


@bp.get("/growth/programs")
@role_required("growth")
def programs():
    return render_page("growth/programs.html", programs=service.programs())


def _form_page(form: ProgramForm, program: dict | None = None):
    """The new/edit page (its form block for htmx); 422 when the form carries the service's messages."""
    return render_page("growth/program_form.html", "program_form", status=form_status(form), form=form,
                       program=program)


@bp.route("/growth/programs/new", methods=["GET", "POST"])
@role_required("growth")
def new_program():
    form = ProgramForm(data=ProgramForm.NEW)
    if form.validate_on_submit():
        with errors_on(form):
            program_id = service.create(form.program_input())
            flash(f"Program “{' '.join(form.name.data.split())}” created.", "success")
            return redirect_to(url_for("growth.program", program_id=program_id))
    return _form_page(form)


@bp.route("/growth/programs/<program_id>/edit", methods=["GET", "POST"])
@role_required("growth")
def edit_program(program_id: str):
    program = service.get(program_id)
    form = ProgramForm(data=ProgramForm.values_of(program))
    if program["has_invites"]:
        form.lock_kind(program["kind"])
    if form.validate_on_submit():
        with errors_on(form):
            version = service.update(program_id, form.program_input())
            flash("No changes to save." if version is None else f"Program saved (version {version}).",
                  "info" if version is None else "success")
            return redirect_to(url_for("growth.program", program_id=program_id))
    return _form_page(form, program)


@bp.post("/growth/programs/<program_id>/active")
@role_required("growth")
def set_active(program_id: str):
    """Activate or deactivate: htmx gets the program's row back (and a message), a plain form a
    redirect to where it came from (the list, or the program's page) with the same message."""
    active = service.parse_active(request.form.get("active"))
    program = service.set_active(program_id, active)
    notice = (f"“{program['name']}” is active: its invite links work." if active else
              f"“{program['name']}” is inactive: its invite links now say they are not valid.")
    flash(notice, "success")
    if is_htmx():
        return render_page("growth/programs.html", "program_row", p=program)
    return redirect_to(safe_next(request.form.get("next"), url_for("growth.programs")))


@bp.get("/growth/programs/<program_id>")
@role_required("growth")
def program(program_id: str):
    """The program's terms and its invites, newest first, with their fraud flags."""
    program = service.get(program_id)
    after = service.decode_cursor(request.args.get("after"))
    flagged = request.args.get("flagged") == "1"
    invites, cursor = service.invites_page(program_id, after, flagged_only=flagged)
    next_url = url_for("growth.program", program_id=program_id, after=cursor, flagged="1" if flagged else None) \
        if cursor else None
    # More rows for "Load more" (htmx); a plain GET of any of these URLs is the whole page.
    return render_page("growth/program.html", "invite_rows" if after else "content", program=program,
                       invites=invites, next_url=next_url, after=after, flagged=flagged)


# --- the review queue ------------------------------------------------------------------------------

def _queue(status: int = 200, *, errors: dict | None = None, extra: dict | None = None,
           bulk_errors: dict | None = None, reason: str = "", selected=()):
    """The queue's page: its first page of held invites, or the page `after` names. `extra`: an invite
    whose form is being answered (re-rendered with its error), shown first if not on this page."""
    after = service.review_cursor(request.args.get("after"))
    items, cursor = service.review_page(after)
    if extra is not None and all(i["invite_id"] != extra["invite_id"] for i in items):
        items.insert(0, extra)
    next_url = url_for("growth.review", after=cursor) if cursor else None
    return render_page("growth/review.html", "review_items" if after else "content", status=status, items=items,
                       next_url=next_url, after=after, held=service.held_count(), errors=errors or {},
                       bulk_errors=bulk_errors or {}, bulk_reason=reason, selected=set(selected))


@bp.get("/growth/review")
@role_required("growth")
def review():
    """Held invites, oldest first, with their evidence and a decision form each."""
    return _queue()


@bp.post("/growth/review/decide")
@role_required("growth")
def decide():
    """Approve or reject one held invite. htmx gets the invite's row back (decided, or with the
    reason's message beside its field); a plain form is sent back to the queue."""
    invite_id = request.form.get("invite_id") or ""
    reason = request.form.get("reason") or ""
    try:
        item = service.decide(invite_id, request.form.get("decision"), actor_user_id=current_user.user_id,
                              reason=reason)
    except service.AlreadyDecided as exc:
        flash(str(exc), "error")
        if is_htmx():  # the row shows where the invite stands now, the message says why nothing happened
            return render_page("growth/review.html", "review_item", status=409, item=exc.item, errors={},
                               selected=set())
        return redirect_to(url_for("growth.review"))
    except Invalid as exc:
        if "reason" not in exc.fields:
            raise
        item = service.review_item(invite_id)
        errors = {invite_id: dict(exc.fields, reason_value=reason)}
        if is_htmx():
            return render_page("growth/review.html", "review_item", status=422, item=item, errors=errors,
                               selected=set())
        return _queue(422, errors=errors, extra=item)
    flash(_decided_notice(item), "success")
    if is_htmx():
        return render_page("growth/review.html", "review_item", item=item, errors={}, selected=set())
    return redirect_to(url_for("growth.review"))


def _decided_notice(item: dict) -> str:
    who = f"{item['inviter_name']}'s invite of {item['invitee_name'] or 'a new member'}"
    decision = item.get("decision") or {}
    if decision.get("action") == "reject":
        return f"Rejected {who}: it earns nothing."
    if decision.get("paid_cents"):
        return f"Approved {who}: {money(decision['paid_cents'])} paid to {item['inviter_name']}."
    if item["status"] == "capped":
        return f"Approved {who}: over the monthly cap, so nothing paid to {item['inviter_name']}."
    return f"Approved {who}: it earns on the invitee's first booking."


@bp.post("/growth/review/bulk")
@role_required("growth")
def decide_bulk():
    """One decision and reason for the selected invites, each in its own transaction: what could
    not be decided is listed by name, the rest is done. Plain form; back to the queue."""
    invite_ids = request.form.getlist("invite_id")
    reason = request.form.get("reason") or ""
    try:
        result = service.decide_many(invite_ids, request.form.get("decision"), actor_user_id=current_user.user_id,
                                     reason=reason)
    except Invalid as exc:
        if not exc.fields:
            raise
        return _queue(422, bulk_errors=exc.fields, reason=reason, selected=invite_ids)
    if result.decided:
        flash(result.summary(), "success")
    for _, why in result.refused:
        flash(f"Not decided: {why}", "error")
    return redirect_to(url_for("growth.review"))


@bp.get("/growth/review/decided")
@role_required("growth")
def decided():
    """Every decision of the growth team, newest first: who, when, what and why."""
    after = service.decisions_cursor(request.args.get("after"))
    decisions, cursor = service.decisions_page(after)
    next_url = url_for("growth.decided", after=cursor) if cursor else None
    return render_page("growth/decided.html", "decision_rows" if after else "content", decisions=decisions,
                       next_url=next_url, after=after, held=service.held_count())


# --- one user's credits ----------------------------------------------------------------------------

def _user_page(user_id: str, form: AdjustmentForm, status: int = 200, *, claw_errors: dict | None = None):
    user = service.credit_user(user_id)
    invites_after = service.decode_cursor(request.args.get("invites_after"))
    after = service.ledger_cursor(request.args.get("after"))
    invites, invites_cursor = service.user_invites(user_id, invites_after)
    ledger, cursor = service.ledger_page(user_id, after)
    decisions, _ = service.decisions_page(None, subject_user_id=user_id, limit=20)
    block = "ledger_rows" if after else "invite_rows" if invites_after else "content"
    return render_page(
        "growth/user.html", block, status=status, account=user, form=form, invites=invites, ledger=ledger,
        decisions=decisions, after=after, invites_after=invites_after, claw_errors=claw_errors or {},
        next_url=url_for("growth.user", user_id=user_id, after=cursor) if cursor else None,
        invites_next_url=url_for("growth.user", user_id=user_id, invites_after=invites_cursor)
        if invites_cursor else None)


@bp.get("/growth/users/<user_id>")
@role_required("growth")
def user(user_id: str):
    """A user's credits as the growth team sees them: balance and owed, their invites and what each
    earned, holds, decisions, the ledger, and the adjustment form."""
    return _user_page(user_id, AdjustmentForm())


@bp.post("/growth/users/<user_id>/adjust")
@role_required("growth")
def adjust(user_id: str):
    """A manual award or clawback with its reason: a new ledger entry and its decision, never an edit.
    The form's one-time key makes a second submit of it (a double click) record nothing new."""
    form = AdjustmentForm()
    if form.validate_on_submit():
        with errors_on(form):
            done = service.adjust(user_id, actor_user_id=current_user.user_id, kind=form.kind.data or "",
                                  amount=form.amount.data or "", reason=form.reason.data or "",
                                  decision_id=form.decision_id.data or None)
            flash(_adjusted_notice(done), "info" if done["repeated"] else "success")
            return redirect_to(url_for("growth.user", user_id=user_id) + "#adjust-heading")
    return _user_page(user_id, form, form_status(form))


def _adjusted_notice(done: dict) -> str:
    amount = money(done["amount_cents"])
    text = f"Awarded {amount}." if done["kind"] == "award" else f"Clawed back {amount}."
    if done["repeated"]:  # the same form sent twice: the first is what happened
        text = f"Already recorded: {text[0].lower()}{text[1:]}"
    text += f" Balance {money(done['balance_cents'])}"
    if done["owed_cents"]:
        text += f", {money(done['owed_cents'])} owed"
    return text + "."


@bp.post("/growth/users/<user_id>/entries/<entry_id>/claw-back")
@role_required("growth")
def claw_back(user_id: str, entry_id: str):
    """Take back one of the user's awards with a reason. Done, the user's page is drawn again at its
    ledger (htmx follows the redirect too). Refused, htmx gets the entry's row back with the reason's
    message beside its field, or "already clawed back"; a plain form, the page. An entry that is not
    this user's award is a 404."""
    reason = request.form.get("reason") or ""
    try:
        done = service.claw_back(user_id, entry_id, actor_user_id=current_user.user_id, reason=reason)
    except Invalid as exc:
        if "reason" in exc.fields:
            errors = {entry_id: dict(exc.fields, reason_value=reason)}
            if is_htmx():
                return _ledger_row(user_id, entry_id, 422, claw_errors=errors)
            return _user_page(user_id, AdjustmentForm(), 422, claw_errors=errors)
        flash(str(exc), "error")
        if is_htmx():  # already clawed back: the row as it now stands, and why nothing happened
            return _ledger_row(user_id, entry_id, 409, figures=True)
        return redirect_to(url_for("growth.user", user_id=user_id) + "#ledger-heading")
    notice = f"Clawed back {money(done['amount_cents'])}. Balance {money(done['balance_cents'])}"
    notice += f", {money(done['owed_cents'])} owed." if done["owed_cents"] else "."
    # Done, htmx or not, the page is drawn again: the clawback is a new ledger row, and the invite's
    # status, the decisions and the figures all changed with it (a swapped row alone left them stale).
    flash(notice, "success")
    return redirect_to(url_for("growth.user", user_id=user_id) + "#ledger-heading")


def _ledger_row(user_id: str, entry_id: str, status: int = 200, **context):
    return render_page("growth/user.html", "ledger_row", status=status, account=service.credit_user(user_id),
                       e=service.ledger_entry(user_id, entry_id), **{"claw_errors": {}, "figures": False, **context})
