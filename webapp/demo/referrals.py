"""Referral programs of all three kinds and invites in every state, with the events that moved them.

The states, the monthly cap and the fraud rules are the referrals feature's
(webapp/referrals/rules.py). This area writes each invite as its sign-up left it
(`sent`, `signed_up`, or `held` when a sign-up fraud rule fires) and hands the
rest of its story to the credits area as events in time (`data.event`): its
first booking (`booking_completed`), a refund, the growth team's approval or
rejection, a manual clawback, a redeem. The credits area replays them through
the service's rules, which move the invite to where the story ends:

- sent           invitee_user_id is null: invited by e-mail, no account yet;
- signed_up      the invitee's account was created through the invite
                 (invitee_user_id, accepted_at); no qualifying booking yet
                 (or held, approved, and still waiting for one);
- rewarded       the first booking earned the inviter an award (and, in a
                 double-sided program, the invitee a welcome credit);
- clawed_back    rewarded, then the booking was refunded: each award clawed
                 back, pointing at it;
- capped         booked, but the inviter already had `monthly_cap` rewards in
                 that program and month: the invitee's welcome credit only;
- held           a fraud rule fired: a self-referral (the device and IP hash of
                 the invite the inviter joined through), a burst of sign-ups
                 from one IP hash or device, a disposable e-mail domain, or a
                 first booking between inviter and invitee (collusion);
- rejected       held, and the growth team refused it with a reason.

`_state` on each invite is where its story must end: the credits area refuses
demo data whose replay ends anywhere else, and `check_fraud_rules` confirms that
exactly the invites meant to be held at sign-up break a sign-up fraud rule.
`data.notes[state]` lists the invite ids of each story.
"""
from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from ..core.security import keyed_hash
from ..referrals import codes
from ..referrals.rules import SHARE_SOURCES, Fingerprint, fraud_flags, invitee_role
from ..referrals.rules import InviteStatus as S
from .base import DemoData
from .people import accounts_of, add_account, add_person, unique_name

# (key, kind, reward_bips, reward_fixed_cents, monthly_cap, active, created days ago)
PROGRAMS = (
    ("providers", "provider_invites_provider", 0, 2_500, 3, True, 85),
    ("brands", "buyer_invites_buyer", 1_000, 1_500, 5, True, 85),
    ("cross", "cross_side", 500, 0, 10, True, 70),
    ("launch", "provider_invites_provider", 0, 5_000, 2, False, 89),
    ("holiday", "cross_side", 1_000, 1_000, 5, False, 88),
)
# What the growth team calls each, who may invite under it, and the invitee's welcome credit.
PROGRAM_DETAILS = {
    "providers": ("Bring a fellow creative", ["provider"], 2_000),
    "brands": ("Brands bring brands", ["member"], 1_500),
    "cross": ("Both sides of the market", ["member", "provider"], 0),
    "launch": ("Launch month bonus", ["provider"], 0),
    "holiday": ("Holiday campaign", ["member", "provider"], 1_000),
}
DISPOSABLE_DOMAIN = "mailinator.com"


