"""Account rules: who may sign up, log in and change what."""
from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from ..core.extensions import db
from ..core.ids import new_id
from ..core.security import hash_password, password_needs_rehash, verify_password
from . import queries
from .user import User

MIN_PASSWORD_LENGTH = 10


class AccountError(ValueError):
    """A rule was broken; the message is shown to the user as written."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def sign_up(*, email: str, password: str, display_name: str, role: str, city: str, provider_role: str | None) -> User:
    """Create a member or provider account (the growth role is granted, never chosen)."""
    if role not in ("member", "provider"):
        raise AccountError("Choose whether you hire or offer services.", "role")
    if role == "provider" and not provider_role:
        raise AccountError("Tell us what you do.", "provider_role")
    email = email.strip()
    if queries.email_taken(email):
        raise AccountError("An account with that e-mail already exists. Log in instead.", "email")
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
        db.session.commit()
    except IntegrityError as exc:  # two sign-ups with one e-mail at the same moment
        db.session.rollback()
        raise AccountError("An account with that e-mail already exists. Log in instead.", "email") from exc
    return queries.get_user(user_id)


def authenticate(email: str, password: str) -> User | None:
    row = queries.get_login_row(email.strip())
    if row is None:
        # Hash anyway so a missing account takes as long as a wrong password.
        verify_password(_DUMMY_HASH, password)
        return None
    if not verify_password(row["password_hash"], password):
        return None
    if password_needs_rehash(row["password_hash"]):
        queries.set_password_hash(row["user_id"], hash_password(password))
        db.session.commit()
    return queries.get_user(row["user_id"])


def update_settings(user: User, *, display_name: str, email_alerts: bool, sensitive_opt_in: bool) -> User:
    queries.update_settings(
        user.user_id, display_name=display_name.strip(), email_alerts=email_alerts, sensitive_opt_in=sensitive_opt_in
    )
    db.session.commit()
    return queries.get_user(user.user_id)


def change_password(user: User, *, current: str, new: str) -> None:
    if not verify_password(queries.get_password_hash(user.user_id) or "", current):
        raise AccountError("Your current password is not right.", "current_password")
    queries.set_password_hash(user.user_id, hash_password(new))
    db.session.commit()


_DUMMY_HASH = hash_password("not-a-real-password-just-timing")
