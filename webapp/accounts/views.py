"""Account routes: parse the form, call the service, render or redirect."""
from __future__ import annotations

from flask import flash, request, session, url_for
from flask_login import current_user, login_user, logout_user

from ..core import limits
from ..core.extensions import limiter
from ..core.forms import errors_on, form_status
from ..core.htmx import redirect_to, render_page
from ..core.urls import safe_next
from ..referrals import attribution
from ..referrals import service as referrals
from . import bp, service
from .access import login_required, public
from .forms import LoginForm, PasswordForm, SettingsForm, SignupForm
from .loader import SESSION_KEY
from .user import ROLE_LABELS


def _start_session(user) -> None:
    session.clear()  # a fresh session (and CSRF token) on every log-in
    login_user(user)
    session.permanent = True
    session[SESSION_KEY] = service.open_session(user.user_id)


def _leave_session() -> None:
    """This browser forgets the account (its session row has ended, or ends now)."""
    logout_user()
    session.clear()


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(limits.AUTH, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect_to(url_for("dashboard.index"))
    form = LoginForm()
    if form.validate_on_submit():
        with errors_on(form):
            arrival = attribution.arrival()
            user = service.authenticate(form.email.data, form.password.data, arrival=arrival)
            next_url = safe_next(request.args.get("next"), url_for("dashboard.index"))
            _start_session(user)
            flash(f"Welcome back, {user.display_name}.", "success")
            response = redirect_to(next_url)
            attribution.keep_device(response, arrival)
            return response
    return render_page("accounts/login.html", "auth_form", status=form_status(form), form=form)


@bp.route("/signup", methods=["GET", "POST"])
@public
@limiter.limit(limits.AUTH, methods=["POST"])
def signup():
    if current_user.is_authenticated:
        return redirect_to(url_for("dashboard.index"))
    arrival = attribution.arrival()
    # The invite this browser came through, named on the page; the form starts on the role it is for.
    invited = referrals.invitation(arrival.visit)
    form = SignupForm(data={"role": invited["invitee_role"]} if invited else None)
    if form.validate_on_submit():
        with errors_on(form):
            user = service.sign_up(
                email=form.email.data, password=form.password.data, display_name=form.display_name.data,
                role=form.role.data, city=form.city.data, provider_role=form.provider_role.data or None,
                arrival=arrival,
            )
            _start_session(user)
            flash("Your account is ready. Welcome to Growth desk!", "success")
            response = redirect_to(url_for("dashboard.index"))
            attribution.keep_device(response, arrival)
            attribution.forget_visit(response)
            return response
    form.offer_login(url_for("accounts.login"))
    return render_page("accounts/signup.html", "auth_form", status=form_status(form), form=form, invited=invited,
                       role_labels=service.SIGNUP_ROLES)


@bp.post("/logout")
@public
def logout():
    if session_id := session.get(SESSION_KEY):
        service.end_session(session_id)
    _leave_session()
    flash("You are logged out.", "info")
    return redirect_to(url_for("accounts.login"))


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    form = SettingsForm(obj=current_user)
    password_form = PasswordForm(prefix="pw")
    if form.validate_on_submit():
        service.update_settings(
            current_user, display_name=form.display_name.data,
            email_alerts=form.email_alerts.data, sensitive_opt_in=form.sensitive_opt_in.data,
        )
        flash("Settings saved.", "success")
        return redirect_to(url_for("accounts.settings"))
    return render_page("accounts/settings.html", "settings_form", status=form_status(form), form=form,
                       password_form=password_form, role_labels=ROLE_LABELS)


@bp.post("/settings/password")
@login_required
@limiter.limit(limits.AUTH)
def change_password():
    form = SettingsForm(obj=current_user, formdata=None)
    password_form = PasswordForm(prefix="pw")
    if password_form.validate_on_submit():
        with errors_on(password_form):
            session[SESSION_KEY] = service.change_password(
                current_user, current=password_form.current_password.data, new=password_form.new_password.data
            )
            flash("Password changed. You are signed out everywhere else.", "success")
            return redirect_to(url_for("accounts.settings"))
    return render_page("accounts/settings.html", "password_form", status=form_status(password_form), form=form,
                       password_form=password_form, role_labels=ROLE_LABELS)


@bp.post("/settings/sign-out-everywhere")
@login_required
def sign_out_everywhere():
    """Every session of the account ends, this one too: for a lost phone or a shared computer."""
    service.end_all_sessions(current_user.user_id)
    _leave_session()
    flash("You are signed out on every device. Log in again to go on.", "info")
    return redirect_to(url_for("accounts.login"))
