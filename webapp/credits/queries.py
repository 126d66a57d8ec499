"""Credits SQL: the ledger, the balance row the database keeps from it (migration 070), the
monthly cap's counter rows, the reward an invite earned, and the growth team's decisions.

Everything here runs in the caller's transaction on db.session (:name); nothing commits. The
ledger is append-only (the database refuses UPDATE, DELETE and TRUNCATE), and its trigger
moves credit_balance with every entry, so the only write to money is `insert_entry`.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import text

from ..core import clock
from ..core.extensions import db
from ..core.ids import new_id


def _one(sql: str, params: dict) -> dict | None:
    row = db.session.execute(text(sql), params).mappings().first()
    return dict(row) if row else None


# --- the ledger and the balance ----------------------------------------------------------------

def insert_entry(*, user_id: str, kind: str, amount_cents: int, reason: str, related_id: str | None,
                 program_id: str | None = None, at: datetime | None = None) -> str:
    """Append one entry; the database's trigger moves the user's balance in the same statement
    (and refuses a redeem that would take it below zero). Returns the entry's id."""
    at = at or clock.now()
    entry_id = new_id("crl", at_ms=int(at.timestamp() * 1000))
    db.session.execute(text(
        "insert into credit_ledger (entry_id, user_id, kind, program_id, amount_cents, reason, related_id, created_at)"
        " values (:entry_id, :user_id, :kind, :program_id, :amount_cents, :reason, :related_id, :at)"
    ), {"entry_id": entry_id, "user_id": user_id, "kind": kind, "program_id": program_id,
        "amount_cents": amount_cents, "reason": reason, "related_id": related_id, "at": at})
    return entry_id


def insert_clawback_of(award: dict, *, reason: str, at: datetime | None = None) -> str | None:
    """Claw back this award in full, unless it already was (uq_credit_clawback_of_award decides,
    also when two refunds race): the new entry's id, or None."""
    at = at or clock.now()
    entry_id = new_id("crl", at_ms=int(at.timestamp() * 1000))
    return db.session.execute(text(
        "insert into credit_ledger (entry_id, user_id, kind, program_id, amount_cents, reason, related_id, created_at)"
        " values (:entry_id, :user_id, 'clawback', :program_id, :amount_cents, :reason, :award_id, :at)"
        " on conflict (related_id) where kind = 'clawback' and related_id like 'crl\\_%' do nothing"
        " returning entry_id"
    ), {"entry_id": entry_id, "user_id": award["user_id"], "program_id": award["program_id"],
        "amount_cents": award["amount_cents"], "reason": reason, "award_id": award["entry_id"], "at": at}).scalar()


def entry(entry_id: str) -> dict | None:
    return _one("select entry_id, user_id, kind, program_id, amount_cents, reason, related_id, created_at"
                " from credit_ledger where entry_id = :entry_id", {"entry_id": entry_id})


def lock_balance(user_id: str) -> int:
    """The user's spendable balance, locked until the transaction ends: a concurrent redeem of the
    same user waits here and then reads what this one left. Someone with no entries has no row and
    nothing to spend; none is made for them (a redeem for an unknown id leaves nothing behind)."""
    return db.session.execute(text("select balance_cents from credit_balance where user_id = :user_id for update"),
                              {"user_id": user_id}).scalar() or 0


def balance(user_id: str) -> dict:
    """{balance_cents, owed_cents} as the transaction sees them (zeros for a user with no entries)."""
    return _one("select balance_cents, owed_cents from credit_balance where user_id = :user_id",
                {"user_id": user_id}) or {"balance_cents": 0, "owed_cents": 0}


# --- the monthly cap --------------------------------------------------------------------------

def take_cap_slot(*, inviter_user_id: str, program_id: str, month: date, cap: int) -> bool:
    """Take one of the inviter's `cap` reward slots for the program and month, in one statement:
    the upsert adds 1 only while fewer than `cap` are used, holding the row's lock, so any number
    of concurrent rewards take at most `cap` slots (referral_cap_use's CHECK stands behind it).
    False: the month is full."""
    if cap <= 0:
        return False
    return db.session.execute(text(
        "insert into referral_cap_use as u (inviter_user_id, program_id, month, used, cap)"
        " values (:inviter, :program_id, :month, 1, :cap)"
        " on conflict (inviter_user_id, program_id, month) do update set used = u.used + 1, cap = excluded.cap"
        "   where u.used < excluded.cap"
        " returning used"
    ), {"inviter": inviter_user_id, "program_id": program_id, "month": month, "cap": cap}).first() is not None


# --- invites and their rewards ----------------------------------------------------------------