class Invites:
    """Helpers that keep one invite's rows consistent (invite, invitee account, reward)."""

    def __init__(self, data: DemoData):
        self.data = data
        self.programs: dict[str, dict] = {}
        self.ip_n = 10

    def hash(self, value: str) -> str:
        return keyed_hash(value, secret_key=self.data.secret_key)

    def device(self) -> str:
        return f"dfp_{self.data.rng.getrandbits(64):016x}"

    def ip(self) -> str:
        self.ip_n += 1
        return f"{(198, 203)[self.ip_n % 2]}.{(51, 0)[self.ip_n % 2]}.{(100, 113)[self.ip_n % 2]}.{self.ip_n % 250}"

    def program(self, key: str, kind: str, bips: int, fixed: int, cap: int, active: bool, days: int) -> dict:
        created = self.data.ago(days)
        row = self.data.add(
            "referral_program",
            program_id=self.data.id_at("rpr", created), kind=kind, reward_bips=bips, reward_fixed_cents=fixed,
            credit_scope="buyer_fee_only", monthly_cap=cap, active=active, created_at=created, _key=key,
            name=PROGRAM_DETAILS[key][0], inviter_roles=PROGRAM_DETAILS[key][1],
            invitee_fixed_cents=PROGRAM_DETAILS[key][2], version=1, updated_at=created,
        )
        self.programs[key] = row
        return row

    def invite(self, state: str, program_key: str, inviter: dict, at: datetime, *, booking_at: datetime | None = None,
               fee: int | None = None, device: str | None = None, ip: str | None = None,
               email_domain: str | None = None, refunded_at: datetime | None = None, collusion: bool = False,
               flagged: bool | None = None, invitee_tag: str | None = None, invitee_city: str | None = None) -> dict:
        """One invite whose story ends in `state`; accepted states create the invitee's account at `at`.

        booking_at: the invitee's first qualifying booking (fee: its buyer fee), with the inviter
        themselves when `collusion`; refunded_at: that booking's refund; flagged: a sign-up fraud rule
        holds it (by default: when the story ends held or rejected, collusion aside)."""
        data = self.data
        program = self.programs[program_key]
        city = invitee_city or inviter["city"] or "berlin"
        role = invitee_role(program["kind"], inviter["role"])
        created = at - timedelta(minutes=data.rng.randint(2, 25))
        held_at_signup = flagged if flagged is not None else state in (S.HELD, S.REJECTED) and not collusion
        invite = data.add(
            "referral_invite",
            invite_id=data.id_at("rfi", created), program_id=program["program_id"],
            inviter_user_id=inviter["user_id"], invitee_user_id=None, invitee_email_sha="",
            source="email" if state == S.SENT else data.rng.choice(SHARE_SOURCES),
            device_fp=device or self.device(), ip_addr_sha=self.hash(ip or self.ip()),
            created_at=created, accepted_at=None, fraud_flags=[],
            status=str(S.SENT if state == S.SENT else S.HELD if held_at_signup else S.SIGNED_UP),
            _state=state, _held_at_signup=held_at_signup, _inviter=inviter, _program=program,
        )
        if state == S.SENT:
            name = unique_name(data, city)
            invite["invitee_email_sha"] = self.hash(f"{name.lower().replace(' ', '.')}@example.com")
        else:
            email = None
            if email_domain:
                email = f"{unique_name(data, city).split()[0].lower()}{data.rng.randint(100, 999)}@{email_domain}"
            if role == "provider":
                tag = invitee_tag or data.rng.choice(("makeup-artist", "model", "hair-stylist", "photographer",
                                                      "wardrobe-stylist"))
                invitee = add_person(data, role=tag, city=city, created_at=at, kind="invitee", email=email)
            else:
                invitee = add_account(data, name=unique_name(data, city), role="member", city=city, created_at=at,
                                      kind="invitee", email=email)
            invite.update(invitee_user_id=invitee["user_id"], invitee_email_sha=self.hash(invitee["email"]),
                          accepted_at=at, _invitee=invitee)
        data.notes[state].append(invite["invite_id"])
        if booking_at:
            assert at < booking_at <= data.now, (state, booking_at)
            invite["_booking_id"] = data.id_at("bkg", booking_at)
            # The marketplace reports a completed booking a few minutes after it ends.
            data.event(booking_at + timedelta(minutes=3), "booking_completed", invite=invite,
                       event_id=data.id_at("evt", booking_at), booking_id=invite["_booking_id"],
                       occurred_at=booking_at, buyer_fee_cents=fee or data.rng.randrange(1_500, 9_000, 50),
                       other_party=inviter["user_id"] if collusion else None)
        if refunded_at:
            assert booking_at and booking_at < refunded_at <= data.now, (state, refunded_at)
            data.event(refunded_at, "booking_refunded", booking_id=invite["_booking_id"])
        return invite

    def decide(self, invite: dict, action: str, at: datetime, reason: str) -> None:
        """The growth team approves or rejects a held invite (growth@demo.test, with a reason)."""
        assert invite["accepted_at"] < at <= self.data.now, (invite["_state"], at)
        self.data.event(at, action, invite=invite, reason=reason)

    def claw_back_for_fraud(self, invite: dict, at: datetime, reason: str) -> None:
        """Fraud confirmed after the reward was paid: the growth team takes it back by hand, a
        manual clawback of the award's amount (the invite keeps its state, as the service leaves it)."""
        self.data.event(at, "fraud_clawback", invite=invite, reason=reason)

    def redeem(self, user: dict, at: datetime, max_cents: int) -> None:
        """Checkout spends the user's credit on a booking's service fee (at most `max_cents`)."""
        data = self.data
        data.event(at, "redeem", user_id=user["user_id"], booking_id=data.id_at("bkg", at), max_cents=max_cents)


