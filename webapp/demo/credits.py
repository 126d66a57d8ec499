"""The credit ledger: awards for rewarded invites, clawbacks (refunds and
confirmed fraud), redeems against buyers' service fees, and one manual award
by the growth team. The reward formula, the sign of each kind and the monthly
cap are the features' rules (webapp/credits/rules.py, webapp/referrals/rules.py).
No balance ever goes below zero at any moment of the history (checked before
writing).
"""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import timedelta

from ..credits.rules import balance_cents, redeemable_cents, reward_cents, signed_cents
from ..referrals.rules import InviteStatus, cap_month, is_capped
from .base import DemoData
from .people import accounts_of


def _entry(data: DemoData, user_id: str, kind: str, amount: int, at, reason: str, related_id: str | None,
           program_id: str | None = None) -> dict:
    return data.add("credit_ledger", entry_id=data.id_at("crl", at), user_id=user_id, kind=kind,
                    program_id=program_id, amount_cents=amount, currency="USD", reason=reason,
                    related_id=related_id, created_at=at)


def seed_credits(data: DemoData) -> None:
    paid = Counter()  # rewards paid per inviter, program and calendar month
    for r in sorted(data.rewards, key=lambda r: r["booking_at"]):
        invite, program = r["invite"], r["program"]
        month = (invite["inviter_user_id"], program["program_id"], cap_month(r["booking_at"]))
        capped = is_capped(paid[month], program["monthly_cap"])
        if capped != (invite["_state"] == InviteStatus.CAPPED):
            raise AssertionError(f"demo invite {invite['invite_id']} ({invite['_state']}) is"
                                 f" {'' if capped else 'not '}past its program's monthly cap")
        if capped:
            continue  # the booking counts, nothing is paid
        paid[month] += 1
        amount = reward_cents(fixed_cents=program["reward_fixed_cents"], bips=program["reward_bips"],
                              buyer_fee_cents=r["fee"])
        invitee = invite["_invitee"]["display_name"]
        _entry(data, invite["inviter_user_id"], "award", amount, r["booking_at"] + timedelta(minutes=3),
               f"Referral reward: {invitee}'s first booking ({r['booking_id']})", invite["invite_id"],
               program["program_id"])
        if r["refunded_at"]:
            _entry(data, invite["inviter_user_id"], "clawback", amount, r["refunded_at"],
                   f"Booking {r['booking_id']} was refunded", invite["invite_id"], program["program_id"])
        if r["fraud_clawback_at"]:
            _entry(data, invite["inviter_user_id"], "clawback", amount, r["fraud_clawback_at"],
                   "Confirmed fraud after review: the invitee is the inviter's second account",
                   invite["invite_id"], program["program_id"])

    # A goodwill credit from the growth team, with the booking it makes up for.
    growth = accounts_of(data, "growth")[0]
    member = sorted(accounts_of(data, "member"), key=lambda a: a["created_at"])[4]
    at = max(member["created_at"], data.ago(18)) + timedelta(hours=2)
    _entry(data, member["user_id"], "award", 1_000, at,
           f"Goodwill credit: studio double-booked (approved by {growth['display_name']})", data.id_at("bkg", at))

    # Redeems: the demo buyer twice; about half of the other earners once.
    buyer = data.accounts["buyer@demo.test"]["user_id"]
    for days, amount in ((30, 1_500), (10, 800)):
        at = data.ago(days, hours=5)
        booking_id = data.id_at("bkg", at)
        _entry(data, buyer, "redeem", amount, at, f"Applied to the service fee of booking {booking_id}", booking_id)
    history = _history(data)
    for user_id, entries in sorted(history.items()):
        if user_id == buyer or data.rng.random() < 0.5:
            continue
        last = entries[-1]["created_at"]
        balance = balance_cents((e["kind"], e["amount_cents"]) for e in entries)
        if balance <= 0 or last > data.ago(1):
            continue
        at = data.random_time(last + timedelta(hours=1))
        amount = redeemable_cents(balance, data.rng.randrange(300, 3_000, 50))
        booking_id = data.id_at("bkg", at)
        _entry(data, user_id, "redeem", amount, at, f"Applied to the service fee of booking {booking_id}", booking_id)
    check_balances(data)
    # Written oldest first: the database moves each balance entry by entry, and refuses a redeem
    # that would take one below zero (migration 070).
    data.rows["credit_ledger"].sort(key=lambda e: e["created_at"])


def _history(data: DemoData) -> dict[str, list[dict]]:
    by_user: dict[str, list[dict]] = defaultdict(list)
    for e in sorted(data.rows["credit_ledger"], key=lambda e: e["created_at"]):
        by_user[e["user_id"]].append(e)
    return by_user


def check_balances(data: DemoData) -> None:
    """Refuse demo data whose history would ever show a negative balance."""
    for user_id, entries in _history(data).items():
        balance = 0
        for e in entries:
            balance += signed_cents(e["kind"], e["amount_cents"])
            if balance < 0:
                raise AssertionError(f"demo ledger of {user_id} goes below zero at {e['created_at']}")
