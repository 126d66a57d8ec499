"""Growth SQL: referral programs as the growth team runs them, and a program's invites.

Page reads go through core.reads (%(name)s); the writes and the reads that guard them through
db.session (:name), in the service's one transaction per change.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import text

from ..core import reads
from ..core.extensions import db
from ..referrals.queries import PROGRAM_COLUMNS

# The columns the growth team edits (the service's clean values carry exactly these).
TERMS = ("name", "kind", "reward_bips", "reward_fixed_cents", "invitee_fixed_cents", "credit_scope",
         "monthly_cap", "inviter_roles", "active")

# Every program with its invite counts, in one statement: one grouped pass over the program's
# invites per row (idx_rfi_program_recent), never a count query per program.
_WITH_COUNTS = f"""
    select {PROGRAM_COLUMNS}, p.created_at, p.updated_at,
           coalesce(c.invites, 0) as invites, coalesce(c.signed_up, 0) as signed_up,
           coalesce(c.flagged, 0) as flagged
      from referral_program p
      left join lateral (
            select count(*) as invites, count(i.invitee_user_id) as signed_up,
                   count(*) filter (where cardinality(i.fraud_flags) > 0) as flagged
              from referral_invite i where i.program_id = p.program_id) c on true"""


def programs_with_counts() -> list[dict]:
    """Every program, active first then newest, with how many invites, sign-ups and flagged invites it has."""
    return reads.rows(f"{_WITH_COUNTS} order by p.active desc, p.created_at desc, p.program_id desc")


def program_with_counts(program_id: str) -> dict | None:
    """One program as the list draws it (its row, its page's terms), or None."""
    return reads.first(f"{_WITH_COUNTS} where p.program_id = %(program_id)s", {"program_id": program_id})


# --- writes, and the reads that guard them ------------------------------------------------------

def lock_program(program_id: str) -> dict | None:
    """The program's row, locked until the transaction ends (FOR UPDATE also waits for, and then
    holds off, an invite being written under it: the invite's foreign-key check locks the row
    FOR KEY SHARE)."""
    row = db.session.execute(text(f"select {', '.join(TERMS)}, version from referral_program"
                                  " where program_id = :program_id for update"),
                             {"program_id": program_id}).mappings().first()
    return dict(row) if row else None


def has_invites(program_id: str) -> bool:
    """Any invite under the program (asked after lock_program, so one arriving meanwhile is seen)."""
    return db.session.execute(text("select exists (select 1 from referral_invite where program_id = :program_id)"),
                              {"program_id": program_id}).scalar()


def insert_program(program_id: str, terms: Mapping, at: datetime) -> None:
    db.session.execute(text(
        f"insert into referral_program (program_id, {', '.join(TERMS)}, version, created_at, updated_at)"
        f" values (:program_id, {', '.join(':' + t for t in TERMS)}, 1, :at, :at)"
    ), {**terms, "program_id": program_id, "at": at})


def update_terms(program_id: str, terms: Mapping, at: datetime) -> int:
    """Write the terms, one version up; returns the new version."""
    assignments = ", ".join(f"{t} = :{t}" for t in TERMS)
    return db.session.execute(text(
        f"update referral_program set {assignments}, version = version + 1, updated_at = :at"
        " where program_id = :program_id returning version"
    ), {**terms, "program_id": program_id, "at": at}).scalar_one()


def set_active(program_id: str, active: bool, at: datetime) -> bool:
    """Open or close the program; False when there is no such program."""
    return db.session.execute(text(
        "update referral_program set active = :active,"
        " updated_at = case when active = :active then updated_at else :at end"
        " where program_id = :program_id returning program_id"
    ), {"program_id": program_id, "active": active, "at": at}).first() is not None


# --- a program's invites -------------------------------------------------------------------------

def invites_of(program_id: str, *, after: tuple[datetime, str] | None = None, flagged_only: bool = False,
               limit: int = 50) -> list[dict]:
    """The program's invites newest first (ties: newest id first), `limit` after the cursor `after`,
    with who invited whom.

    The page's invites are chosen first, walking idx_rfi_program_recent with the LIMIT, and only
    then joined to their inviter and invitee (core/keyset.py)."""
    params: dict = {"program_id": program_id}
    conditions = ""
    if flagged_only:
        conditions += " and cardinality(i.fraud_flags) > 0"
    if after:
        conditions += " and (i.created_at, i.invite_id) < (%(after_at)s, %(after_id)s)"
        params["after_at"], params["after_id"] = after
    # The limit is written into the SQL (an int, never user text), as every list's.
    return reads.rows(
        f"""
        select i.invite_id, i.created_at, i.accepted_at, i.source, i.status, i.fraud_flags, i.ip_addr_sha,
               i.device_fp, i.invitee_hint, i.invitee_user_id, i.inviter_user_id,
               inviter.display_name as inviter_name, invitee.display_name as invitee_name
          from (select i.* from referral_invite i
                 where i.program_id = %(program_id)s{conditions}
                 order by i.created_at desc, i.invite_id desc limit {int(limit)}) i
          left join app_user inviter on inviter.user_id = i.inviter_user_id
          left join app_user invitee on invitee.user_id = i.invitee_user_id
         order by i.created_at desc, i.invite_id desc
        """,
        params,
    )


# --- the review queue: held invites and their evidence -------------------------------------------

def _signups_from(column: str, trace_kind: str) -> str:
    """SQL: how many sign-ups came from the invite's IP hash or device (`column`) within the window
    either side: through invites, and accounts made without one (their sign_in_trace of `trace_kind`)."""
    return f"""case when i.{column} is null then 0 else
             (select count(*) from referral_invite o
               where o.{column} = i.{column}
                 and o.accepted_at between i.accepted_at - %(window)s and i.accepted_at + %(window)s)
             + (select count(*) from sign_in_trace t join app_user u using (user_id)
                 where t.kind = '{trace_kind}' and t.value = i.{column}
                   and u.created_at between i.accepted_at - %(window)s and i.accepted_at + %(window)s
                   and not exists (select 1 from referral_invite x where x.invitee_user_id = u.user_id))
           end"""


# An invite as the review queue shows it: who invited whom under which program, the sign-up's traces
# (keyed hashes and a device id: the service cuts them to short fingerprints), the counts behind the
# fraud rules, its first booking if one came (referral_reward) and how full that month's cap is.
# `i` is a page of invites chosen first (with its LIMIT); everything else is looked up per row.
# The burst counts are the rule's own (referrals.rules.is_burst): sign-ups through invites and
# accounts made without one, from the same IP hash or device, within the window either side.
def _evidence(page: str) -> str:
    """The review queue's statement over `page`, a subquery naming the invites to show."""
    return f"""
    select i.invite_id, i.program_id, i.inviter_user_id, i.invitee_user_id, i.status, i.fraud_flags, i.source,
           i.created_at, i.accepted_at, i.invitee_email_sha, i.ip_addr_sha, i.device_fp,
           p.name as program_name, p.monthly_cap,
           inviter.display_name as inviter_name, inviter.email as inviter_email,
           invitee.display_name as invitee_name, invitee.email as invitee_email,
           r.booking_id, r.buyer_fee_cents, r.inviter_cents, r.invitee_cents, r.earned_at, r.refunded_at,
           r.inviter_entry_id, cap.used as cap_used,
           {_signups_from("ip_addr_sha", "ip")} as ip_signups,
           {_signups_from("device_fp", "device")} as device_signups,
           exists (select 1 from sign_in_trace t where t.user_id = i.inviter_user_id and t.kind = 'ip'
                    and t.value = i.ip_addr_sha) as ip_is_inviters,
           exists (select 1 from sign_in_trace t where t.user_id = i.inviter_user_id and t.kind = 'device'
                    and t.value = i.device_fp) as device_is_inviters,
           mine.invites as inviter_invites, mine.flagged as inviter_flagged, mine.held as inviter_held
      from {page} i
      join referral_program p on p.program_id = i.program_id
      join app_user inviter on inviter.user_id = i.inviter_user_id
      left join app_user invitee on invitee.user_id = i.invitee_user_id
      left join referral_reward r on r.invite_id = i.invite_id
      left join referral_cap_use cap on cap.inviter_user_id = i.inviter_user_id and cap.program_id = i.program_id
            and cap.month = (date_trunc('month', r.earned_at at time zone 'UTC'))::date
      left join lateral (
            select count(*) as invites, count(*) filter (where cardinality(x.fraud_flags) > 0) as flagged,
                   count(*) filter (where x.status = 'held') as held
              from referral_invite x where x.inviter_user_id = i.inviter_user_id) mine on true"""


def held_invites(*, window, after: tuple[datetime, str] | None = None, limit: int = 20) -> list[dict]:
    """Held invites, oldest sign-up first (ties: the smaller id), `limit` after the cursor `after`,
    each with its evidence. The page walks idx_rfi_held (accepted_at, invite_id) with the LIMIT."""
    params: dict = {"window": window}
    condition = ""
    if after:
        condition = " and (accepted_at, invite_id) > (%(after_at)s, %(after_id)s)"
        params["after_at"], params["after_id"] = after
    page = (f"(select * from referral_invite where status = 'held'{condition}"
            f" order by accepted_at, invite_id limit {int(limit)})")
    return reads.rows(_evidence(page) + " order by i.accepted_at, i.invite_id", params)


def invite_evidence(invite_id: str, *, window) -> dict | None:
    """One invite as the queue shows it, whatever its state (the row after a decision)."""
    page = "(select * from referral_invite where invite_id = %(invite_id)s)"
    return reads.first(_evidence(page), {"invite_id": invite_id, "window": window})


def held_count() -> int:
    return reads.scalar("select count(*) from referral_invite where status = 'held'")


def invite_names(invite_ids: list[str]) -> dict[str, dict]:
    """invite id -> its inviter's and invitee's names (bulk decisions name what they could not decide)."""
    found = reads.rows(
        "select i.invite_id, i.status, inviter.display_name as inviter_name, invitee.display_name as invitee_name"
        "  from referral_invite i join app_user inviter on inviter.user_id = i.inviter_user_id"
        "  left join app_user invitee on invitee.user_id = i.invitee_user_id where i.invite_id = any(%(ids)s)",
        {"ids": invite_ids})
    return {row["invite_id"]: row for row in found}


# --- the growth team's decisions -----------------------------------------------------------------

_DECISION = """
    select d.decision_id, d.action, d.subject_user_id, d.invite_id, d.entry_id, d.amount_cents, d.reason,
           d.created_at, d.actor_user_id, actor.display_name as actor_name, subject.display_name as subject_name,
           invitee.display_name as invitee_name, i.invitee_user_id, p.name as program_name,
           paid.amount_cents as paid_cents
      from {page} d
      left join app_user actor on actor.user_id = d.actor_user_id
      left join app_user subject on subject.user_id = d.subject_user_id
      left join referral_invite i on i.invite_id = d.invite_id
      left join app_user invitee on invitee.user_id = i.invitee_user_id
      left join referral_program p on p.program_id = i.program_id
      left join credit_ledger paid on paid.entry_id = d.entry_id"""


def decisions(*, subject_user_id: str | None = None, after: tuple[datetime, str] | None = None,
              limit: int = 50) -> list[dict]:
    """The growth team's decisions newest first (ties: newest id first), every one or those about
    one user, `limit` after the cursor (idx_growth_decision_recent, idx_growth_decision_subject)."""
    params: dict = {}
    conditions = []
    if subject_user_id is not None:
        conditions.append("subject_user_id = %(subject)s")
        params["subject"] = subject_user_id
    if after:
        conditions.append("(created_at, decision_id) < (%(after_at)s, %(after_id)s)")
        params["after_at"], params["after_id"] = after
    where = f" where {' and '.join(conditions)}" if conditions else ""
    page = (f"(select * from growth_decision{where}"
            f" order by created_at desc, decision_id desc limit {int(limit)})")
    return reads.rows(_DECISION.format(page=page) + " order by d.created_at desc, d.decision_id desc", params)


def last_decision_on(invite_id: str) -> dict | None:
    """The latest decision on an invite (who decided it, when and why)."""
    page = ("(select * from growth_decision where invite_id = %(invite_id)s"
            " order by created_at desc, decision_id desc limit 1)")
    return reads.first(_DECISION.format(page=page), {"invite_id": invite_id})


# --- one user's credits --------------------------------------------------------------------------

def user(user_id: str) -> dict | None:
    """The account with its balance row (zeros when it has no entries) and how many of its invites
    are held."""
    return reads.first(
        "select u.user_id, u.display_name, u.role, u.city, u.created_at,"
        "       coalesce(b.balance_cents, 0) as balance_cents, coalesce(b.owed_cents, 0) as owed_cents,"
        "       (select count(*) from referral_invite i where i.inviter_user_id = u.user_id) as invites,"
        "       (select count(*) from referral_invite i where i.inviter_user_id = u.user_id"
        "         and i.status = 'held') as held"
        "  from app_user u left join credit_balance b on b.user_id = u.user_id where u.user_id = %(user_id)s",
        {"user_id": user_id})


def invited_by(user_id: str) -> dict | None:
    """The invite that brought this account, if one did (uq_rfi_invitee)."""
    return reads.first(
        "select i.invite_id, i.status, i.fraud_flags, i.accepted_at, i.inviter_user_id,"
        "       inviter.display_name as inviter_name, p.name as program_name, p.program_id"
        "  from referral_invite i join app_user inviter on inviter.user_id = i.inviter_user_id"
        "  join referral_program p on p.program_id = i.program_id where i.invitee_user_id = %(user_id)s",
        {"user_id": user_id})


def invites_by(user_id: str, *, after: tuple[datetime, str] | None = None, limit: int = 50) -> list[dict]:
    """The user's invites newest first (idx_rfi_inviter_recent), with their program, invitee and the
    reward their first booking earned (referral_reward), `limit` after the cursor."""
    params: dict = {"user_id": user_id}
    condition = ""
    if after:
        condition = " and (created_at, invite_id) < (%(after_at)s, %(after_id)s)"
        params["after_at"], params["after_id"] = after
    return reads.rows(
        f"""
        select i.invite_id, i.created_at, i.accepted_at, i.status, i.fraud_flags, i.source, i.invitee_hint,
               i.invitee_user_id, invitee.display_name as invitee_name, p.name as program_name, p.program_id,
               r.booking_id, r.inviter_cents, r.earned_at, r.refunded_at, r.inviter_entry_id
          from (select * from referral_invite where inviter_user_id = %(user_id)s{condition}
                 order by created_at desc, invite_id desc limit {int(limit)}) i
          join referral_program p on p.program_id = i.program_id
          left join app_user invitee on invitee.user_id = i.invitee_user_id
          left join referral_reward r on r.invite_id = i.invite_id
         order by i.created_at desc, i.invite_id desc
        """,
        params,
    )


def ledger_of(user_id: str, *, after: tuple[datetime, str] | None = None, limit: int = 50) -> list[dict]:
    """The user's ledger entries newest first (idx_credit_user_recent), `limit` after the cursor."""
    params: dict = {"user_id": user_id}
    condition = ""
    if after:
        condition = " and (created_at, entry_id) < (%(after_at)s, %(after_id)s)"
        params["after_at"], params["after_id"] = after
    return reads.rows(
        "select entry_id, kind, program_id, amount_cents, currency, reason, related_id, created_at"
        f"  from credit_ledger where user_id = %(user_id)s{condition}"
        f" order by created_at desc, entry_id desc limit {int(limit)}",
        params,
    )


def user_exists(user_id: str) -> bool:
    """Guards an adjustment (in its transaction): the account is there."""
    return db.session.execute(text("select exists (select 1 from app_user where user_id = :user_id)"),
                              {"user_id": user_id}).scalar()
