"""Rotating SECRET_KEY: while the old key is listed in SECRET_KEY_FALLBACKS, what was keyed or signed
with it still matches (pending e-mail invites, traces, attribution cookies, sessions); without it,
it no longer does (docs/security.md, "Keyed hashes and their key")."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.conftest import page_text
from tests.referrals.signups import browser, email_invite, invites, log_in, make_code, make_program, sign_up
from webapp.core.config import ConfigError, load_settings
from webapp.core.security import keyed_hash
from webapp.referrals import attribution

OLD, NEW = "old-key-" + "k3Jq9xZ2vB7mW4pL" * 3, "new-key-" + "R8tY5uN1cE6hG0sD" * 3


@pytest.fixture
def old_app(make_app):
    return make_app({"TESTING": True, "SECRET_KEY": OLD})


@pytest.fixture
def rotated(make_app):
    """The same site after the rotation, the old key kept as a fallback."""
    return make_app({"TESTING": True, "SECRET_KEY": NEW, "SECRET_KEY_FALLBACKS": [OLD]})


@pytest.fixture
def ada(make_user, db_conn):
    user = make_user("provider", name="Ada Lens")
    program_id = make_program(db_conn)
    return {**user, "code": make_code(db_conn, user, program_id), "program_id": program_id}


def test_an_email_invite_keyed_before_the_rotation_still_matches(old_app, rotated, db_conn, ada):
    email_invite(db_conn, old_app, ada, ada["program_id"], "nora@example.com", created_at=datetime.now(UTC))
    sign_up(browser(rotated, "203.0.113.10"), "nora@example.com")
    [invite] = invites(db_conn)
    assert invite["invitee_user_id"] is not None
    assert invite["invitee_email_sha"] == keyed_hash("nora@example.com", secret_key=NEW)  # re-keyed as it is accepted


def test_without_the_old_key_an_email_invite_keyed_with_it_no_longer_matches(old_app, make_app, db_conn, ada):
    email_invite(db_conn, old_app, ada, ada["program_id"], "nora@example.com", created_at=datetime.now(UTC))
    sign_up(browser(make_app({"TESTING": True, "SECRET_KEY": NEW}), "203.0.113.10"), "nora@example.com")
    assert [i["invitee_user_id"] for i in invites(db_conn)] == [None]


def test_an_attribution_cookie_signed_before_the_rotation_still_counts(old_app, rotated, db_conn, ada):
    before = browser(old_app, "203.0.113.10")
    before.get(f"/r/{ada['code']}")
    after = browser(rotated, "203.0.113.10")
    after.set_cookie(attribution.COOKIE, before.get_cookie(attribution.COOKIE).value)
    assert "Invited by Ada Lens" in page_text(after.get("/signup"))
    sign_up(after, "nora@example.com")
    assert [i["inviter_user_id"] for i in invites(db_conn)] == [ada["user_id"]]


def test_an_inviter_s_address_keyed_before_the_rotation_still_flags_a_self_referral(old_app, rotated, db_conn, ada):
    log_in(browser(old_app, "198.51.100.1"), ada)
    visitor = browser(rotated, "198.51.100.1")
    visitor.get(f"/r/{ada['code']}")
    sign_up(visitor, "nora@example.com")
    assert [(i["status"], i["fraud_flags"]) for i in invites(db_conn)] == [("held", ["self_referral"])]


def test_a_session_from_before_the_rotation_stays_signed_in(old_app, rotated, make_user):
    user = make_user()
    before = browser(old_app, "198.51.100.1")
    log_in(before, user)
    after = browser(rotated, "198.51.100.1")
    after.set_cookie("growthdesk_session", before.get_cookie("growthdesk_session").value)
    assert after.get("/settings").status_code == 200


def test_earlier_keys_are_read_from_the_environment_space_separated():
    settings = load_settings({"SECRET_KEY": NEW, "SECRET_KEY_FALLBACKS": f" {OLD}  other-key "})
    assert settings.secret_key_fallbacks == (OLD, "other-key")


def test_production_refuses_a_weak_earlier_key():
    with pytest.raises(ConfigError, match="SECRET_KEY_FALLBACKS"):
        load_settings({"APP_ENV": "production", "SECRET_KEY": NEW, "SECRET_KEY_FALLBACKS": "changeme",
                       "DATABASE_URL": "postgresql://db/x", "RATELIMIT_STORAGE_URI": "redis://r:6379/0",
                       "PUBLIC_URL": "https://growthdesk.example"})
