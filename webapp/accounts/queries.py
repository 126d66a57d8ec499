"""SQL for accounts."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text

from ..core import reads
from ..core.extensions import db
from .user import UNREAD_CAP, User

_USER_COLUMNS = "user_id, email, display_name, role, email_alerts, sensitive_opt_in, city"
_USER_BY_ID = f"select {_USER_COLUMNS} from app_user where user_id = %(id)s"


def get_user(user_id: str) -> User | None:
    """The account with this id.

    Read outside any transaction: callers read it after their service commits, so it
    always sees committed data.
    """
    row = reads.first(_USER_BY_ID, {"id": user_id})
    return User(**row) if row else None


# `using`: the account's columns read unqualified, as in _USER_BY_ID. The header's unread count
# rides on the same statement (no second round trip): at most UNREAD_CAP rows of the partial index
# idx_notification_unread, so it costs the same for a user with 5 unread or 50,000.
_USER_OF_LIVE_SESSION = (
    f"select {_USER_COLUMNS}, (select count(*) from (select 1 from notification n where n.user_id = %(user_id)s"
    f" and n.read_at is null limit {UNREAD_CAP}) unread) as unread_notifications"
    " from user_session join app_user using (user_id)"
    " where session_id = %(session_id)s and user_id = %(user_id)s and revoked_at is null and expires_at > now()"
)


def get_session_user(user_id: str, session_id: str) -> User | None:
    """The account behind a session cookie, if that session is live (Flask-Login's loader,
    every signed-in request): one statement, so ending a session refuses it on the next request.

    Read outside any transaction, like get_user.
    """
    row = reads.first(_USER_OF_LIVE_SESSION, {"user_id": user_id, "session_id": session_id})
    return User(**row) if row else None


def insert_session(*, session_id: str, user_id: str, lifetime: timedelta) -> None:
    db.session.execute(
        text("insert into user_session (session_id, user_id, expires_at) values (:sid, :uid, now() + :lifetime)"),
        {"sid": session_id, "uid": user_id, "lifetime": lifetime},
    )


def delete_ended_sessions(user_id: str) -> None:
    db.session.execute(
        text("delete from user_session where user_id = :uid and (revoked_at is not null or expires_at <= now())"),
        {"uid": user_id},
    )


def revoke_session(session_id: str) -> None:
    db.session.execute(
        text("update user_session set revoked_at = now() where session_id = :sid and revoked_at is null"),
        {"sid": session_id},
    )


def revoke_sessions_of(user_id: str) -> int:
    """Revoke every live session of a user; returns how many were live."""
    return db.session.execute(
        text("update user_session set revoked_at = now()"
             " where user_id = :uid and revoked_at is null and expires_at > now()"),
        {"uid": user_id},
    ).rowcount


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


def insert_user(*, user_id: str, email: str, password_hash: str, display_name: str, role: str,
                city: str | None) -> None:
    db.session.execute(
        text(
            "insert into app_user (user_id, email, password_hash, display_name, role, city)"
            " values (:user_id, :email, :password_hash, :display_name, :role, :city)"
        ),
        dict(user_id=user_id, email=email, password_hash=password_hash, display_name=display_name, role=role,
             city=city),
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


def set_role(email: str, role: str) -> bool:
    """Give the account with this e-mail (any case) a role; False when there is none."""
    result = db.session.execute(
        text("update app_user set role = :role, updated_at = now() where lower(email) = lower(:email)"),
        {"role": role, "email": email},
    )
    return result.rowcount > 0


def get_password_hash(user_id: str) -> str | None:
    return db.session.execute(
        text("select password_hash from app_user where user_id = :id"), {"id": user_id}
    ).scalar()


def set_password_hash(user_id: str, password_hash: str) -> None:
    db.session.execute(
        text("update app_user set password_hash = :h, updated_at = now() where user_id = :id"),
        {"h": password_hash, "id": user_id},
    )


def login_locked_for(email_hash: str) -> int | None:
    """Seconds left of this e-mail's log-in lock, or None when it is not locked."""
    return db.session.execute(
        text("select ceil(extract(epoch from locked_until - now()))::int from login_throttle"
             " where email_hash = :h and locked_until > now()"),
        {"h": email_hash},
    ).scalar()


def count_login_failure(email_hash: str, *, limit: int, window: timedelta, lock: timedelta) -> None:
    """One more failure for this e-mail, in one statement (two hosts counting at once both count):
    a count older than `window` starts again at 1; reaching `limit` locks the log-in for `lock`."""
    db.session.execute(
        text(
            "insert into login_throttle as t (email_hash, failures, window_started_at, locked_until)"
            " values (:h, 1, now(), case when 1 >= :limit then now() + :lock end)"
            " on conflict (email_hash) do update set"
            " failures = case when t.window_started_at > now() - :window then t.failures + 1 else 1 end,"
            " window_started_at = case when t.window_started_at > now() - :window"
            "   then t.window_started_at else now() end,"
            " locked_until = case when t.window_started_at > now() - :window and t.failures + 1 >= :limit"
            "   then now() + :lock else t.locked_until end"
        ),
        {"h": email_hash, "limit": limit, "window": window, "lock": lock},
    )


def clear_login_failures(email_hash: str) -> None:
    db.session.execute(text("delete from login_throttle where email_hash = :h"), {"h": email_hash})
