"""Fraud signals recorded at sign-up: the invite carries its flags and is held for review."""
from __future__ import annotations

import threading
from datetime import UTC, datetime

import psycopg
import pytest

from tests.conftest import Auth
from tests.referrals.signups import browser, email_invite, invites, log_in, make_code, make_program, sign_up
from webapp.core.security import keyed_hash


def through_ada(app, ada, email: str, ip: str, client=None):
    """Someone opens Ada's link and signs up; returns the browser."""
    client = client or browser(app, ip)
    client.environ_base["REMOTE_ADDR"] = ip
    client.get(f"/r/{ada['code']}")
    assert sign_up(client, email).status_code == 303
    return client


def flags_of(db_conn) -> list[tuple[str, list[str]]]:
    return [(i["status"], i["fraud_flags"]) for i in invites(db_conn) if i["invitee_user_id"]]


def test_a_stranger_s_sign_up_carries_no_flag(app, db_conn, ada):
    through_ada(app, ada, "nora@example.com", "203.0.113.10")
    assert flags_of(db_conn) == [("signed_up", [])]


@pytest.mark.parametrize("address", ["ada+second@example.com", "Ada+x@Example.COM"])
def test_the_inviter_s_own_address_under_a_plus_tag_or_another_case_is_a_self_referral(app, db_conn, ada, address):
    through_ada(app, ada, address, "203.0.113.10")
    assert flags_of(db_conn) == [("held", ["self_referral"])]


def test_a_sign_up_from_a_device_the_inviter_signed_in_on_is_a_self_referral(app, db_conn, ada):
    laptop = browser(app, "198.51.100.1")
    log_in(laptop, ada)
    Auth(laptop).logout()
    through_ada(app, ada, "someone.else@example.com", "203.0.113.10", client=laptop)  # another address, same laptop
    assert flags_of(db_conn) == [("held", ["self_referral"])]


def test_a_sign_up_from_an_address_the_inviter_signed_in_from_is_a_self_referral(app, db_conn, ada):
    log_in(browser(app, "198.51.100.1"), ada)
    through_ada(app, ada, "nora@example.com", "198.51.100.1")  # another browser, Ada's IP
    assert flags_of(db_conn) == [("held", ["self_referral"])]


def test_the_inviter_s_own_sign_up_left_the_traces_that_match(app, db_conn, make_user):
    """Ada signed up through the web herself; her sign-up's device is hers from then on."""
    laptop = browser(app, "198.51.100.1")
    sign_up(laptop, "ada@example.com", role="provider", name="Ada Lens")
    ada = db_conn.execute("select user_id from app_user where email = 'ada@example.com'").fetchone()[0]
    code = make_code(db_conn, {"user_id": ada}, make_program(db_conn))
    Auth(laptop).logout()
    laptop.environ_base["REMOTE_ADDR"] = "203.0.113.10"
    laptop.get(f"/r/{code}")
    sign_up(laptop, "nora@example.com")
    assert flags_of(db_conn) == [("held", ["self_referral"])]


def test_a_disposable_address_is_flagged(app, db_conn, ada):
    through_ada(app, ada, "nora@mailinator.com", "203.0.113.10")
    assert flags_of(db_conn) == [("held", ["disposable_email"])]


def test_an_email_invite_is_judged_by_the_same_rules(app, db_conn, ada, program):
    email_invite(db_conn, app, ada, program, "nora@mailinator.com", created_at=datetime.now(UTC))
    sign_up(browser(app, "203.0.113.10"), "nora@mailinator.com")
    assert flags_of(db_conn) == [("held", ["disposable_email"])]


def test_every_rule_broken_is_recorded(app, db_conn, ada):
    log_in(browser(app, "198.51.100.1"), ada)
    through_ada(app, ada, "nora@mailinator.com", "198.51.100.1")
    assert flags_of(db_conn) == [("held", ["disposable_email", "self_referral"])]


def test_a_third_sign_up_from_one_address_within_a_day_holds_the_whole_burst(app, db_conn, ada, pinned_clock):
    for n, hours in enumerate((0, 10, 13)):
        pinned_clock.advance(hours=hours)
        through_ada(app, ada, f"nora{n}@example.com", "203.0.113.50")  # three browsers, one address
    assert flags_of(db_conn) == [("held", ["signup_burst"])] * 3