def _month_start(day) -> datetime:
    return datetime.combine(day.replace(day=1), time(10), tzinfo=UTC)


def seed_referrals(data: DemoData) -> None:
    inv = Invites(data)
    for spec in PROGRAMS:
        inv.program(*spec)
    buyer = data.accounts["buyer@demo.test"]
    provider = data.accounts["provider@demo.test"]
    d = data.ago

    # --- provider@demo.test: hits the monthly cap (3) last calendar month ---------------
    last_month = _month_start((_month_start(data.today) - timedelta(days=1)).date())
    m = lambda days, hours=0: last_month + timedelta(days=days, hours=hours)  # noqa: E731
    first = inv.invite(S.REWARDED, "providers", provider, m(1), booking_at=m(5))
    inv.invite(S.CLAWED_BACK, "providers", provider, m(2), booking_at=m(9), refunded_at=m(12))
    inv.invite(S.REWARDED, "providers", provider, m(4), booking_at=m(14))
    inv.invite(S.CAPPED, "providers", provider, m(6), booking_at=m(18))  # a refund never gives a slot back
    inv.invite(S.CAPPED, "providers", provider, m(8), booking_at=m(22))
    # The inactive launch program paid out earlier; and open invites now.
    inv.invite(S.REWARDED, "launch", provider, d(86), booking_at=d(80))
    recent = d(0, hours=1) if data.today.day <= 3 else d(3)
    inv.invite(S.SIGNED_UP, "providers", provider, recent)
    inv.invite(S.SENT, "providers", provider, d(2))
    inv.invite(S.SENT, "providers", provider, d(11))
    inv.invite(S.REWARDED, "cross", provider, d(40), booking_at=d(33), fee=7_500)
    # He booked the make-up artist he had brought in for a shoot of his own: a first booking between
    # inviter and invitee is collusion, and the reward waits for review.
    collusion = inv.invite(S.HELD, "providers", provider, d(21), booking_at=d(6), fee=3_500, collusion=True,
                           invitee_tag="makeup-artist")
    data.notes["held_collusion"].append(collusion["invite_id"])
    inv.redeem(provider, d(24, hours=3), 2_000)  # booking a studio, he pays its service fee with credit

    # Self-referral: the person `first` brought in invites a "new" account from the very
    # device and IP she signed up with herself.
    lena = first["_invitee"]
    self_ref = inv.invite(S.HELD, "providers", lena, d(7), device=first["device_fp"])
    self_ref["ip_addr_sha"] = first["ip_addr_sha"]
    data.notes["held_fraud_self_referral"].append(self_ref["invite_id"])

    # --- buyer@demo.test: brands bring brands, and one provider -------------------------
    inv.invite(S.REWARDED, "brands", buyer, d(70), booking_at=d(60), fee=4_200)
    refunded = inv.invite(S.CLAWED_BACK, "brands", buyer, d(45), booking_at=d(40), fee=6_000, refunded_at=d(35))
    # Her invitee spent the welcome credit on a second booking's fee before the first booking was
    # refunded: the refund takes the welcome credit back in full, and what was spent is owed.
    inv.redeem(refunded["_invitee"], d(37, hours=2), 2_400)
    data.notes["owed"].append(refunded["invitee_user_id"])
    inv.invite(S.REWARDED, "brands", buyer, d(20), booking_at=d(12), fee=3_000)
    inv.invite(S.SIGNED_UP, "brands", buyer, d(5))
    inv.invite(S.SENT, "brands", buyer, d(1))
    inv.invite(S.SENT, "brands", buyer, d(16))
    disposable = inv.invite(S.HELD, "brands", buyer, d(8), email_domain=DISPOSABLE_DOMAIN)
    data.notes["held_fraud_disposable"].append(disposable["invite_id"])
    inv.invite(S.REWARDED, "cross", buyer, d(50), booking_at=d(44), fee=8_000)

    # --- everyone else: a realistic spread for the funnel, plus the fraud stories -------
    members = accounts_of(data, "member")
    people = accounts_of(data, "person")
    burst_inviter = _joined_before(members, d(20))[0]
    device, ip = inv.device(), inv.ip()
    burst_at = d(15, hours=4)
    for n in range(3):  # three sign-ups within a quarter of an hour, one device, one IP
        held = inv.invite(S.HELD, "brands", burst_inviter, burst_at + timedelta(minutes=6 * n),
                          device=device, ip=ip, booking_at=d(9) if n == 0 else None)
        data.notes["held_fraud_burst"].append(held["invite_id"])
    data.notes["held_booking_waiting"] += [data.notes["held_fraud_burst"][0], collusion["invite_id"]]

    # Rejected in bulk: another burst, one phone and one IP, the growth team said no.
    spammer = _joined_before(members, d(62))[1]
    device, ip = inv.device(), inv.ip()
    for n in range(3):
        spam = inv.invite(S.REJECTED, "brands", spammer, d(58, hours=2) + timedelta(minutes=7 * n),
                          device=device, ip=ip, booking_at=d(55) if n == 1 else None)
        inv.decide(spam, "reject", d(53, hours=1),
                   "Three accounts made on one phone within a quarter of an hour, with no profiles; the one"
                   " booking among them was their own. Not new customers.")
    throwaway = inv.invite(S.REJECTED, "brands", _joined_before(members, d(40))[3], d(27),
                           email_domain="yopmail.com")
    inv.decide(throwaway, "reject", d(25, hours=5), "A throw-away inbox and no profile or booking: not a real client.")

    # Approved: a casting day on one venue's Wi-Fi looks like a burst; the growth team checked.
    host = _joined_before(people, d(50))[3]
    venue_ip = inv.ip()
    casting = [inv.invite(state, "providers", host, d(48, hours=1) + timedelta(minutes=35 * n), ip=venue_ip,
                          booking_at=booking, flagged=True, invitee_tag="model")
               for n, (state, booking) in enumerate(((S.REWARDED, d(44)), (S.REWARDED, d(20)), (S.SIGNED_UP, None)))]
    for invite in casting:
        inv.decide(invite, "approve", d(42, hours=3),
                   f"Casting day at {host['display_name']}'s studio: three models signed up on the venue's Wi-Fi."
                   " Portfolios checked, all real people.")
    data.notes["approved"] += [i["invite_id"] for i in casting]

    # Fraud confirmed after the reward was paid (and spent): taken back by hand.
    cheat = _joined_before(people, d(40))[1]
    fraud = inv.invite(S.REWARDED, "cross", cheat, d(38), booking_at=d(31))
    inv.redeem(cheat, d(29, hours=6), 2_000)
    inv.claw_back_for_fraud(fraud, d(26), f"Confirmed fraud: {fraud['_invitee']['display_name']} is a second"
                            f" account of {cheat['display_name']}'s (one payout card). Reward for invite"
                            f" {fraud['invite_id']} taken back.")
    data.notes["clawed_back_fraud"].append(fraud["invite_id"])

    # The holiday campaign (now inactive) ran in the first weeks.
    early = _joined_before(members + people, d(78))
    inv.invite(S.REWARDED, "holiday", early[0], d(77), booking_at=d(72))
    inv.invite(S.REWARDED, "holiday", early[1], d(76), booking_at=d(70))
    inv.invite(S.SENT, "holiday", early[2], d(75))

    states = (S.SENT, S.SENT, S.SIGNED_UP, S.SIGNED_UP, S.REWARDED, S.REWARDED, S.SENT, S.SIGNED_UP)
    others = _joined_before(people, d(25))[4:24:2] + _joined_before(members, d(25))[2:12:2]
    for i, inviter in enumerate(others):
        state = states[i % len(states)]
        if inviter["role"] == "provider":
            program = "providers" if i % 2 == 0 else "cross"
        else:
            program = "brands" if i % 2 else "cross"
        at = data.random_time(max(inviter["created_at"], d(60)) + timedelta(hours=1), d(12))
        booking = data.random_time(at + timedelta(days=1), d(1)) if state == S.REWARDED else None
        inv.invite(state, program, inviter, at, booking_at=booking)
    check_fraud_rules(data)
    add_codes(data, inv)


