"""The signed-in user as the app sees it (no password hash in here)."""
from __future__ import annotations

from dataclasses import dataclass

from flask_login import UserMixin

ROLES = ("member", "provider", "growth")
UNREAD_CAP = 100  # the header shows "99+" from here: a count never reads more rows than this
ROLE_LABELS = {"member": "Member", "provider": "Provider", "growth": "Growth team"}


@dataclass
class User(UserMixin):
    user_id: str
    email: str
    display_name: str
    role: str
    email_alerts: bool
    sensitive_opt_in: bool
    city: str | None
    # Unread notifications, counted up to UNREAD_CAP by the session read (queries.py); 0 elsewhere.
    unread_notifications: int = 0

    def get_id(self) -> str:
        return self.user_id

    @property
    def is_growth(self) -> bool:
        return self.role == "growth"

    @property
    def is_provider(self) -> bool:
        return self.role == "provider"
