"""Demo data: believable accounts, profiles, posts, searches, invites and credits."""
from __future__ import annotations

from sqlalchemy import text

from ..extensions import db
from ..ids import new_id
from ..security import hash_password

DEMO_PASSWORD = "growthdesk-demo"
DEMO_ACCOUNTS = (
    ("buyer@demo.test", "Bea Buyer", "member"),
    ("provider@demo.test", "Pablo Provider", "provider"),
    ("growth@demo.test", "Gita Growth", "growth"),
)


def demo_accounts() -> list[str]:
    return [email for email, _, _ in DEMO_ACCOUNTS]


def seed_demo() -> dict[str, int]:
    """Insert the demo data set in one transaction; returns row counts per table."""
    password_hash = hash_password(DEMO_PASSWORD)
    for email, name, role in DEMO_ACCOUNTS:
        user_id = new_id("usr")
        db.session.execute(
            text("insert into app_user (user_id, email, password_hash, display_name, role, city)"
                 " values (:id, :email, :h, :name, :role, 'berlin')"),
            dict(id=user_id, email=email, h=password_hash, name=name, role=role),
        )
        if role == "provider":
            db.session.execute(
                text("insert into service_profile (user_id, display_name, city, role_tags, style_tags, rate_cents)"
                     " values (:id, :name, 'berlin', '{photographer}', '{editorial}', 15000)"),
                dict(id=user_id, name=name),
            )
    db.session.commit()
    return {"accounts": len(DEMO_ACCOUNTS)}
