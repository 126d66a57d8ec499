"""The credits service under any sequence of events: a Hypothesis state machine over first
bookings (award), refunds (clawback, replays of a refund included), redeems, re-delivered
bookings, the growth team's approvals and rejections of held invites, and manual adjustments.
Each step is one transaction through webapp/credits/service.py, as the events endpoint and the
growth pages run them. After every step the database must show:

- no balance below zero, and balance − owed = the sum of the user's signed entries;
- no entry or decision ever changed (every row seen is kept and compared);
- never more rewards than the cap per inviter, program and month, and the counter row agreeing;
- each award clawed back at most once, by a clawback of its own user and amount;
- the invites, balances and answers that the rules (docs/decisions.md, "Credits") predict.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from tests.conftest import insert_user
from tests.growth.factories import make_invite, make_program
from webapp.core.errors import Invalid
from webapp.core.extensions import db
from webapp.core.ids import new_id
from webapp.credits import service
from webapp.credits.rules import SIGNED_AMOUNT_SQL, reward_cents
from webapp.referrals.rules import cap_month

SIGNED_UP = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)  # every invitee joins then; bookings come later
MONTHS = (datetime(2026, 2, 1, tzinfo=UTC), datetime(2026, 3, 1, tzinfo=UTC))
FLAGS = ((), ("self_referral",), ("signup_burst", "disposable_email"))


@dataclass
class Program:
    program_id: str
    fixed: int
    bips: int
    invitee_cents: int
    cap: int


@dataclass
class Invite:
    invite_id: str
    program: Program
    inviter: str
    invitee: str
    flags: set[str]
    status: str
    approved: bool = False
    reward: dict | None = None  # booking_id, month, inviter_cents, refunded, paid: [(user, amount)]


@dataclass
class Booking:
    event_id: str
    booking_id: str
    buyer: str
    provider: str
    fee: int
    occurred_at: datetime


@dataclass
class Model:
    """What the rules say the database holds: balances, cap slots, invites."""
    balance: dict[str, int] = field(default_factory=dict)
    owed: dict[str, int] = field(default_factory=dict)
    slots: dict[tuple, int] = field(default_factory=dict)
    invites: dict[str, Invite] = field(default_factory=dict)  # by invitee user id

    def move(self, user: str, kind: str, amount: int) -> None:
        """migration 070's trigger: awards pay off what is owed first; a clawback past the balance is owed."""
        balance, owed = self.balance.get(user, 0), self.owed.get(user, 0)
        if kind == "award":
            balance, owed = balance + max(amount - owed, 0), max(owed - amount, 0)
        elif kind == "clawback":
            balance, owed = max(balance - amount, 0), owed + max(amount - balance, 0)
        else:
            balance -= amount
        self.balance[user], self.owed[user] = balance, owed

    def pay(self, invite: Invite) -> None:
        key = (invite.inviter, invite.program.program_id, invite.reward["month"])
        has_slot = self.slots.get(key, 0) < invite.program.cap
        if has_slot:
            self.slots[key] = self.slots.get(key, 0) + 1
            invite.reward["paid"].append((invite.inviter, invite.reward["inviter_cents"]))
        if invite.program.invitee_cents:
            invite.reward["paid"].append((invite.invitee, invite.program.invitee_cents))
        for user, amount in invite.reward["paid"]:
            self.move(user, "award", amount)
        invite.status = "rewarded" if has_slot else "capped"


