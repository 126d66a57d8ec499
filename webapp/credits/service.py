"""Rewards and credits (SPEC §5, §6): what a completed booking earns, what a refund claws back,
what a redeem takes, and the growth team's decisions on held rewards and manual adjustments.

These are steps of a transaction, not transactions: nothing here commits. The caller owns the
one transaction of each state change: the events endpoint (webapp/internal), which records the
event's answer in the same transaction, and the growth team's review and adjustments
(webapp/growth). What the database guarantees, whatever runs at once:
  - the ledger is append-only, and the balance row moves with each entry (migration 070);
  - a redeem never overdraws: the balance row is locked while the amount is decided, and its
    CHECK (balance_cents >= 0) refuses anything that would;
  - the monthly cap: a slot is taken by one conditional upsert of a counter row (take_cap_slot);
  - an invite earns once (referral_reward's key), an award is clawed back once (a unique index).
docs/decisions.md, "Credits", says the rules in words.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from ..core import clock
from ..core.errors import Invalid, NotFound
from ..core.ids import new_id
from ..core.templating import money
from ..referrals.rules import COLLUSION, InviteStatus, cap_month
from . import queries
from .rules import MAX_CENTS, redeemable_cents, reward_cents

# An invite can still earn while it is in one of these states.
EARNING = (InviteStatus.SIGNED_UP, InviteStatus.HELD)
MAX_REASON = 400  # ledger reasons hold 500 characters, with a prefix of ours


@dataclass(frozen=True)
class Credit:
    """One ledger entry written for an event: whose, how much, and the entry."""
    user_id: str
    amount_cents: int
    entry_id: str

    def answer(self) -> dict:
        return {"user_id": self.user_id, "amount_cents": self.amount_cents}


# --- booking.completed ---------------------------------------------------------------------------

def booking_completed(*, event_id: str, booking_id: str, buyer_user_id: str, provider_user_id: str,
                      buyer_fee_cents: int, occurred_at: datetime) -> list[Credit]:
    """A completed booking: for each party that an invite brought in and whose invite has not
    earned yet, this is its first qualifying booking. The inviter earns the program's reward
    (against the monthly cap of the booking's month) and, in a double-sided program, the invitee
    its welcome credit. A flagged invite, or a booking between inviter and invitee (collusion),
    is held for review instead. Returns the credits written."""
    credits: list[Credit] = []
    queries.lock_booking(booking_id)  # its refund, if one races it, waits, and sees what this pays
    if queries.is_refunded(booking_id):
        return credits  # refunded before it was reported completed: it never qualified
    parties = [(buyer_user_id, provider_user_id)]
    if provider_user_id != buyer_user_id:
        parties.append((provider_user_id, buyer_user_id))
    invites = queries.lock_invites_of_invitees([party for party, _ in parties])
    for party, other in parties:
        invite = invites.get(party)
        if invite is None or invite["status"] not in EARNING or occurred_at < invite["accepted_at"]:
            continue
        flags = set(invite["fraud_flags"])
        if flags and invite["status"] == InviteStatus.SIGNED_UP and queries.was_approved(invite["invite_id"]):
            flags = set()  # the growth team released its sign-up: only a new flag holds it again
        if other == invite["inviter_user_id"]:
            flags.add(COLLUSION)
        inviter_cents = reward_cents(fixed_cents=invite["reward_fixed_cents"], bips=invite["reward_bips"],
                                     buyer_fee_cents=buyer_fee_cents)
        if inviter_cents <= 0:
            continue  # a share of a zero fee earns nothing: not a qualifying booking, the next one may be
        if not queries.insert_reward(invite_id=invite["invite_id"], booking_id=booking_id, event_id=event_id,
                                     buyer_fee_cents=buyer_fee_cents, inviter_cents=inviter_cents,
                                     invitee_cents=invite["invitee_fixed_cents"], earned_at=occurred_at):
            continue  # not its first booking
        if flags:
            queries.set_invite_status(invite["invite_id"], InviteStatus.HELD, sorted(flags))
            continue
        credits += _pay(invite, queries.reward_of(invite["invite_id"]))
    return credits


def _pay(invite: dict, reward: dict) -> list[Credit]:
    """Pay an earned reward: the inviter's against the cap of the month it was earned in (past it,
    the invite is "over the monthly cap" and the inviter gets nothing), the invitee's welcome
    credit whatever the cap (the public page promised it to them)."""
    credits = []
    inviter_entry = invitee_entry = None
    has_slot = queries.take_cap_slot(inviter_user_id=invite["inviter_user_id"], program_id=invite["program_id"],
                                     month=cap_month(reward["earned_at"]), cap=invite["monthly_cap"])
    booking = reward["booking_id"]
    if has_slot and reward["inviter_cents"] > 0:
        inviter_entry = queries.insert_entry(
            user_id=invite["inviter_user_id"], kind="award", amount_cents=reward["inviter_cents"],
            reason=f"Referral reward: {invite['invitee_name']}'s first booking ({booking})",
            related_id=invite["invite_id"], program_id=invite["program_id"])
        credits.append(Credit(invite["inviter_user_id"], reward["inviter_cents"], inviter_entry))
    if reward["invitee_cents"] > 0:
        invitee_entry = queries.insert_entry(
            user_id=invite["invitee_user_id"], kind="award", amount_cents=reward["invitee_cents"],
            reason=f"Welcome credit: your first booking after {invite['inviter_name']}'s invite ({booking})",
            related_id=invite["invite_id"], program_id=invite["program_id"])
        credits.append(Credit(invite["invitee_user_id"], reward["invitee_cents"], invitee_entry))
    queries.record_paid(invite["invite_id"], inviter_entry_id=inviter_entry, invitee_entry_id=invitee_entry)
    queries.set_invite_status(invite["invite_id"], InviteStatus.REWARDED if has_slot else InviteStatus.CAPPED)
    return credits


# --- booking.refunded ------------------------------------------------------------------------------

def booking_refunded(*, booking_id: str, event_id: str | None = None) -> list[Credit]:
    """Claw back exactly the awards this booking earned, each once (the clawback points at its
    award). A clawback larger than the balance left is recorded in full; the shortfall is owed.
    A reward still held for review is marked refunded: approving it then pays nothing. The refund
    is remembered, so a booking.completed for it that arrives later pays nothing either."""
    credits = []
    now = clock.now()
    queries.lock_booking(booking_id)
    queries.record_refund(booking_id, event_id=event_id, at=now)  # a completion reported later pays nothing
    for reward in queries.lock_rewards_of_booking(booking_id):
        if reward["refunded_at"] is None:
            queries.mark_refunded(reward["invite_id"], now)
        for award_id in (reward["inviter_entry_id"], reward["invitee_entry_id"]):
            if award_id is None:
                continue
            award = queries.entry(award_id)
            clawback = queries.insert_clawback_of(award, reason=f"Booking {booking_id} was refunded", at=now)
            if clawback is not None:
                credits.append(Credit(award["user_id"], award["amount_cents"], clawback))
        if reward["status"] == InviteStatus.REWARDED:
            queries.set_invite_status(reward["invite_id"], InviteStatus.CLAWED_BACK)
    return credits


# --- credit.redeem ---------------------------------------------------------------------------------

def redeem(*, user_id: str, booking_id: str, max_cents: int) -> tuple[int, int]:
    """Spend min(balance, max_cents) on a booking's service fee (scope buyer_fee_only).
    Returns (redeemed_cents, balance_cents after). The balance row stays locked until the caller
    commits, so concurrent redeems of one user queue and none overdraws.

    `max_cents` is the booking's fee: redeems for one booking together never take more than it
    (a checkout that retries under a new event id gets only what the first left of the fee)."""
    balance = queries.lock_balance(user_id)
    amount = redeemable_cents(balance, max_cents - queries.redeemed_for(user_id, booking_id))
    if amount > 0:
        queries.insert_entry(user_id=user_id, kind="redeem", amount_cents=amount,
                             reason=f"Applied to the service fee of booking {booking_id}", related_id=booking_id)
    return amount, balance - amount


# --- the growth team's decisions -------------------------------------------------------------------

def clean_reason(reason: str) -> str:
    """A decision's reason, trimmed; Invalid (on the `reason` field) when empty or too long."""
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(fields={"reason": "Say why: the decision is kept with its reason."})
    if len(reason) > MAX_REASON:
        raise Invalid(fields={"reason": f"At most {MAX_REASON} characters."})
    return reason


