"""/invites: thin views over invites/service.py."""
from __future__ import annotations

from flask import flash, g, request, url_for
from flask_login import current_user

from ..accounts.access import login_required
from ..core import limits
from ..core.extensions import limiter
from ..core.forms import errors_on, form_status
from ..core.htmx import is_htmx, redirect_to, render_page
from ..core.urls import more_links
from ..referrals import queries as referral_queries
from ..referrals.offers import SCOPE_IN_WORDS
from . import bp, by_email, service
from .forms import EmailInviteForm

TEMPLATE = "invites/index.html"


@bp.get("/invites")
@login_required
def index():
    after = service.decode_cursor(request.args.get("after"))
    rows, next_cursor = service.history_page(current_user.user_id, after)
    more = more_links("invites.index", next_cursor)
    if after and is_htmx():
        return render_page(TEMPLATE, "invite_history_rows", rows=rows, **more)
    return render_page(TEMPLATE, cards=service.cards(current_user), scope=SCOPE_IN_WORDS,
                       summary=service.summary(current_user.user_id), rows=rows, after=after, **more)


@bp.get("/invites/<invite_code>/qr.png")
@login_required
def qr_png(invite_code: str):
    """The QR code of one of the user's own links, to print or post; anyone else's code is a 404."""
    code, png = service.qr_png(current_user, invite_code)
    return png, 200, {"Content-Type": "image/png",
                      "Content-Disposition": f'attachment; filename="invite-qr-{code}.png"',
                      "Cache-Control": "private, max-age=3600"}


# --- invites by e-mail: POST /invites/email, and the form the page's email_invites block draws ---


def _email_invites() -> dict:
    """What the email_invites block of invites/index.html draws: this request's form when
    send_email re-renders it (with its messages), else a fresh one.

    A template global of this blueprint, so the page's own view need not build the form."""
    if "email_invites" not in g:
        programs = referral_queries.codes_of(current_user.user_id, current_user.role)
        g.email_invites = {"form": EmailInviteForm(formdata=None, programs=programs)}
    return g.email_invites


@bp.context_processor
def _email_invites_global():
    return {"email_invites": _email_invites}


@bp.post("/invites/email")
@login_required
@limiter.limit(limits.INVITE_EMAIL, key_func=lambda: f"user:{current_user.user_id}")
def send_email():
    """Send invitations; answered with the email_invites block (htmx) or the page.

    Form errors are a 422 re-render, a failed delivery a 503 one (the addresses stay in the form to
    try again). A success is the block with an empty form and the outcome in the page's message
    region (htmx, plus an `invites-sent` event for whatever shows the history), or a redirect."""
    programs = referral_queries.codes_of(current_user.user_id, current_user.role)
    form = EmailInviteForm(programs=programs)
    not_sent = False
    if form.validate_on_submit():
        try:
            with errors_on(form):
                outcome = by_email.invite(current_user, program_id=form.program.data,
                                          addresses=form.addresses.data, note=form.note.data)
                flash(outcome.message, "success")
                if not is_htmx():
                    return redirect_to(url_for("invites.index"))
                g.email_invites = {"form": EmailInviteForm(formdata=None, programs=programs,
                                                           data={"program": form.program.data})}
                response = render_page("invites/index.html", "email_invites")
                if outcome.sent:
                    response.headers["HX-Trigger"] = "invites-sent"
                return response
        except by_email.NotSent as exc:
            form.form_errors.append(str(exc))
            not_sent = True
    g.email_invites = {"form": form}
    status = 503 if not_sent else form_status(form)
    if is_htmx():
        return render_page("invites/index.html", "email_invites", status=status)
    response = index()  # the whole page as its own view draws it, with this form in it
    response.status_code = status
    return response
