"""Referral SQL: personal codes and the one lookup behind a public invite page."""
from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from ..core import reads
from ..core.extensions import db
from . import codes

# A program's columns as every page shows it (its offer: webapp/referrals/offers.py).
PROGRAM_COLUMNS = ("p.program_id, p.name, p.kind, p.reward_bips, p.reward_fixed_cents, p.invitee_fixed_cents, "
                   "p.credit_scope, p.monthly_cap, p.active, p.version, p.inviter_roles")


def ensure_codes(user_id: str, role: str) -> None:
    """Give the user a code for every active program open to their role that they have none for.

    Safe under concurrency: two requests racing for one (user, program) both end with the one
    row the unique constraint lets in. A new code that happens to equal another's (1 in ~10^14)
    is drawn again. Commits.
    """
    missing = db.session.execute(text(
        "select p.program_id from referral_program p"
        " where p.active and :role = any(p.inviter_roles)"
        "   and not exists (select 1 from referral_code c where c.user_id = :user_id and c.program_id = p.program_id)"
    ), {"user_id": user_id, "role": role}).scalars().all()
    for program_id in missing:
        for _attempt in range(5):
            try:
                with db.session.begin_nested():
                    db.session.execute(text(
                        "insert into referral_code (code, user_id, program_id) values (:code, :user_id, :program_id)"
                        " on conflict (user_id, program_id) do nothing"
                    ), {"code": codes.new_code(), "user_id": user_id, "program_id": program_id})
                break
            except IntegrityError:  # the code itself was taken: draw another
                continue
    db.session.commit()


# The user's (%(user_id)s) code per active program open to their role (%(role)s), oldest program
# first: /invites, and the side panel's statement (dashboard/queries.py).
CODES_OF = (f"select c.code, {PROGRAM_COLUMNS} from referral_code c join referral_program p using (program_id)"
            " where c.user_id = %(user_id)s and p.active and %(role)s = any(p.inviter_roles)"
            " order by p.created_at, p.program_id")


def codes_of(user_id: str, role: str) -> list[dict]:
    """The user's code per active program open to their role, with the program, oldest program first."""
    return reads.rows(CODES_OF, {"user_id": user_id, "role": role})


def landing(code: str) -> dict | None:
    """Everything the public invite page and the share card show for a code, in one indexed
    lookup (referral_code's primary key): the inviter and the program. None when the code is
    unknown or its program is not active (or no longer open to the inviter's role)."""
    return reads.first(
        f"select c.code, c.user_id as inviter_user_id, u.display_name as inviter_name, u.role as inviter_role,"
        f" {PROGRAM_COLUMNS}"
        " from referral_code c join referral_program p using (program_id) join app_user u on u.user_id = c.user_id"
        " where c.code = %(code)s and p.active and u.role = any(p.inviter_roles)",
        {"code": code},
    )


# --- attribution: recording an invite at sign-up (referrals/service.py) -----------------------
# Reads that guard the write, so through db.session, in the sign-up's own transaction.

def referrer_of_code(code: str) -> dict | None:
    """Who a code invites for and under which program, while the program is active and open to
    the inviter's role; None otherwise."""
    return db.session.execute(text(
        "select c.program_id, p.kind, c.user_id as inviter_user_id, u.role as inviter_role,"
        "       u.email as inviter_email"
        " from referral_code c join referral_program p using (program_id) join app_user u on u.user_id = c.user_id"
        " where c.code = :code and p.active and u.role = any(p.inviter_roles)"
    ), {"code": code}).mappings().first()


def pending_email_invites(email_shas: list[str], *, since) -> list[dict]:
    """E-mail invites to this address (its keyed hashes: core.security.keyed_hashes) not yet
    accepted, sent since `since`, under a program that is active and still open to the inviter's
    role; oldest first."""
    return db.session.execute(text(
        "select i.invite_id, i.program_id, i.created_at, p.kind, i.inviter_user_id,"
        "       u.role as inviter_role, u.email as inviter_email"
        " from referral_invite i join referral_program p using (program_id)"
        " join app_user u on u.user_id = i.inviter_user_id"
        " where i.invitee_email_sha = any(:shas) and i.invitee_user_id is null and i.status = 'sent'"
        "   and i.created_at >= :since and p.active and u.role = any(p.inviter_roles)"
        " order by i.created_at, i.invite_id"
    ), {"shas": email_shas, "since": since}).mappings().all()