def approve(invite_id: str, *, actor_user_id: str, reason: str) -> list[Credit]:
    """Release a held invite. With its first booking already in, the reward is paid now, against
    the cap of the month it was earned in; without one, the invite earns on that booking as any
    other. Audited with who, when and why."""
    reason = clean_reason(reason)
    invite = _held(invite_id)
    reward = queries.reward_of(invite_id)
    credits: list[Credit] = []
    if reward is None:
        queries.set_invite_status(invite_id, InviteStatus.SIGNED_UP)
    elif reward["refunded_at"] is not None:
        raise Invalid("The booking that earned this reward was refunded: there is nothing to award. Reject it.")
    else:
        credits = _pay(invite, reward)
    # The decision names the inviter's award (none when over the cap; the invitee's credit is not theirs).
    award = next((c.entry_id for c in credits if c.user_id == invite["inviter_user_id"]), None)
    queries.insert_decision(actor_user_id=actor_user_id, action="approve", subject_user_id=invite["inviter_user_id"],
                            invite_id=invite_id, entry_id=award, reason=reason)
    return credits


def reject(invite_id: str, *, actor_user_id: str, reason: str) -> None:
    """Refuse a held invite's reward for good: it earns nothing, now or later. Audited."""
    reason = clean_reason(reason)
    invite = _held(invite_id)
    queries.set_invite_status(invite_id, InviteStatus.REJECTED)
    queries.insert_decision(actor_user_id=actor_user_id, action="reject", subject_user_id=invite["inviter_user_id"],
                            invite_id=invite_id, reason=reason)


