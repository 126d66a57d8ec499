"""The referral rules (SPEC §5): program kinds, who an invite brings in, the states an
invite passes through, the monthly cap and the fraud rules. Pure functions: no
database, no request.

referral_invite.status (migration 060) holds an InviteStatus; its fraud_flags the names of
the fraud rules below that a sign-up broke.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

from disposable_email_domains import blocklist as _disposable_domains

# referral_program.kind (migration 016's check)
PROGRAM_KINDS = ("provider_invites_provider", "buyer_invites_buyer", "cross_side")
# Where an invite link was shared from (referral_invite.source): `?s=` on /r/<code>. A plain
# link is "link"; anything we don't know is stored as "other", never as typed.
# "share" is the browser's share sheet (the Share… button of /invites).
SOURCES = ("link", "copy", "sharecard", "linkinbio", "qr", "email", "share", "other")
SOURCE_LABELS = {"link": "Link", "copy": "Copied link", "sharecard": "Share card", "linkinbio": "Link in bio",
                 "qr": "QR code", "email": "E-mail", "share": "Share menu", "other": "Other"}
# The variants /invites offers to share (each a ?s= of the personal link).
SHARE_SOURCES = ("copy", "sharecard", "linkinbio", "qr")


def source_of(tag: str | None) -> str:
    """The stored source for a `?s=` value: no tag is a plain link, an unknown one is "other"."""
    if not tag:
        return "link"
    return tag if tag in SOURCES else "other"


class InviteStatus(StrEnum):
    """The states of an invite (referral_invite.status), in the order it can reach them."""
    SENT = "sent"                # invited by e-mail; no account yet
    SIGNED_UP = "signed_up"      # the invitee's account was created through the invite
    REWARDED = "rewarded"        # the first qualifying booking earned the inviter a reward
    CAPPED = "capped"            # booked, but the inviter had reached the program's monthly cap: no reward
    HELD = "held"                # a fraud rule fired on the sign-up: no reward unless the growth team approves
    REJECTED = "rejected"        # held, and the growth team refused the reward
    CLAWED_BACK = "clawed_back"  # rewarded, then a refund or confirmed fraud took the reward back

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    InviteStatus.SENT: "Sent", InviteStatus.SIGNED_UP: "Signed up", InviteStatus.REWARDED: "Rewarded",
    InviteStatus.CAPPED: "Over the monthly cap", InviteStatus.HELD: "Held for review",
    InviteStatus.REJECTED: "Rejected", InviteStatus.CLAWED_BACK: "Clawed back",
}


def invitee_role(program_kind: str, inviter_role: str) -> str:
    """The role of the account an invite creates: providers bring providers, buyers bring
    buyers (members), and a cross-side invite brings the other side."""
    if program_kind == "provider_invites_provider":
        return "provider"
    if program_kind == "buyer_invites_buyer":
        return "member"
    if program_kind == "cross_side":
        return "member" if inviter_role == "provider" else "provider"
    raise ValueError(f"unknown program kind: {program_kind}")


# --- the monthly cap -------------------------------------------------------------------

def cap_month(moment: datetime) -> date:
    """The calendar month (its first day, by UTC) a reward counts against the cap in."""
    return moment.astimezone(UTC).date().replace(day=1)


# --- fraud rules: they hold a reward for review instead of paying it ---------------------

SELF_REFERRAL = "self_referral"        # the invitee signed up as the inviter
SIGNUP_BURST = "signup_burst"          # many sign-ups from one IP hash or device in a short time
DISPOSABLE_EMAIL = "disposable_email"  # a throw-away e-mail domain
COLLUSION = "collusion"                # the qualifying booking was between inviter and invitee themselves
FRAUD_LABELS = {SELF_REFERRAL: "Self-referral", SIGNUP_BURST: "Sign-up burst",
                DISPOSABLE_EMAIL: "Disposable e-mail", COLLUSION: "Booking between inviter and invitee"}
# A burst: this many sign-ups or more (the one judged included) from one IP hash or one device
# within BURST_WINDOW before or after it. Every sign-up of the burst is flagged, the first ones
# too once the third arrives.
BURST_SIGNUPS = 3
BURST_WINDOW = timedelta(hours=24)


@dataclass(frozen=True)
class Fingerprint:
    """What a sign-up leaves behind, as keyed hashes and a device id (never the plain values)."""
    email_sha: str | None = None
    device_fp: str | None = None
    ip_sha: str | None = None


def is_self_referral(invitee: Fingerprint, inviter: Fingerprint) -> bool:
    """The invitee shares the inviter's e-mail hash, device or IP hash."""
    pairs = ((invitee.email_sha, inviter.email_sha), (invitee.device_fp, inviter.device_fp),
             (invitee.ip_sha, inviter.ip_sha))
    return any(mine is not None and mine == theirs for mine, theirs in pairs)


def is_burst(signed_up_at: datetime, same_source: Iterable[datetime]) -> bool:
    """`same_source`: when the other sign-ups from this IP hash or device happened."""
    near = sum(1 for at in same_source if abs(at - signed_up_at) <= BURST_WINDOW)
    return 1 + near >= BURST_SIGNUPS


def is_disposable(email: str) -> bool:
    """The address is on a throw-away domain (the disposable-email-domains list)."""
    return email.rpartition("@")[2].strip().lower() in _disposable_domains


def fraud_flags(*, invitee: Fingerprint, inviter: Fingerprint, email: str, signed_up_at: datetime,
                same_source: Iterable[datetime]) -> frozenset[str]:
    """Every fraud rule the sign-up breaks; any one holds the reward for review."""
    flags = set()
    if is_self_referral(invitee, inviter):
        flags.add(SELF_REFERRAL)
    if is_burst(signed_up_at, same_source):
        flags.add(SIGNUP_BURST)
    if is_disposable(email):
        flags.add(DISPOSABLE_EMAIL)
    return frozenset(flags)
