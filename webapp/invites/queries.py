"""Invites SQL."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import text

from ..core.extensions import db
from ..referrals.queries import PROGRAM_COLUMNS

# --- invites by e-mail ------------------------------------------------------------------------
# Writes and the reads that guard them, all on db.session inside by_email.invite's transaction.


def program_to_invite_to(user_id: str, role: str, program_id: str) -> dict | None:
    """The program with the user's code for it, when it is active and open to their role: what the
    invitation offers and where its link points. None for any other program id."""
    return db.session.execute(text(
        f"select c.code, {PROGRAM_COLUMNS} from referral_code c join referral_program p using (program_id)"
        " where c.user_id = :user_id and c.program_id = :program_id and p.active and :role = any(p.inviter_roles)"
    ), {"user_id": user_id, "program_id": program_id, "role": role}).mappings().first()


def lock_inviter(user_id: str) -> str | None:
    """Lock the inviter's account row until the transaction ends (their daily count is judged under
    it, so two submissions at once cannot both fit under the limit); returns their display name.

    FOR NO KEY UPDATE conflicts with itself and with updates of the row, not with the foreign-key
    checks of rows that point at the account (a new session at log-in goes on)."""
    return db.session.execute(text(
        "select display_name from app_user where user_id = :user_id for no key update"
    ), {"user_id": user_id}).scalar()


def lock_address(program_id: str, email_sha: str) -> None:
    """Hold the (program, address) pair until the transaction ends: a second invitation to it waits
    here and then sees the first one's row. Callers take their pairs in sorted order (no deadlock)."""
    db.session.execute(text("select pg_advisory_xact_lock(hashtextextended(:key, 0))"),
                       {"key": f"invite-email:{program_id}:{email_sha}"})


def email_invites_sent_since(user_id: str, since: datetime) -> int:
    """How many invitations by e-mail the user has sent since `since` (idx_rfi_inviter_recent)."""
    return db.session.execute(text(
        "select count(*) from referral_invite"
        " where inviter_user_id = :user_id and created_at > :since and source = 'email'"
    ), {"user_id": user_id, "since": since}).scalar_one()


def addresses_with_accounts(addresses: list[str]) -> set[str]:
    """Which of `addresses` (lower-cased) belong to an account (app_user's unique index on lower(email))."""
    return set(db.session.execute(text(
        "select lower(email) from app_user where lower(email) = any(:addresses)"
    ), {"addresses": addresses}).scalars())


def recently_invited(program_id: str, email_shas: list[str], since: datetime) -> set[str]:
    """Which of the keyed address hashes already have an invite to the program since `since`
    (anyone's, any source: idx_rfi_email)."""
    return set(db.session.execute(text(
        "select invitee_email_sha from referral_invite"
        " where invitee_email_sha = any(:shas) and program_id = :program_id and created_at > :since"
    ), {"shas": email_shas, "program_id": program_id, "since": since}).scalars())


def insert_email_invite(*, invite_id: str, program_id: str, inviter_user_id: str, email_sha: str, hint: str,
                        created_at: datetime) -> None:
    db.session.execute(text(
        "insert into referral_invite (invite_id, program_id, inviter_user_id, invitee_email_sha, invitee_hint,"
        " source, status, created_at)"
        " values (:invite_id, :program_id, :inviter_user_id, :email_sha, :hint, 'email', 'sent', :created_at)"
    ), {"invite_id": invite_id, "program_id": program_id, "inviter_user_id": inviter_user_id,
        "email_sha": email_sha, "hint": hint, "created_at": created_at})
