"""SQL of the /invites page: the inviter's history, its summary, and the guard of a QR download.

Every statement starts from the inviter: `referral_invite` through idx_rfi_inviter_recent
(inviter_user_id, created_at desc, invite_id desc), `credit_ledger` through idx_credit_user
(user_id, created_at desc). Nothing scans a table whole, so the page costs the same with ten
thousand invites in the table as with a million (docs/decisions.md, "Invites — the /invites page").
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import text

from ..core import reads
from ..core.extensions import db
from ..credits.rules import SIGNED_AMOUNT_SQL
from ..referrals.queries import PROGRAM_COLUMNS


def programs_with_codes(user_id: str, role: str) -> list[dict]:
    """Every active program open to the role, oldest first, with the user's code for it (None
    where they have none yet): one read tells whether a visit has codes to make."""
    return reads.rows(
        f"select c.code, {PROGRAM_COLUMNS} from referral_program p"
        " left join referral_code c on c.program_id = p.program_id and c.user_id = %(user_id)s"
        " where p.active and %(role)s = any(p.inviter_roles)"
        " order by p.created_at, p.program_id",
        {"user_id": user_id, "role": role},
    )


def own_code(user_id: str, role: str, code: str) -> dict | None:
    """The user's own code `code` while its program is active and open to their role (what
    /invites shows), else None: someone else's code is as unknown as a made-up one."""
    return reads.first(
        "select c.code, c.program_id from referral_code c join referral_program p using (program_id)"
        " where c.code = %(code)s and c.user_id = %(user_id)s and p.active and %(role)s = any(p.inviter_roles)",
        {"code": code, "user_id": user_id, "role": role},
    )


def history(inviter_user_id: str, *, after: tuple[datetime, str] | None = None, limit: int = 20) -> list[dict]:
    """The inviter's invites, newest first (ties: newest id first), `limit` of them after the
    (created_at, invite_id) cursor `after`, each with what a history row shows: the program's
    name, the invitee's display name once they signed up, and the reward the invite earned.

    The page is chosen first, one range of idx_rfi_inviter_recent cut by the LIMIT, and only
    its rows are joined: the invitee and program by primary key, the rewards from the
    inviter's own ledger entries (an award names its invite in related_id).
    """
    keyset = " and (i.created_at, i.invite_id) < (%(after_at)s, %(after_id)s)" if after else ""
    params: dict = {"u": inviter_user_id}
    if after:
        params["after_at"], params["after_id"] = after
    # The limit is written into the SQL (an int, never user text), as every list's: a small page the plan counts on.
    return reads.rows(
        f"""
        with page as (
          select i.invite_id, i.created_at, i.program_id, i.invitee_user_id, i.invitee_hint, i.source, i.status
            from referral_invite i
           where i.inviter_user_id = %(u)s{keyset}
           order by i.created_at desc, i.invite_id desc
           limit {int(limit)}
        ), awards as (
          select l.related_id, sum(l.amount_cents) as reward_cents
            from credit_ledger l
           where l.user_id = %(u)s and l.kind = 'award' and l.related_id in (select invite_id from page)
           group by l.related_id
        )
        select page.invite_id, page.created_at, page.source, page.status, page.invitee_hint,
               p.name as program_name, u.display_name as invitee_name, awards.reward_cents
          from page
          join referral_program p on p.program_id = page.program_id
          left join app_user u on u.user_id = page.invitee_user_id
          left join awards on awards.related_id = page.invite_id
         order by page.created_at desc, page.invite_id desc
        """,
        params,
    )


def summary(inviter_user_id: str) -> dict:
    """The inviter's figures in one statement: how many they invited, how many of those signed
    up (an account was created through the invite, whatever happened next), how many are
    rewarded now, and the credit their invites earned (awards less clawbacks, the entries of
    the ledger that a program paid; a growth team's goodwill credit has no program)."""
    return reads.first(
        f"""
        select i.invited, i.signed_up, i.rewarded, coalesce(l.earned_cents, 0) as earned_cents
          from (select count(*) as invited,
                       count(*) filter (where accepted_at is not null) as signed_up,
                       count(*) filter (where status = 'rewarded') as rewarded
                  from referral_invite where inviter_user_id = %(u)s) i,
               (select sum({SIGNED_AMOUNT_SQL}) as earned_cents
                  from credit_ledger
                 where user_id = %(u)s and program_id is not null and kind in ('award', 'clawback')) l
        """,
        {"u": inviter_user_id},
    )


# --- invites by e-mail (below)
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