_INVITE = """
    select i.invite_id, i.program_id, i.inviter_user_id, i.invitee_user_id, i.status, i.fraud_flags,
           i.accepted_at, p.reward_bips, p.reward_fixed_cents, p.invitee_fixed_cents, p.monthly_cap,
           inviter.display_name as inviter_name, invitee.display_name as invitee_name
      from referral_invite i
      join referral_program p using (program_id)
      join app_user inviter on inviter.user_id = i.inviter_user_id
      left join app_user invitee on invitee.user_id = i.invitee_user_id"""


def lock_invites_of_invitees(user_ids: list[str]) -> dict[str, dict]:
    """The invites that brought these accounts (one per account: uq_rfi_invitee), with their
    programs' terms, by invitee, locked in one statement in invite-id order: two bookings between
    the same two people, in either role, lock their invites in the same order (no deadlock)."""
    rows = db.session.execute(text(f"{_INVITE} where i.invitee_user_id = any(:user_ids)"
                                   " order by i.invite_id for update of i"), {"user_ids": user_ids}).mappings()
    return {row["invitee_user_id"]: dict(row) for row in rows}


def lock_invite(invite_id: str) -> dict | None:
    return _one(f"{_INVITE} where i.invite_id = :invite_id for update of i", {"invite_id": invite_id})


def was_approved(invite_id: str) -> bool:
    """The growth team approved this invite once (idx_growth_decision_invite)."""
    return db.session.execute(text(
        "select exists (select 1 from growth_decision where invite_id = :invite_id and action = 'approve')"
    ), {"invite_id": invite_id}).scalar()


def set_invite_status(invite_id: str, status: str, fraud_flags: list[str] | None = None) -> None:
    db.session.execute(text(
        "update referral_invite set status = :status, fraud_flags = coalesce(:flags, fraud_flags)"
        " where invite_id = :invite_id"
    ), {"invite_id": invite_id, "status": status, "flags": fraud_flags})


def insert_reward(*, invite_id: str, booking_id: str, event_id: str, buyer_fee_cents: int, inviter_cents: int,
                  invitee_cents: int, earned_at: datetime) -> bool:
    """Record the invite's first qualifying booking; False when it already has one."""
    return db.session.execute(text(
        "insert into referral_reward (invite_id, booking_id, event_id, buyer_fee_cents, inviter_cents, invitee_cents,"
        " earned_at) values (:invite_id, :booking_id, :event_id, :buyer_fee_cents, :inviter_cents, :invitee_cents,"
        " :earned_at) on conflict (invite_id) do nothing"
    ), {"invite_id": invite_id, "booking_id": booking_id, "event_id": event_id, "buyer_fee_cents": buyer_fee_cents,
        "inviter_cents": inviter_cents, "invitee_cents": invitee_cents, "earned_at": earned_at}).rowcount == 1


def reward_of(invite_id: str) -> dict | None:
    return _one("select * from referral_reward where invite_id = :invite_id", {"invite_id": invite_id})


def record_paid(invite_id: str, *, inviter_entry_id: str | None, invitee_entry_id: str | None) -> None:
    db.session.execute(text(
        "update referral_reward set inviter_entry_id = :inviter, invitee_entry_id = :invitee"
        " where invite_id = :invite_id"
    ), {"invite_id": invite_id, "inviter": inviter_entry_id, "invitee": invitee_entry_id})


def lock_rewards_of_booking(booking_id: str) -> list[dict]:
    """The rewards a booking earned (one per invitee party), locked, with their invite's status."""
    return [dict(r) for r in db.session.execute(text(
        "select r.*, i.status from referral_reward r join referral_invite i using (invite_id)"
        " where r.booking_id = :booking_id order by r.invite_id for update of r, i"
    ), {"booking_id": booking_id}).mappings()]


def mark_refunded(invite_id: str, at: datetime) -> None:
    db.session.execute(text("update referral_reward set refunded_at = :at where invite_id = :invite_id"),
                       {"invite_id": invite_id, "at": at})


# --- the growth team's decisions --------------------------------------------------------------

def insert_decision(*, actor_user_id: str, action: str, subject_user_id: str, reason: str,
                    invite_id: str | None = None, entry_id: str | None = None, amount_cents: int | None = None,
                    decision_id: str | None = None) -> str:
    decision_id = decision_id or new_id("gdc")
    db.session.execute(text(
        "insert into growth_decision (decision_id, actor_user_id, action, subject_user_id, invite_id, entry_id,"
        " amount_cents, reason, created_at) values (:decision_id, :actor, :action, :subject, :invite_id, :entry_id,"
        " :amount_cents, :reason, :at)"
    ), {"decision_id": decision_id, "actor": actor_user_id, "action": action, "subject": subject_user_id,
        "invite_id": invite_id, "entry_id": entry_id, "amount_cents": amount_cents, "reason": reason,
        "at": clock.now()})
    return decision_id