class LedgerMachine(RuleBasedStateMachine):
    app = None  # set by the test
    conn = None

    bookings = Bundle("bookings")

    def __init__(self):
        super().__init__()
        self.model = Model()
        self.entries: dict[str, tuple] = {}  # every ledger row seen, as first seen
        self.decisions: dict[str, tuple] = {}
        self.users: list[str] = []
        self.programs: list[Program] = []
        self.inviters: list[str] = []
        self.stranger = self.growth = ""

    # --- the database, as the app and as a reader --------------------------------------------
    def step(self, call):
        """One state change in one transaction, as the events endpoint and the growth pages run it."""
        with self.app.app_context():
            try:
                result = call()
                db.session.commit()
                return result
            except BaseException:
                db.session.rollback()
                raise

    def all(self, query: str, *args) -> list[tuple]:
        return self.conn.execute(query, args).fetchall()

    def user(self, role: str = "member") -> str:
        user_id = insert_user(self.conn, role, name=f"User {len(self.users) + 1}")["user_id"]
        self.users.append(user_id)
        return user_id

    @initialize(caps=st.lists(st.integers(0, 3), min_size=2, max_size=2),
                bips=st.sampled_from((0, 500, 1_000)), invitee_cents=st.sampled_from((0, 700)))
    def world(self, caps, bips, invitee_cents):
        """Two inviters, a stranger to book with, the growth team, and two programs with small caps."""
        self.inviters = [self.user("provider"), self.user("member")]
        self.stranger = self.user("provider")
        self.growth = insert_user(self.conn, "growth")["user_id"]
        for cap, (fixed, program_bips, invitee) in zip(caps, ((1_000, bips, invitee_cents), (500, 0, 0)), strict=True):
            program_id = make_program(self.conn, fixed=fixed, bips=program_bips, invitee=invitee, cap=cap)
            self.programs.append(Program(program_id, fixed, program_bips, invitee, cap))

    # --- the rules ------------------------------------------------------------------------------
    @rule(program=st.integers(0, 1), inviter=st.integers(0, 1), flags=st.sampled_from(FLAGS))
    def sign_up(self, program, inviter, flags):
        """An invitee joins through an invite; a sign-up fraud rule holds it (the invites feature's)."""
        invitee = self.user()
        status = "held" if flags else "signed_up"
        invite_id = make_invite(self.conn, self.programs[program].program_id, {"user_id": self.inviters[inviter]},
                                invitee={"user_id": invitee}, at=SIGNED_UP - timedelta(minutes=5),
                                status=status, flags=flags)
        self.model.invites[invitee] = Invite(invite_id, self.programs[program], self.inviters[inviter], invitee,
                                             set(flags), status)

    @rule(target=bookings, fresh=st.booleans(), buyer=st.integers(0, 20),
          other=st.sampled_from(("stranger", "inviter", "invitee")), other_index=st.integers(0, 20),
          fee=st.sampled_from((0, 999, 1_999, 4_250, 12_000)), month=st.sampled_from(MONTHS), day=st.integers(0, 27))
    def booking_completed(self, fresh, buyer, other, other_index, fee, month, day):
        """A completed booking of an invitee (often one who has not booked yet: their first), with a
        stranger, their own inviter or another invitee."""
        invitees = list(self.model.invites)
        first_timers = [u for u in invitees if self.model.invites[u].reward is None]
        candidates = first_timers if fresh and first_timers else invitees
        if not candidates:
            buyer_id, provider_id = self.stranger, self.inviters[0]
        else:
            buyer_id = candidates[buyer % len(candidates)]
            provider_id = {"stranger": self.stranger, "inviter": self.model.invites[buyer_id].inviter,
                           "invitee": invitees[other_index % len(invitees)]}[other]
        booking = Booking(new_id("evt"), new_id("bkg"), buyer_id, provider_id, fee,
                          month + timedelta(days=day, hours=15))
        self.deliver(booking)
        return booking

    @rule(booking=bookings)
    def booking_delivered_again(self, booking):
        """The marketplace re-delivers a booking already heard of: nothing new is earned."""
        before = self.ledger_rows()
        statuses = {i.invite_id: i.status for i in self.model.invites.values()}
        assert self.step(lambda: service.booking_completed(**self.event_of(booking))) == []
        assert self.ledger_rows() == before
        assert {i.invite_id: i.status for i in self.model.invites.values()} == statuses
        self.check_invites()

    @rule(booking=bookings)
    def booking_refunded(self, booking):
        """A refund claws back exactly what the booking's rewards paid, once (a second refund is a replay)."""
        expected = []
        for invite in self.model.invites.values():
            reward = invite.reward
            if reward is None or reward["booking_id"] != booking.booking_id:
                continue
            if not reward["refunded"]:
                reward["refunded"] = True
                for user, amount in reward["paid"]:
                    self.model.move(user, "clawback", amount)
                    expected.append((user, amount))
                if invite.status == "rewarded":
                    invite.status = "clawed_back"
        credits = self.step(lambda: service.booking_refunded(booking_id=booking.booking_id))
        assert sorted((c.user_id, c.amount_cents) for c in credits) == sorted(expected)
        self.check_invites()

    @rule(who=st.integers(0, 30), max_cents=st.sampled_from((1, 250, 999, 1_000, 5_000, 100_000)))
    def redeem(self, who, max_cents):
        """Checkout spends up to max_cents: min(balance, max_cents), never more than there is."""
        user = self.users[who % len(self.users)]
        balance = self.model.balance.get(user, 0)
        expected = min(balance, max_cents)
        redeemed = self.step(lambda: service.redeem(user_id=user, booking_id=new_id("bkg"), max_cents=max_cents))
        assert redeemed == (expected, balance - expected)
        if expected:
            self.model.move(user, "redeem", expected)

    @precondition(lambda self: self.held())
    @rule(which=st.integers(0, 20))
    def approve(self, which):
        """The growth team releases a held invite: it pays now if its first booking is in, else it earns
        on that booking as any other. One whose booking was refunded is refused (reject it instead)."""
        invite = self.held()[which % len(self.held())]
        if invite.reward and invite.reward["refunded"]:
            with pytest.raises(Invalid):
                self.step(lambda: service.approve(invite.invite_id, actor_user_id=self.growth, reason="Checked"))
            return
        credits = self.step(lambda: service.approve(invite.invite_id, actor_user_id=self.growth, reason="Checked"))
        invite.approved = True
        if invite.reward is None:
            invite.status = "signed_up"
        else:
            self.model.pay(invite)
        assert [(c.user_id, c.amount_cents) for c in credits] == (invite.reward or {}).get("paid", [])
        award = next((c.entry_id for c in credits if c.user_id == invite.inviter), None)
        assert self.all("select action, subject_user_id, entry_id from growth_decision where invite_id = %s"
                        " order by created_at desc limit 1", invite.invite_id) == [("approve", invite.inviter, award)]
        self.check_invites()

    @precondition(lambda self: self.held())
    @rule(which=st.integers(0, 20))
    def reject(self, which):
        """The growth team refuses a held invite for good."""
        invite = self.held()[which % len(self.held())]
        self.step(lambda: service.reject(invite.invite_id, actor_user_id=self.growth, reason="Not real"))
        invite.status = "rejected"
        self.check_invites()

    @precondition(lambda self: len(self.held()) < len(self.model.invites))
    @rule(which=st.integers(0, 20), action=st.sampled_from(("approve", "reject")))
    def decide_on_an_invite_not_held(self, which, action):
        """Only a held invite can be approved or rejected; any other is refused and nothing changes."""
        others = [i for i in self.model.invites.values() if i.status != "held"]
        invite = others[which % len(others)]
        with pytest.raises(Invalid):
            self.step(lambda: getattr(service, action)(invite.invite_id, actor_user_id=self.growth, reason="Again"))
        self.check_invites()

    @rule(who=st.integers(0, 30), kind=st.sampled_from(("award", "clawback")),
          amount=st.sampled_from((1, 300, 2_500, 50_000)))
    def adjust(self, who, kind, amount):
        """A manual award or clawback; a clawback larger than the balance is recorded in full and owed."""
        user = self.users[who % len(self.users)]
        entry_id = self.step(lambda: service.adjust(user, actor_user_id=self.growth, kind=kind, amount_cents=amount,
                                                     reason="Manual correction")).entry_id
        self.model.move(user, kind, amount)
        decision_id = self.all("select related_id from credit_ledger where entry_id = %s", entry_id)[0][0]
        assert self.all("select action, subject_user_id, entry_id, amount_cents from growth_decision"
                        " where decision_id = %s", decision_id) == [(kind, user, entry_id, amount)]

    # --- what the rules predict for a booking ----------------------------------------------------
    def event_of(self, booking: Booking) -> dict:
        return {"event_id": booking.event_id, "booking_id": booking.booking_id, "buyer_user_id": booking.buyer,
                "provider_user_id": booking.provider, "buyer_fee_cents": booking.fee,
                "occurred_at": booking.occurred_at}

    def deliver(self, booking: Booking) -> None:
        expected = []
        parties = [(booking.buyer, booking.provider)]
        if booking.provider != booking.buyer:
            parties.append((booking.provider, booking.buyer))
        for party, other in parties:
            invite = self.model.invites.get(party)
            if invite is None or invite.status not in ("signed_up", "held") or invite.reward is not None:
                continue
            invite.reward = {"booking_id": booking.booking_id, "month": cap_month(booking.occurred_at),
                             "inviter_cents": reward_cents(fixed_cents=invite.program.fixed, bips=invite.program.bips,
                                                           buyer_fee_cents=booking.fee),
                             "refunded": False, "paid": []}
            flags = set() if invite.approved else set(invite.flags)
            if other == invite.inviter:
                flags.add("collusion")
            if flags:
                invite.flags = flags
                invite.status = "held"
            else:
                self.model.pay(invite)
                expected += invite.reward["paid"]
        credits = self.step(lambda: service.booking_completed(**self.event_of(booking)))
        assert [(c.user_id, c.amount_cents) for c in credits] == expected
        self.check_invites()

    def held(self) -> list[Invite]:
        return [i for i in self.model.invites.values() if i.status == "held"]

    def check_invites(self) -> None:
        rows = dict(((invite_id, (status, set(flags))) for invite_id, status, flags in self.all(
            "select invite_id, status, fraud_flags from referral_invite where inviter_user_id = any(%s)",
            self.inviters)))
        assert rows == {i.invite_id: (i.status, i.flags) for i in self.model.invites.values()}

    def ledger_rows(self) -> list[tuple]:
        return self.all("select entry_id, user_id, kind, program_id, amount_cents, currency, reason, related_id,"
                        " created_at from credit_ledger where user_id = any(%s) order by entry_id", self.users)

    # --- invariants, after every step ------------------------------------------------------------
    @invariant()
    def balances_are_never_negative_and_add_up(self):
        sums = dict(self.all(f"select user_id, sum({SIGNED_AMOUNT_SQL}) from credit_ledger"
                             " where user_id = any(%s) group by 1", self.users))
        balances = {u: (b, o) for u, b, o in self.all(
            "select user_id, balance_cents, owed_cents from credit_balance where user_id = any(%s)", self.users)}
        for user in self.users:
            balance, owed = balances.get(user, (0, 0))
            assert balance >= 0 and owed >= 0
            assert balance - owed == sums.get(user, 0), user
            assert (balance, owed) == (self.model.balance.get(user, 0), self.model.owed.get(user, 0)), user

    @invariant()
    def no_entry_or_decision_ever_changes(self):
        rows = self.ledger_rows()
        for row in rows:
            assert self.entries.setdefault(row[0], row) == row
        assert len(rows) == len(self.entries)  # none disappeared
        decisions = self.all("select * from growth_decision where actor_user_id = %s", self.growth)
        for row in decisions:
            assert self.decisions.setdefault(row[0], row) == row
        assert len(decisions) == len(self.decisions)

    @invariant()
    def the_cap_is_never_exceeded(self):
        if not self.programs:
            return
        caps = {p.program_id: p.cap for p in self.programs}
        paid = dict(((inviter, program, month), n) for inviter, program, month, n in self.all(
            "select i.inviter_user_id, i.program_id, date_trunc('month', r.earned_at at time zone 'UTC')::date,"
            "       count(*)"
            "  from referral_reward r join referral_invite i using (invite_id)"
            " where r.inviter_entry_id is not null and i.inviter_user_id = any(%s) group by 1, 2, 3",
            self.inviters))
        counters = dict(((inviter, program, month), (used, cap)) for inviter, program, month, used, cap in self.all(
            "select inviter_user_id, program_id, month, used, cap from referral_cap_use"
            " where inviter_user_id = any(%s)", self.inviters))
        assert {k: used for k, (used, _) in counters.items()} == paid == self.model.slots
        for (_, program, _), (used, cap) in counters.items():
            assert used <= cap == caps[program]

    @invariant()
    def each_award_is_clawed_back_at_most_once_by_its_own_amount(self):
        rows = self.all(
            "select c.related_id, a.kind, a.user_id = c.user_id, a.amount_cents = c.amount_cents"
            "  from credit_ledger c left join credit_ledger a on a.entry_id = c.related_id"
            " where c.kind = 'clawback' and c.related_id like 'crl\\_%%' and c.user_id = any(%s)", self.users)
        assert len({r[0] for r in rows}) == len(rows)
        assert all(r[1:] == ("award", True, True) for r in rows)


def test_the_ledger_keeps_its_rules_under_any_sequence_of_events(app, db_conn):
    LedgerMachine.app, LedgerMachine.conn = app, db_conn
    run_state_machine_as_test(LedgerMachine, settings=settings(
        max_examples=25, stateful_step_count=20, deadline=None, derandomize=True, database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]))