def traces_shared_with(user_id: str, *, ip_shas: list[str], device_id: str | None) -> set[str]:
    """Which of this IP (its keyed hashes) and device id ('ip', 'device') the account has signed in from."""
    return set(db.session.execute(text(
        "select kind from sign_in_trace where user_id = :user_id"
        " and ((kind = 'ip' and value = any(:ips)) or (kind = 'device' and value = :device))"
    ), {"user_id": user_id, "ips": ip_shas, "device": device_id}).scalars())


def lock_sign_up_sources(*keys: str | None) -> None:
    """Serialise sign-ups from one IP hash or device until this transaction ends, so two at once
    both see each other when counting a burst. Taken in the order given (IP, then device) by
    every caller, so two sign-ups cannot wait on each other."""
    for key in keys:
        if key:
            db.session.execute(text("select pg_advisory_xact_lock(hashtextextended(:key, 0))"),
                               {"key": f"referral-burst:{key}"})


def accepted_near(*, ip_shas: list[str], device_id: str | None, at, window) -> list[dict]:
    """Accepted invites from this IP (its keyed hashes) or device within `window` of `at` (either side)."""
    return db.session.execute(text(
        "select invite_id, accepted_at from referral_invite"
        " where accepted_at between :start and :end and (ip_addr_sha = any(:ips) or device_fp = :device)"
    ), {"ips": ip_shas, "device": device_id, "start": at - window, "end": at + window}).mappings().all()


def uninvited_sign_ups_near(*, ip_shas: list[str], device_id: str | None, at, window) -> list:
    """When accounts that came without an invite were made from this IP (its keyed hashes) or device
    within `window` of `at`: they count toward a burst too (sign_in_trace holds where they signed
    up). Committed ones only: they take no lock, having no invite to hold."""
    return db.session.execute(text(
        "select u.created_at from app_user u"
        " where u.created_at between :start and :end"
        "   and exists (select 1 from sign_in_trace t where t.user_id = u.user_id"
        "               and ((t.kind = 'ip' and t.value = any(:ips)) or (t.kind = 'device' and t.value = :device)))"
        "   and not exists (select 1 from referral_invite i where i.invitee_user_id = u.user_id)"
    ), {"ips": ip_shas, "device": device_id, "start": at - window, "end": at + window}).scalars().all()


def flag_invites(invite_ids: list[str], flag: str) -> None:
    """Add a fraud flag to these invites; a signed-up one is held for review from now on."""
    db.session.execute(text(
        "update referral_invite set fraud_flags = array_append(fraud_flags, :flag),"
        " status = case when status = 'signed_up' then 'held' else status end"
        " where invite_id = any(:ids) and not (:flag = any(fraud_flags))"
    ), {"ids": invite_ids, "flag": flag})


def accept_invite(invite_id: str, **accepted) -> bool:
    """Accept a pending (e-mail) invite for the new account; False when it was accepted meanwhile."""
    return db.session.execute(text(
        "update referral_invite set invitee_user_id = :invitee_user_id, accepted_at = :accepted_at,"
        " source = :source, device_fp = :device_fp, invitee_email_sha = :invitee_email_sha,"
        " ip_addr_sha = :ip_addr_sha, status = :status, fraud_flags = :fraud_flags"
        " where invite_id = :invite_id and invitee_user_id is null"
    ), {"invite_id": invite_id, **accepted}).rowcount == 1


def insert_accepted_invite(*, invite_id: str, program_id: str, inviter_user_id: str, created_at, **accepted) -> None:
    """An invite through a link, accepted by the new account as it is recorded."""
    db.session.execute(text(
        "insert into referral_invite (invite_id, program_id, inviter_user_id, invitee_user_id, invitee_email_sha,"
        " source, device_fp, ip_addr_sha, created_at, accepted_at, status, fraud_flags)"
        " values (:invite_id, :program_id, :inviter_user_id, :invitee_user_id, :invitee_email_sha,"
        " :source, :device_fp, :ip_addr_sha, :created_at, :accepted_at, :status, :fraud_flags)"
    ), {"invite_id": invite_id, "program_id": program_id, "inviter_user_id": inviter_user_id,
        "created_at": created_at, **accepted})


def touch_traces(user_id: str, *, ip_sha: str | None, device_id: str | None, at) -> None:
    """Record (or refresh) that the account signed in from this IP hash and this device."""
    values = [(kind, value) for kind, value in (("ip", ip_sha), ("device", device_id)) if value]
    for kind, value in values:
        db.session.execute(text(
            "insert into sign_in_trace (user_id, kind, value, last_seen_at) values (:user_id, :kind, :value, :at)"
            " on conflict (user_id, kind, value) do update set last_seen_at = excluded.last_seen_at"
        ), {"user_id": user_id, "kind": kind, "value": value, "at": at})
