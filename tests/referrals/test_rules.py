"""The referral rules: who an invite brings in, the monthly cap and the fraud rules."""
from datetime import UTC, datetime, timedelta, timezone

import pytest

from webapp.referrals.rules import (
    DISPOSABLE_EMAIL,
    SELF_REFERRAL,
    SIGNUP_BURST,
    Fingerprint,
    cap_month,
    fraud_flags,
    invitee_role,
    is_burst,
    is_disposable,
    is_self_referral,
)

AT = datetime(2026, 3, 18, 10, 0, tzinfo=UTC)
STRANGER = Fingerprint("sha-e1", "dfp_1", "sha-ip1")


@pytest.mark.parametrize("kind, inviter, invitee", [
    ("provider_invites_provider", "provider", "provider"),
    ("buyer_invites_buyer", "member", "member"),
    ("cross_side", "provider", "member"),
    ("cross_side", "member", "provider"),
])
def test_an_invite_brings_in_the_side_its_program_says(kind, inviter, invitee):
    assert invitee_role(kind, inviter) == invitee


def test_the_cap_counts_calendar_months_in_utc():
    late_on_the_31st_in_new_york = datetime(2026, 3, 31, 22, 0, tzinfo=timezone(timedelta(hours=-4)))
    assert cap_month(late_on_the_31st_in_new_york) == datetime(2026, 4, 1).date()
    assert cap_month(AT) == datetime(2026, 3, 1).date()


@pytest.mark.parametrize("inviter", [
    Fingerprint("sha-e1", "dfp_9", "sha-ip9"),  # the same e-mail hash
    Fingerprint("sha-e9", "dfp_1", "sha-ip9"),  # the same device
    Fingerprint("sha-e9", "dfp_9", "sha-ip1"),  # the same IP hash
])
def test_sharing_the_inviters_email_device_or_ip_is_a_self_referral(inviter):
    assert is_self_referral(STRANGER, inviter)


def test_an_inviter_with_nothing_in_common_or_nothing_known_is_not_a_self_referral():
    assert not is_self_referral(STRANGER, Fingerprint("sha-e9", "dfp_9", "sha-ip9"))
    assert not is_self_referral(Fingerprint(), Fingerprint())


def test_three_sign_ups_from_one_source_within_a_day_are_a_burst():
    assert is_burst(AT, [AT - timedelta(hours=20), AT + timedelta(minutes=10)])
    assert not is_burst(AT, [AT - timedelta(minutes=50)])
    assert not is_burst(AT, [AT - timedelta(hours=25), AT + timedelta(hours=25)])


def test_throw_away_email_domains_are_disposable():
    assert is_disposable("someone@mailinator.com")
    assert is_disposable("Someone@MAILINATOR.COM")
    assert not is_disposable("someone@example.com")


def test_every_broken_rule_is_flagged():
    flags = fraud_flags(invitee=STRANGER, inviter=Fingerprint("sha-e9", "dfp_1", None), email="x@mailinator.com",
                        signed_up_at=AT, same_source=[AT, AT + timedelta(minutes=3)])
    assert flags == {SELF_REFERRAL, SIGNUP_BURST, DISPOSABLE_EMAIL}


def test_an_honest_sign_up_breaks_no_rule():
    assert fraud_flags(invitee=STRANGER, inviter=Fingerprint("sha-e9"), email="lena@example.com", signed_up_at=AT,
                       same_source=[]) == frozenset()
