"""The credits of the demo: the referrals area's events (first bookings, refunds, the growth
team's decisions, redeems) replayed in time order through the credits service's rules, so every
row has the shape the service writes (webapp/credits/service.py, migration 070):

- an award's related_id is its invite, a clawback's the award it takes back, a redeem's the
  booking, a manual adjustment's the growth team's decision (which names the entry);
- referral_reward holds each invite's first booking and the entries it paid; referral_cap_use
  counts the rewards per inviter, program and month; growth_decision every decision;
- the balance and what is owed move as migration 070's trigger moves them, so a redeem never
  takes more than the balance, and a clawback past it is owed.

The service itself needs a database and the moment of each event; the demo is built in memory
first (base.py), so `Books` follows the same rules step by step. The demo tests check the
written rows against the database's own balance rows. No internal_event rows: the events
endpoint keeps its answers byte for byte, and the demo does not invent them.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from ..credits.rules import redeemable_cents, reward_cents
from ..referrals.rules import COLLUSION, InviteStatus, cap_month
from .base import DemoData
from .people import accounts_of

S = InviteStatus
EARNING = (S.SIGNED_UP, S.HELD)  # as the service's: an invite can still earn in these states


class Books:
    """The credits service's steps over the demo's rows: each method is the service function of the
    same name, at the moment `at` (the service's clock.now())."""

    def __init__(self, data: DemoData):
        self.data = data
        self.growth = data.accounts["growth@demo.test"]  # who makes the growth team's decisions
        self.balances: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # user: [balance_cents, owed_cents]
        self.rewards: dict[str, dict] = {}  # referral_reward rows by invite
        self.cap_use: dict[tuple, dict] = {}  # referral_cap_use rows by (inviter, program, month)
        self.entries: dict[str, dict] = {}
        self.clawed_back: set[str] = set()  # awards with a clawback
        self.approved: set[str] = set()  # invites the growth team released: their sign-up flags hold no more
        self.last_entry: dict[str, datetime] = {}

    # -- the ledger, and the balance row migration 070's trigger keeps from it ----------------
    def entry(self, user_id: str, kind: str, amount: int, at: datetime, reason: str, related_id: str,
              program_id: str | None = None) -> str:
        balance, owed = self.balances[user_id]
        if kind == "award":  # pays off what is owed first
            balance, owed = balance + max(amount - owed, 0), max(owed - amount, 0)
        elif kind == "clawback":  # recorded in full; what the balance cannot cover is owed
            balance, owed = max(balance - amount, 0), owed + max(amount - balance, 0)
        elif amount > balance:
            raise AssertionError(f"demo redeem of {amount} by {user_id} overdraws {balance}")
        else:
            balance -= amount
        self.balances[user_id] = [balance, owed]
        row = self.data.add("credit_ledger", entry_id=self.data.id_at("crl", at), user_id=user_id, kind=kind,
                            program_id=program_id, amount_cents=amount, currency="USD", reason=reason,
                            related_id=related_id, created_at=at)
        self.entries[row["entry_id"]] = row
        self.last_entry[user_id] = at
        return row["entry_id"]

    def decision(self, at: datetime, action: str, subject_user_id: str, reason: str, *, invite_id: str | None = None,
                 entry_id: str | None = None, amount_cents: int | None = None, decision_id: str | None = None) -> str:
        row = self.data.add("growth_decision", decision_id=decision_id or self.data.id_at("gdc", at),
                            actor_user_id=self.growth["user_id"], action=action, subject_user_id=subject_user_id,
                            invite_id=invite_id, entry_id=entry_id, amount_cents=amount_cents, reason=reason,
                            created_at=at)
        return row["decision_id"]

    # -- booking.completed ---------------------------------------------------------------
    def booking_completed(self, at: datetime, *, invite: dict, event_id: str, booking_id: str, occurred_at: datetime,
                          buyer_fee_cents: int, other_party: str | None) -> None:
        invite_id = invite["invite_id"]
        if invite["status"] not in EARNING or occurred_at < invite["accepted_at"] or invite_id in self.rewards:
            raise AssertionError(f"demo booking {booking_id} earns nothing for {invite_id}")
        program = invite["_program"]
        flags = set(invite["fraud_flags"])
        if invite["status"] == S.SIGNED_UP and invite_id in self.approved:
            flags = set()  # the growth team released its sign-up: only a new flag holds it again
        if other_party == invite["inviter_user_id"]:
            flags.add(COLLUSION)
        self.rewards[invite["invite_id"]] = self.data.add(
            "referral_reward", invite_id=invite["invite_id"], booking_id=booking_id, event_id=event_id,
            buyer_fee_cents=buyer_fee_cents,
            inviter_cents=reward_cents(fixed_cents=program["reward_fixed_cents"], bips=program["reward_bips"],
                                       buyer_fee_cents=buyer_fee_cents),
            invitee_cents=program["invitee_fixed_cents"], earned_at=occurred_at, inviter_entry_id=None,
            invitee_entry_id=None, refunded_at=None, created_at=at)
        if flags:
            invite.update(status=str(S.HELD), fraud_flags=sorted(flags))
            return
        self.pay(invite, at)

    def pay(self, invite: dict, at: datetime) -> None:
        """The inviter's reward against the cap of the month it was earned in; the invitee's welcome
        credit whatever the cap."""
        program, reward = invite["_program"], self.rewards[invite["invite_id"]]
        has_slot = self.take_cap_slot(invite["inviter_user_id"], program, cap_month(reward["earned_at"]))
        booking = reward["booking_id"]
        if has_slot and reward["inviter_cents"] > 0:
            reward["inviter_entry_id"] = self.entry(
                invite["inviter_user_id"], "award", reward["inviter_cents"], at,
                f"Referral reward: {invite['_invitee']['display_name']}'s first booking ({booking})",
                invite["invite_id"], program["program_id"])
        if reward["invitee_cents"] > 0:
            reward["invitee_entry_id"] = self.entry(
                invite["invitee_user_id"], "award", reward["invitee_cents"], at,
                f"Welcome credit: your first booking after {invite['_inviter']['display_name']}'s invite ({booking})",
                invite["invite_id"], program["program_id"])
        invite["status"] = str(S.REWARDED if has_slot else S.CAPPED)

    def take_cap_slot(self, inviter_user_id: str, program: dict, month) -> bool:
        cap = program["monthly_cap"]
        key = (inviter_user_id, program["program_id"], month)
        row = self.cap_use.get(key)
        if cap <= 0 or (row and row["used"] >= cap):
            return False
        if row is None:
            self.cap_use[key] = self.data.add("referral_cap_use", inviter_user_id=inviter_user_id,
                                              program_id=program["program_id"], month=month, used=1, cap=cap)
        else:
            row.update(used=row["used"] + 1, cap=cap)
        return True

    # -- booking.refunded ----------------------------------------------------------------
    def booking_refunded(self, at: datetime, *, booking_id: str) -> None:
        rewards = sorted((r for r in self.rewards.values() if r["booking_id"] == booking_id),
                         key=lambda r: r["invite_id"])
        invites = {i["invite_id"]: i for i in self.data.rows["referral_invite"]}
        for reward in rewards:
            if reward["refunded_at"] is None:
                reward["refunded_at"] = at
            for award_id in (reward["inviter_entry_id"], reward["invitee_entry_id"]):
                if award_id is None or award_id in self.clawed_back:
                    continue
                award = self.entries[award_id]
                self.clawed_back.add(award_id)
                self.entry(award["user_id"], "clawback", award["amount_cents"], at,
                           f"Booking {booking_id} was refunded", award_id, award["program_id"])
            invite = invites[reward["invite_id"]]
            if invite["status"] == S.REWARDED:
                invite["status"] = str(S.CLAWED_BACK)

    # -- credit.redeem -------------------------------------------------------------------
    def redeem(self, at: datetime, *, user_id: str, booking_id: str, max_cents: int) -> int:
        amount = redeemable_cents(self.balances[user_id][0], max_cents)
        if amount > 0:
            self.entry(user_id, "redeem", amount, at, f"Applied to the service fee of booking {booking_id}", booking_id)
        return amount

    # -- the growth team's decisions -----------------------------------------------------
    def approve(self, at: datetime, *, invite: dict, reason: str) -> None:
        assert invite["status"] == S.HELD, invite["invite_id"]
        self.approved.add(invite["invite_id"])
        reward = self.rewards.get(invite["invite_id"])
        if reward is None:
            invite["status"] = str(S.SIGNED_UP)  # it earns on its first booking, as any other
        else:
            assert reward["refunded_at"] is None, invite["invite_id"]
            self.pay(invite, at)
        # The decision names the inviter's award (none when over the cap).
        self.decision(at, "approve", invite["inviter_user_id"], reason, invite_id=invite["invite_id"],
                      entry_id=reward and reward["inviter_entry_id"])

    def reject(self, at: datetime, *, invite: dict, reason: str) -> None:
        assert invite["status"] == S.HELD, invite["invite_id"]
        invite["status"] = str(S.REJECTED)
        self.decision(at, "reject", invite["inviter_user_id"], reason, invite_id=invite["invite_id"])

    def adjust(self, at: datetime, *, user_id: str, kind: str, amount_cents: int, reason: str) -> str:
        """A manual award or clawback: the entry points at the decision, the decision at the entry."""
        decision_id = self.data.id_at("gdc", at)
        entry_id = self.entry(user_id, kind, amount_cents, at, f"Adjustment by the growth team: {reason}", decision_id)
        self.decision(at, kind, user_id, reason, entry_id=entry_id, amount_cents=amount_cents,
                      decision_id=decision_id)
        return entry_id

    def fraud_clawback(self, at: datetime, *, invite: dict, reason: str) -> None:
        """Confirmed fraud: the growth team claws the invite's reward back by hand."""
        reward = self.rewards[invite["invite_id"]]
        assert reward["inviter_entry_id"], invite["invite_id"]
        self.adjust(at, user_id=invite["inviter_user_id"], kind="clawback", amount_cents=reward["inviter_cents"],
                    reason=reason)

    def replay(self, events: list[dict]) -> None:
        for event in sorted(events, key=lambda e: (e["at"], e["seq"])):
            details = {k: v for k, v in event.items() if k not in ("at", "step", "seq")}
            getattr(self, event["step"])(event["at"], **details)


def seed_credits(data: DemoData) -> None:
    books = Books(data)
    # A goodwill credit from the growth team, for a booking the studio double-booked.
    member = sorted(accounts_of(data, "member"), key=lambda a: a["created_at"])[4]
    at = max(member["created_at"], data.ago(18)) + timedelta(hours=2)
    data.event(at, "adjust", user_id=member["user_id"], kind="award", amount_cents=1_000,
               reason=f"Goodwill credit: the studio double-booked the shoot (booking {data.id_at('bkg', at)}).")
    # The demo buyer spends credit twice.
    buyer = data.accounts["buyer@demo.test"]["user_id"]
    for days, max_cents in ((30, 1_500), (10, 800)):
        at = data.ago(days, hours=5)
        data.event(at, "redeem", user_id=buyer, booking_id=data.id_at("bkg", at), max_cents=max_cents)
    books.replay(data.events)

    # About half of the other earners spend some of what is left, after their last entry.
    demo_logins = {a["user_id"] for a in accounts_of(data, "demo")}
    for user_id, (balance, _) in sorted(books.balances.items()):
        if user_id in demo_logins or data.rng.random() < 0.5:
            continue
        last = books.last_entry[user_id]
        if balance <= 0 or last > data.ago(1):
            continue
        at = data.random_time(last + timedelta(hours=1))
        books.redeem(at, user_id=user_id, booking_id=data.id_at("bkg", at),
                     max_cents=data.rng.randrange(300, 3_000, 50))

    check_stories(data)
    # Written oldest first: the database moves each balance entry by entry, and refuses a redeem
    # that would take one below zero (migration 070).
    data.rows["credit_ledger"].sort(key=lambda e: e["created_at"])


def check_stories(data: DemoData) -> None:
    """Refuse demo data whose invites do not end where their story says (a capped invite that was
    paid, a held one that was not held...)."""
    for invite in data.rows["referral_invite"]:
        if invite["status"] != invite["_state"]:
            raise AssertionError(f"demo invite {invite['invite_id']} ends {invite['status']},"
                                 f" not {invite['_state']}")