def test_a_third_sign_up_from_one_device_within_a_day_holds_the_whole_burst(app, db_conn, ada, pinned_clock):
    phone = browser(app, "203.0.113.60")
    for n in range(3):
        pinned_clock.advance(hours=2)
        through_ada(app, ada, f"nora{n}@example.com", f"203.0.113.{61 + n}", client=phone)  # one phone, new addresses
        Auth(phone).logout()
    assert flags_of(db_conn) == [("held", ["signup_burst"])] * 3


def test_sign_ups_without_an_invite_from_the_same_address_count_toward_a_burst(app, db_conn, ada):
    for n in range(2):
        assert sign_up(browser(app, "203.0.113.60"), f"solo{n}@example.com").status_code == 303
    through_ada(app, ada, "nora@example.com", "203.0.113.60")
    assert flags_of(db_conn) == [("held", ["signup_burst"])]


def test_sign_ups_spread_over_more_than_a_day_are_no_burst(app, db_conn, ada, pinned_clock):
    for n in range(3):
        through_ada(app, ada, f"nora{n}@example.com", "203.0.113.50")
        pinned_clock.advance(hours=13)
    assert flags_of(db_conn) == [("signed_up", [])] * 3


def test_two_sign_ups_from_one_address_are_no_burst(app, db_conn, ada):
    through_ada(app, ada, "nora1@example.com", "203.0.113.50")
    through_ada(app, ada, "nora2@example.com", "203.0.113.50")
    assert flags_of(db_conn) == [("signed_up", [])] * 2


def test_an_earlier_invite_of_a_burst_already_rewarded_keeps_its_state_and_gains_the_flag(
        app, db_conn, ada, pinned_clock):
    through_ada(app, ada, "nora0@example.com", "203.0.113.50")
    db_conn.execute("update referral_invite set status = 'rewarded'")
    for n in (1, 2):
        pinned_clock.advance(hours=1)
        through_ada(app, ada, f"nora{n}@example.com", "203.0.113.50")
    assert flags_of(db_conn) == [("rewarded", ["signup_burst"]), ("held", ["signup_burst"]),
                                 ("held", ["signup_burst"])]


def test_a_sign_up_waits_for_another_from_the_same_address_before_counting(app, db_conn, database_url, ada):
    """Two sign-ups at once from one address both see each other: the second counts only once the
    first is written. Shown by holding the first's place (the lock on the address) from outside."""
    through_ada(app, ada, "nora1@example.com", "203.0.113.50")
    ip_sha = keyed_hash("203.0.113.50", secret_key=app.config["SECRET_KEY"])
    visitor = browser(app, "203.0.113.50")
    visitor.get(f"/r/{ada['code']}")
    with psycopg.connect(database_url) as other:  # a sign-up in flight from the same address
        other.execute("select pg_advisory_xact_lock(hashtextextended(%s, 0))", (f"referral-burst:{ip_sha}",))
        done = threading.Event()
        worker = threading.Thread(target=lambda: (sign_up(visitor, "nora2@example.com"), done.set()))
        worker.start()
        waiting = 0
        while not waiting and worker.is_alive():  # until the sign-up is seen queued behind the lock
            waiting = db_conn.execute(
                "select count(*) from pg_locks l join pg_database d on d.oid = l.database"
                " where d.datname = current_database() and l.locktype = 'advisory' and not l.granted").fetchone()[0]
        assert waiting and not done.is_set()
        other.execute(
            "insert into referral_invite (invite_id, program_id, inviter_user_id, invitee_user_id, invitee_email_sha,"
            " ip_addr_sha, accepted_at, status, source)"
            " select 'rfi_inflight', program_id, inviter_user_id, 'usr_inflight', 'x', ip_addr_sha, now(), 'signed_up',"
            " 'link' from referral_invite limit 1")
        other.commit()
        worker.join()
    assert sorted(flags_of(db_conn)) == [("held", ["signup_burst"])] * 3
