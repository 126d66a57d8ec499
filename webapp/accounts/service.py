"""Account rules: who may sign up, log in and change what."""
from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from ..core.errors import Invalid
from ..core.extensions import db
from ..core.ids import new_id
from ..core.security import hash_password, password_needs_rehash, verify_password
from . import queries
from .user import User

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 200
MAX_NAME_LENGTH = 80     # app_user.display_name's check constraint (migration 001)
MAX_EMAIL_LENGTH = 254   # app_user.email's, the longest address SMTP carries
# The roles a person picks at sign-up, as the choice reads (growth is granted, never chosen).
SIGNUP_ROLES = {"member": "Hire creative people and studios", "provider": "Offer my services"}
EMAIL_TAKEN = "An account with that e-mail already exists. Log in instead."


def sign_up(*, email: str, password: str, display_name: str, role: str, city: str, provider_role: str | None) -> User:
    """Create a member or provider account (the growth role is granted, never chosen)."""
    if role not in SIGNUP_ROLES:
        raise Invalid(fields={"role": "Choose whether you hire or offer services."})
    if role == "provider" and not provider_role:
        raise Invalid(fields={"provider_role": "Tell us what you do."})
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
        db.session.commit()
    except IntegrityError as exc:  # two sign-ups with one e-mail at the same moment
        db.session.rollback()
        raise Invalid(fields={"email": EMAIL_TAKEN}) from exc
    return queries.get_user(user_id)


def authenticate(email: str, password: str) -> User:
    """The account these credentials open; Invalid, with one message for either mistake, if none."""
    row = queries.get_login_row(email.strip())
    # A missing account is hashed against anyway, so it takes as long as a wrong password.
    if not verify_password(row["password_hash"] if row else _DUMMY_HASH, password) or row is None:
        raise Invalid("That e-mail and password don't match an account.")
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
        raise Invalid(fields={"current_password": "Your current password is not right."})
    queries.set_password_hash(user.user_id, hash_password(new))
    db.session.commit()


_DUMMY_HASH = hash_password("not-a-real-password-just-timing")