def _held(invite_id: str) -> dict:
    invite = queries.lock_invite(invite_id)
    if invite is None:
        raise NotFound(invite_id)
    if invite["status"] != InviteStatus.HELD:
        state = InviteStatus(invite["status"]).label.lower()
        raise Invalid(f"This invite is no longer held for review (it is {state}).")
    return invite


def claw_back_award(entry_id: str, *, actor_user_id: str, reason: str) -> Credit:
    """Take back one award in full (confirmed fraud, a mistake): the clawback points at the award,
    so neither this nor a later refund can take it back twice, and the invite it paid for becomes
    "Clawed back". Audited. Past the balance, the shortfall is owed."""
    reason = clean_reason(reason)
    award = queries.entry(entry_id)
    if award is None or award["kind"] != "award":
        raise NotFound(entry_id)
    clawback = queries.insert_clawback_of(award, reason=f"Clawed back by the growth team: {reason}")
    if clawback is None:
        raise Invalid("This award was already clawed back.")
    invite_id = award["related_id"] if (award["related_id"] or "").startswith("rfi_") else None
    if invite_id is not None:
        queries.set_invite_status_from(invite_id, InviteStatus.REWARDED, InviteStatus.CLAWED_BACK)
    queries.insert_decision(actor_user_id=actor_user_id, action="clawback", subject_user_id=award["user_id"],
                            invite_id=invite_id, entry_id=clawback, amount_cents=award["amount_cents"],
                            reason=reason)
    return Credit(award["user_id"], award["amount_cents"], clawback)


@dataclass(frozen=True)
class Adjustment:
    """A manual adjustment as recorded: its entry and decision, and whether this call was a repeat
    of one already recorded under the same decision id (then nothing new was written)."""
    entry_id: str
    decision_id: str
    kind: str
    amount_cents: int
    repeated: bool = False


def adjust(user_id: str, *, actor_user_id: str, kind: str, amount_cents: int, reason: str,
           decision_id: str | None = None) -> Adjustment:
    """A manual award or clawback by the growth team: a new entry with its reason, never an edit.
    A clawback past the balance is recorded in full and the shortfall owed.

    `decision_id` is the form's one-time key (a `gdc_` id drawn with the form): a second call with
    it records nothing and returns the first adjustment, repeated=True. The key is locked first, so
    a copy submitted at the same moment waits for the first to commit and then finds it."""
    if decision_id is not None and not is_decision_id(decision_id):
        raise Invalid("This form is out of date: nothing was recorded. Reload the page and try again.")
    errors = {}
    if kind not in ("award", "clawback"):
        errors["kind"] = "Choose an award or a clawback."
    if amount_cents <= 0:
        errors["amount"] = "Enter an amount above zero, such as 25 or 12.50."
    elif amount_cents > MAX_CENTS:
        errors["amount"] = f"At most {money(MAX_CENTS)}."
    try:
        reason = clean_reason(reason)
    except Invalid as exc:
        errors.update(exc.fields)
    if errors:
        raise Invalid(fields=errors)
    if decision_id is None:
        decision_id = new_id("gdc")
    else:
        queries.lock_key(f"decision:{decision_id}")
        first = queries.decision(decision_id)
        if first is not None:
            if first["subject_user_id"] != user_id or first["action"] not in ("award", "clawback"):
                raise Invalid("This form was already used for another decision. Reload the page and try again.")
            return Adjustment(first["entry_id"], decision_id, first["action"], first["amount_cents"], repeated=True)
    # The entry points at the decision, the decision at the entry.
    entry_id = queries.insert_entry(user_id=user_id, kind=kind, amount_cents=amount_cents,
                                    reason=f"Adjustment by the growth team: {reason}", related_id=decision_id)
    queries.insert_decision(decision_id=decision_id, actor_user_id=actor_user_id, action=kind,
                            subject_user_id=user_id, entry_id=entry_id, amount_cents=amount_cents, reason=reason)
    return Adjustment(entry_id, decision_id, kind, amount_cents)


_DECISION_ID = re.compile(r"gdc_[0-9a-z]{26}")


def is_decision_id(value: str) -> bool:
    """A decision id as core.ids makes them (the adjustment form's one-time key)."""
    return bool(_DECISION_ID.fullmatch(value or ""))
