"""Programs and invites for the growth tests, written straight to the database (fast)."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from webapp.core.ids import new_id

BASE_TIME = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)


def make_program(db_conn, *, name: str = "Bring a friend", kind: str = "cross_side", bips: int = 0,
                 fixed: int = 2_000, invitee: int = 0, cap: int = 5, roles=("member", "provider"),
                 active: bool = True, created_at: datetime = BASE_TIME) -> str:
    program_id = new_id("rpr", at_ms=int(created_at.timestamp() * 1000))
    db_conn.execute(
        "insert into referral_program (program_id, name, kind, reward_bips, reward_fixed_cents, invitee_fixed_cents,"
        " credit_scope, monthly_cap, inviter_roles, active, created_at, updated_at)"
        " values (%s, %s, %s, %s, %s, %s, 'buyer_fee_only', %s, %s, %s, %s, %s)",
        (program_id, name, kind, bips, fixed, invitee, cap, list(roles), active, created_at, created_at))
    return program_id


def make_invite(db_conn, program_id: str, inviter: dict, *, invitee: dict | None = None, hint: str | None = None,
                at: datetime = BASE_TIME, source: str = "copy", status: str | None = None, flags=(),
                ip_sha: str | None = None, device: str | None = None) -> str:
    invite_id = new_id("rfi", at_ms=int(at.timestamp() * 1000))
    db_conn.execute(
        "insert into referral_invite (invite_id, program_id, inviter_user_id, invitee_user_id, invitee_email_sha,"
        " source, device_fp, ip_addr_sha, created_at, accepted_at, status, fraud_flags, invitee_hint)"
        " values (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        (invite_id, program_id, inviter["user_id"], invitee["user_id"] if invitee else None, f"sha-{invite_id}",
         source, device, ip_sha, at, at + timedelta(minutes=5) if invitee else None,
         status or ("signed_up" if invitee else "sent"), list(flags), hint))
    return invite_id


def program_row(db_conn, program_id: str) -> dict:
    cur = db_conn.execute("select * from referral_program where program_id = %s", (program_id,))
    names = [c.name for c in cur.description]
    return dict(zip(names, cur.fetchone(), strict=True))


def complete_booking(app, *, buyer: dict, provider: dict, fee: int = 10_000, at: datetime | None = None,
                     booking_id: str | None = None) -> list:
    """A booking.completed as the events endpoint would apply it: the credits service's step in an
    app context, committed. Returns the credits it wrote."""
    from webapp.core.extensions import db
    from webapp.credits import service

    with app.app_context():
        credits = service.booking_completed(
            event_id=new_id("evt"), booking_id=booking_id or new_id("bkg"), buyer_user_id=buyer["user_id"],
            provider_user_id=provider["user_id"], buyer_fee_cents=fee, occurred_at=at or BASE_TIME + timedelta(days=1))
        db.session.commit()
    return credits


def refund_booking(app, booking_id: str) -> list:
    from webapp.core.extensions import db
    from webapp.credits import service

    with app.app_context():
        credits = service.booking_refunded(booking_id=booking_id)
        db.session.commit()
    return credits
