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
               i.device_fp, i.invitee_hint, i.invitee_user_id,
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