def add_codes(data: DemoData, inv: Invites) -> None:
    """A personal code per inviter and active program they invite under (and for both demo
    logins), so the invite links of the demo work from the first page on. /invites makes the
    rest on a user's first visit (referrals/queries.py ensure_codes)."""
    wanted = {(i["inviter_user_id"], i["program_id"]) for i in data.rows["referral_invite"]}
    for email in ("buyer@demo.test", "provider@demo.test"):
        account = data.accounts[email]
        wanted |= {(account["user_id"], p["program_id"]) for p in inv.programs.values()
                   if account["role"] in p["inviter_roles"]}
    accounts = {a["user_id"]: a for a in data.rows["app_user"]}
    by_id = {p["program_id"]: p for p in inv.programs.values()}
    for user_id, program_id in sorted(wanted):
        program = by_id[program_id]
        account = accounts[user_id]
        if program["active"] and account["role"] in program["inviter_roles"]:
            code = "".join(data.rng.choice(codes.ALPHABET) for _ in range(codes.LENGTH))
            data.add("referral_code", code=code, user_id=user_id, program_id=program_id,
                     created_at=max(program["created_at"], account["created_at"]))


def check_fraud_rules(data: DemoData) -> None:
    """Refuse demo data whose invites held at sign-up are not exactly those that break a fraud rule."""
    accepted = [i for i in data.rows["referral_invite"] if i["invitee_user_id"]]
    joined_through = {i["invitee_user_id"]: i for i in accepted}

    def hashed(email: str) -> str:
        return keyed_hash(email, secret_key=data.secret_key)

    for invite in accepted:
        inviter, invitee = invite["_inviter"], invite["_invitee"]
        own = joined_through.get(inviter["user_id"], {})  # the invite the inviter signed up through, if any
        flags = fraud_flags(
            invitee=Fingerprint(invite["invitee_email_sha"], invite["device_fp"], invite["ip_addr_sha"]),
            inviter=Fingerprint(hashed(inviter["email"]), own.get("device_fp"), own.get("ip_addr_sha")),
            email=invitee["email"], signed_up_at=invite["accepted_at"],
            same_source=[other["accepted_at"] for other in accepted if other is not invite
                         and (other["device_fp"] == invite["device_fp"]
                              or other["ip_addr_sha"] == invite["ip_addr_sha"])],
        )
        invite["fraud_flags"] = sorted(flags)
        if bool(flags) != invite["_held_at_signup"]:
            raise AssertionError(f"demo invite {invite['invite_id']} ({invite['_state']}) breaks {set(flags) or 'no'}"
                                 " sign-up fraud rules")


def _joined_before(accounts: list[dict], moment: datetime) -> list[dict]:
    """Accounts that existed at `moment`, oldest first (an inviter must exist before inviting)."""
    return sorted((a for a in accounts if a["created_at"] < moment), key=lambda a: a["created_at"])
