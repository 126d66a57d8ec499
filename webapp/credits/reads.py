"""SQL of the /credits page: a user's balance, their pending rewards and their ledger history.

Page reads (core.reads: one statement each on the autocommit engine, `%(name)s` style); the
credits service's write path is in queries.py. Every statement starts from the user:
credit_balance by its key, credit_ledger through idx_credit_user_recent (user_id, created_at
desc, entry_id desc; migration 070), referral_invite through idx_rfi_inviter_recent (which
carries status, migration 062) and uq_rfi_invitee. Nothing reads the ledger whole, so the page
costs the same with a million entries in the table as with ten thousand (docs/benchmarks.md).
"""
from __future__ import annotations

from datetime import datetime

from ..core import reads

# What is pending for an inviter: invites held for review, and invites whose invitee signed up
# and has not made a first qualifying booking yet.
PENDING_STATUSES = ("held", "signed_up")


def summary(user_id: str) -> dict:
    """The balance row (zeros for a user with no entries), how many of the user's invites are held
    for review and how many await their invitee's first booking, and the welcome credit the user
    is still to get as the invitee of a double-sided program (None when there is none): its
    amount (the reward's, once a booking earned it; else the program's), the invite's status and
    who invited them."""
    return reads.first(
        """
        select coalesce(b.balance_cents, 0) as balance_cents, coalesce(b.owed_cents, 0) as owed_cents,
               c.held, c.waiting,
               w.welcome_cents, w.welcome_status, w.welcome_booked, w.welcome_from
          from (select count(*) filter (where status = 'held') as held,
                       count(*) filter (where status = 'signed_up') as waiting
                  from referral_invite where inviter_user_id = %(u)s) c
          left join credit_balance b on b.user_id = %(u)s
          left join lateral (
            select coalesce(r.invitee_cents, p.invitee_fixed_cents) as welcome_cents, i.status as welcome_status,
                   r.invite_id is not null as welcome_booked, inviter.display_name as welcome_from
              from referral_invite i
              join referral_program p on p.program_id = i.program_id
              join app_user inviter on inviter.user_id = i.inviter_user_id
              left join referral_reward r on r.invite_id = i.invite_id
             where i.invitee_user_id = %(u)s and i.status in ('signed_up', 'held')
               and coalesce(r.invitee_cents, p.invitee_fixed_cents) > 0 and r.refunded_at is null
          ) w on true
        """,
        {"u": user_id},
    )


def pending_invites(user_id: str, *, per_status: int) -> list[dict]:
    """The newest `per_status` of the user's invites in each pending status, with what a row
    shows: the invitee, the program and its terms, and the reward its first booking earned when
    one did (a held invite's booking may be in already).

    Each status is its own range of idx_rfi_inviter_recent, filtered on the index's status and
    cut by the LIMIT; only those rows are joined. The statuses are written into the SQL (our own
    constants): as a parameter, PostgreSQL re-planned the prepared statement on every call (its
    generic plan looked dearer), 0.3–0.5 ms of planning for a 0.07 ms read."""
    statuses = ", ".join(f"('{status}')" for status in PENDING_STATUSES)
    return reads.rows(
        f"""
        select page.invite_id, page.created_at, page.status, page.invitee_hint,
               u.display_name as invitee_name, p.name as program_name,
               p.reward_fixed_cents, p.reward_bips, r.inviter_cents, r.refunded_at
          from (values {statuses}) as s(status)
          cross join lateral (
            select i.invite_id, i.created_at, i.status, i.program_id, i.invitee_user_id, i.invitee_hint
              from referral_invite i
             where i.inviter_user_id = %(u)s and i.status = s.status
             order by i.created_at desc, i.invite_id desc
             limit {int(per_status)}
          ) page
          join referral_program p on p.program_id = page.program_id
          left join app_user u on u.user_id = page.invitee_user_id
          left join referral_reward r on r.invite_id = page.invite_id
         order by page.status, page.created_at desc, page.invite_id desc
        """,
        {"u": user_id},
    )


def history(user_id: str, *, after: tuple[datetime, str] | None = None, limit: int = 26) -> list[dict]:
    """The user's ledger entries, newest first (ties: newest id first), `limit` of them after the
    (created_at, entry_id) cursor `after`, each with what its "relates to" needs: for an entry
    naming an invite, the invite's date, whether the user sent it, its invitee's and inviter's
    names; for a clawback naming an award of the user's, that award's date."""
    return reads.rows(*history_statement(user_id, after=after, limit=limit))


def history_statement(user_id: str, *, after: tuple[datetime, str] | None = None,
                      limit: int = 26) -> tuple[str, dict]:
    """history's SQL and parameters (bench/bench_credits.py explains the same statement).

    The page is one range of idx_credit_user_recent cut by the LIMIT; only its rows are joined,
    each by a primary key (a related_id of another kind matches nothing). The award a clawback
    names is joined on its key alone and checked to be the user's in the SELECT: with the check
    in the join, the generic plan psycopg's prepared statement settles on (it counts on some 50
    entries a user) read every entry of the user through idx_credit_user_recent to hash them,
    2.5 ms for a user with 10k entries instead of 26 key lookups (docs/benchmarks.md, Credits)."""
    keyset = " and (l.created_at, l.entry_id) < (%(after_at)s, %(after_id)s)" if after else ""
    params: dict = {"u": user_id}
    if after:
        params["after_at"], params["after_id"] = after
    return f"""
        with page as (
          select l.entry_id, l.created_at, l.kind, l.amount_cents, l.reason, l.related_id
            from credit_ledger l
           where l.user_id = %(u)s{keyset}
           order by l.created_at desc, l.entry_id desc
           limit {int(limit)}
        )
        select page.*,
               i.created_at as invite_created_at, i.inviter_user_id = %(u)s as own_invite,
               coalesce(invitee.display_name, i.invitee_hint) as invitee_name, inviter.display_name as inviter_name,
               case when award.user_id = %(u)s and award.kind = 'award' then award.created_at end as award_created_at
          from page
          left join referral_invite i on i.invite_id = page.related_id
          left join app_user invitee on invitee.user_id = i.invitee_user_id
          left join app_user inviter on inviter.user_id = i.inviter_user_id
          left join credit_ledger award on page.kind = 'clawback' and award.entry_id = page.related_id
         order by page.created_at desc, page.entry_id desc
        """, params
