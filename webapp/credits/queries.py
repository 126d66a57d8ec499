"""Credits SQL, both paths (core/reads.py says which is which).

Page reads of the /credits page (core.reads, `%(name)s` style, one statement each): a user's
balance, their pending rewards and their ledger history. Every statement starts from the user:
credit_balance by its key, credit_ledger through idx_credit_user_recent (user_id, created_at
desc, entry_id desc; migration 070), referral_invite through idx_rfi_inviter_recent (which
carries status, migration 062) and uq_rfi_invitee. Nothing reads the ledger whole, so the page
costs the same with a million entries in the table as with ten thousand (docs/benchmarks.md).

The write path of the credits service (db.session, `:name`), in the caller's transaction;
nothing commits: the ledger, the balance row the database keeps from it (migration 070), the
monthly cap's counter rows, the reward an invite earned, and the growth team's decisions. The
ledger is append-only (the database refuses UPDATE, DELETE and TRUNCATE), and its trigger moves
credit_balance with every entry, so the only write to money is `insert_entry`.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import text

from ..core import clock, reads
from ..core.extensions import db
from ..core.ids import new_id

# --- page reads: the /credits page ---------------------------------------------------------------

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
    names; for a clawback naming an award of the user's, that award's date; for an award, the
    clawback that took it back (the growth team's page offers "Claw back" only where there is none)."""
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
               case when award.user_id = %(u)s and award.kind = 'award' then award.created_at end as award_created_at,
               undone.entry_id as clawed_back_by
          from page
          left join referral_invite i on i.invite_id = page.related_id
          left join app_user invitee on invitee.user_id = i.invitee_user_id
          left join app_user inviter on inviter.user_id = i.inviter_user_id
          left join credit_ledger award on page.kind = 'clawback' and award.entry_id = page.related_id
          -- an award's clawback, if it has one: uq_credit_clawback_of_award, whose predicate is repeated here
          left join credit_ledger undone on page.kind = 'award' and undone.kind = 'clawback'
                and undone.related_id like 'crl\\_%%' and undone.related_id = page.entry_id
         order by page.created_at desc, page.entry_id desc
        """, params


# --- the write path -------------------------------------------------------------------------------

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


def redeemed_for(user_id: str, booking_id: str) -> int:
    """What the user's redeems for this booking took so far (asked under the balance row's lock)."""
    return db.session.execute(text(
        "select coalesce(sum(amount_cents), 0) from credit_ledger"
        " where user_id = :user_id and kind = 'redeem' and related_id = :booking_id"
    ), {"user_id": user_id, "booking_id": booking_id}).scalar()


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


def set_invite_status_from(invite_id: str, current: str, status: str) -> None:
    """Move the invite to `status` only if it is in `current` (a capped invite stays capped)."""
    db.session.execute(text("update referral_invite set status = :status where invite_id = :invite_id"
                            " and status = :current"),
                       {"invite_id": invite_id, "status": status, "current": current})


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


def lock_booking(booking_id: str) -> None:
    """Serialise the events of one booking (its completion and its refund) until the transaction ends."""
    lock_key(f"booking:{booking_id}")


def lock_key(key: str) -> None:
    """An advisory lock on `key` until the transaction ends: what else takes it waits for the commit."""
    db.session.execute(text("select pg_advisory_xact_lock(hashtextextended(:key, 0))"), {"key": key})


def decision(decision_id: str) -> dict | None:
    """A growth decision by its id (an adjustment's one-time key: was it recorded already?)."""
    return _one("select decision_id, action, subject_user_id, entry_id, amount_cents from growth_decision"
                " where decision_id = :decision_id", {"decision_id": decision_id})


def is_refunded(booking_id: str) -> bool:
    return db.session.execute(text("select exists (select 1 from booking_refund where booking_id = :booking_id)"),
                              {"booking_id": booking_id}).scalar()


def record_refund(booking_id: str, *, event_id: str | None, at: datetime) -> None:
    db.session.execute(text(
        "insert into booking_refund (booking_id, event_id, refunded_at) values (:booking_id, :event_id, :at)"
        " on conflict (booking_id) do nothing"
    ), {"booking_id": booking_id, "event_id": event_id, "at": at})


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
