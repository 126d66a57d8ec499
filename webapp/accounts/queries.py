"""SQL for accounts."""
from __future__ import annotations

from sqlalchemy import text

from ..core import reads
from ..core.extensions import db
from .user import User

_USER_COLUMNS = "user_id, email, display_name, role, email_alerts, sensitive_opt_in, city"
_USER_BY_ID = f"select {_USER_COLUMNS} from app_user where user_id = %(id)s"


def get_user(user_id: str) -> User | None:
    """The account behind a session (Flask-Login's loader, every signed-in request).

    Read outside any transaction: it runs before the request writes anything and
    after the service commits, so it always sees committed data.
    """
    row = reads.first(_USER_BY_ID, {"id": user_id})
    return User(**row) if row else None


def get_login_row(email: str):
    """user_id and password hash for an e-mail, matched case-insensitively."""
    return db.session.execute(
        text("select user_id, password_hash from app_user where lower(email) = lower(:email)"),
        {"email": email},
    ).mappings().first()


def email_taken(email: str) -> bool:
    return db.session.execute(
        text("select 1 from app_user where lower(email) = lower(:email)"), {"email": email}
    ).first() is not None


def insert_user(*, user_id: str, email: str, password_hash: str, display_name: str, role: str, city: str | None) -> None:
    db.session.execute(
        text(
            "insert into app_user (user_id, email, password_hash, display_name, role, city)"
            " values (:user_id, :email, :password_hash, :display_name, :role, :city)"
        ),
        dict(user_id=user_id, email=email, password_hash=password_hash, display_name=display_name, role=role, city=city),
    )


def insert_service_profile(*, user_id: str, display_name: str, city: str, role_tags: list[str]) -> None:
    db.session.execute(
        text(
            "insert into service_profile (user_id, display_name, city, role_tags, rate_cents)"
            " values (:user_id, :display_name, :city, :role_tags, 0)"
        ),
        dict(user_id=user_id, display_name=display_name, city=city, role_tags=role_tags),
    )


def update_settings(user_id: str, *, display_name: str, email_alerts: bool, sensitive_opt_in: bool) -> None:
    db.session.execute(
        text(
            "update app_user set display_name = :display_name, email_alerts = :email_alerts,"
            " sensitive_opt_in = :sensitive_opt_in, updated_at = now() where user_id = :user_id"
        ),
        dict(user_id=user_id, display_name=display_name, email_alerts=email_alerts, sensitive_opt_in=sensitive_opt_in),
    )


def get_password_hash(user_id: str) -> str | None:
    return db.session.execute(
        text("select password_hash from app_user where user_id = :id"), {"id": user_id}
    ).scalar()


def set_password_hash(user_id: str, password_hash: str) -> None:
    db.session.execute(
        text("update app_user set password_hash = :h, updated_at = now() where user_id = :id"),
        {"h": password_hash, "id": user_id},
    )
