"""Growth team routes (role growth only): referral programs and their invites. Thin views over
growth/service.py: parse, call the service, render the page or the one block htmx asked for."""
from __future__ import annotations

from flask import flash, request, url_for

from ..accounts.access import role_required
from ..core.forms import errors_on, form_status
from ..core.htmx import is_htmx, redirect_to, render_page
from ..core.urls import safe_next
from . import bp, service
from .forms import ProgramForm


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
    if is_htmx():
        return render_page("growth/programs.html", "program_row", p=program, notice=notice)
    flash(notice, "success")
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
