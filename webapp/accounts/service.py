"""Account rules: who may sign up, log in and change what, and how long a session lasts."""
from __future__ import annotations

from flask import current_app
from sqlalchemy.exc import IntegrityError

from ..core import limits
from ..core.errors import Invalid, Throttled
from ..core.extensions import db
from ..core.ids import new_id
from ..core.security import hash_password, keyed_hash, password_needs_rehash, verify_password
from ..referrals import service as referrals
from ..referrals.attribution import Arrival
from . import queries
from .user import User

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 200
MAX_NAME_LENGTH = 80     # app_user.display_name's check constraint (migration 001)
MAX_EMAIL_LENGTH = 254   # app_user.email's, the longest address SMTP carries
# The roles a person picks at sign-up, as the choice reads (growth is granted, never chosen).
SIGNUP_ROLES = {"member": "Hire creative people and studios", "provider": "Offer my services"}
EMAIL_TAKEN = "That e-mail already has an account — log in?"
CHOOSE_ROLE = "Choose whether you hire people or offer your services."


def sign_up(*, email: str, password: str, display_name: str, role: str, city: str, provider_role: str | None,
            arrival: Arrival | None = None) -> User:
    """Create a member or provider account (the growth role is granted, never chosen).

    With an `arrival` (the web sign-up's), the invite that brought the account is recorded and
    the sign-up's traces are left, in the account's own transaction (referrals/service.py).
    """
    if role not in SIGNUP_ROLES:
        raise Invalid(fields={"role": CHOOSE_ROLE})
    if role == "provider" and not provider_role:
        raise Invalid(fields={"provider_role": "Choose what you do: providers are listed by it in the directory."})
    email = email.strip()
    if queries.email_taken(email):
        raise Invalid(fields={"email": EMAIL_TAKEN})
    user_id = new_id("usr")
    try:
        queries.insert_user(
            user_id=user_id, email=email, password_hash=hash_password(password),
            display_name=display_name.strip(), role=role, city=city,
        )
        if role == "provider":
            queries.insert_service_profile(
                user_id=user_id, display_name=display_name.strip(), city=city, role_tags=[provider_role]
            )
        if arrival is not None:
            referrals.on_sign_up(user_id=user_id, email=email, role=role, arrival=arrival)
        db.session.commit()
    except IntegrityError as exc:  # two sign-ups with one e-mail at the same moment
        db.session.rollback()
        raise Invalid(fields={"email": EMAIL_TAKEN}) from exc
    return queries.get_user(user_id)


def authenticate(email: str, password: str, arrival: Arrival | None = None) -> User:
    """The account these credentials open; Invalid, with one message for either mistake, if none.
    With an `arrival` (the web log-in's), the log-in leaves its traces (referrals/service.py).

    Failures count per e-mail (limits.LOGIN_FAILURES): past the limit that e-mail's log-in is
    Throttled for a while, whatever the password and whether or not the account exists.
    """
    email = email.strip()
    email_hash = _refuse_while_locked(email)
    row = queries.get_login_row(email)
    # A missing account is hashed against anyway, so it takes as long as a wrong password.
    if not verify_password(row["password_hash"] if row else _DUMMY_HASH, password) or row is None:
        _count_failure(email_hash)
        raise Invalid("That e-mail and password don't match an account.")
    queries.clear_login_failures(email_hash)
    if password_needs_rehash(row["password_hash"]):
        queries.set_password_hash(row["user_id"], hash_password(password))
    if arrival is not None:
        referrals.on_log_in(row["user_id"], arrival)
    db.session.commit()
    return queries.get_user(row["user_id"])


def _refuse_while_locked(email: str) -> str:
    """The e-mail's keyed hash, the key its failures count under; Throttled while it is locked."""
    email_hash = keyed_hash(email)
    seconds = queries.login_locked_for(email_hash)
    if seconds:
        db.session.rollback()
        raise Throttled(retry_after=seconds)
    return email_hash


def _count_failure(email_hash: str) -> None:
    queries.count_login_failure(email_hash, limit=limits.LOGIN_FAILURES, window=limits.LOGIN_FAILURE_WINDOW,
                                lock=limits.LOGIN_LOCK)
    db.session.commit()


def update_settings(user: User, *, display_name: str, email_alerts: bool, sensitive_opt_in: bool) -> User:
    queries.update_settings(
        user.user_id, display_name=display_name.strip(), email_alerts=email_alerts, sensitive_opt_in=sensitive_opt_in
    )
    db.session.commit()
    return queries.get_user(user.user_id)


def change_password(user: User, *, current: str, new: str) -> str:
    """Set a new password and end every session of the account (a thief's copy of a cookie
    included); returns the id of the new session that goes on for the browser that changed it.

    A wrong current password counts as a failed log-in of the account.
    """
    email_hash = _refuse_while_locked(user.email)
    if not verify_password(queries.get_password_hash(user.user_id) or "", current):
        _count_failure(email_hash)
        raise Invalid(fields={"current_password": "Your current password is not right."})
    queries.set_password_hash(user.user_id, hash_password(new))
    queries.revoke_sessions_of(user.user_id)
    session_id = _insert_session(user.user_id)
    db.session.commit()
    return session_id


# --- sessions: the id in the session cookie names a row of user_session -------------------------


def open_session(user_id: str) -> str:
    """A new live session for the account (log-in, sign-up); returns its id for the cookie.

    The account's ended sessions are deleted here, so rows never pile up past a user's live ones.
    """
    queries.delete_ended_sessions(user_id)
    session_id = _insert_session(user_id)
    db.session.commit()
    return session_id


def _insert_session(user_id: str) -> str:
    # As long as the cookie's own lifetime: the row ends when the cookie would anyway.
    session_id = new_id("ses")
    queries.insert_session(session_id=session_id, user_id=user_id, lifetime=current_app.permanent_session_lifetime)
    return session_id


def end_session(session_id: str) -> None:
    """Log-out: this session's cookie, and every copy of it, opens nothing from now on."""
    queries.revoke_session(session_id)
    db.session.commit()


def end_all_sessions(user_id: str) -> int:
    """Sign out everywhere: every session of the account ends; returns how many were live."""
    ended = queries.revoke_sessions_of(user_id)
    db.session.commit()
    return ended


_DUMMY_HASH = hash_password("not-a-real-password-just-timing")
