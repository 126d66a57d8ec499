"""Sign-up records the invite that brought the account: in the account's own transaction, through a
link or a pending e-mail invite (matched by the keyed hash of the address), never to oneself, once."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from tests.conftest import Auth, page_text
from tests.referrals.signups import (
    browser,
    email_invite,
    invites,
    log_in,
    make_code,
    make_program,
    sign_up,
    user_id_of,
)
from webapp.core.security import keyed_hash

NOW = datetime.now(UTC)


def hashed(app, value: str) -> str:
    return keyed_hash(value, secret_key=app.config["SECRET_KEY"])


def test_signing_up_through_the_page_records_the_invite(app, db_conn, ada, program):
    visitor = browser(app, "203.0.113.10")
    visitor.get(f"/r/{ada['code']}?s=qr")
    response = sign_up(visitor, "Nora.Newcomer@Example.com")
    assert response.status_code == 303 and "Hello, Nora Newcomer" in page_text(visitor.get("/"))
    [invite] = invites(db_conn)
    nora = user_id_of(db_conn, "nora.newcomer@example.com")
    device = db_conn.execute("select value from sign_in_trace where user_id = %s and kind = 'device'",
                             (nora,)).fetchone()[0]
    assert invite == {**invite, "program_id": program, "inviter_user_id": ada["user_id"], "invitee_user_id": nora,
                      "source": "qr", "device_fp": device, "status": "signed_up", "fraud_flags": [],
                      "invitee_email_sha": hashed(app, "nora.newcomer@example.com"),
                      "ip_addr_sha": hashed(app, "203.0.113.10")}
    assert invite["accepted_at"] is not None and invite["invitee_hint"] is None


def test_the_account_and_its_invite_are_written_together_or_not_at_all(app, db_conn, ada, program):
    """A failure after the account's row (here: the last write, the sign-in traces) leaves neither."""
    visitor = browser(app, "203.0.113.10")
    visitor.get(f"/r/{ada['code']}")
    pending = email_invite(db_conn, app, ada, program, "nora@example.com", created_at=NOW - timedelta(days=1))
    db_conn.execute("create function fail_trace() returns trigger language plpgsql as"
                    " $$ begin raise exception 'the database fails here'; end $$")
    db_conn.execute("create trigger fail_trace before insert on sign_in_trace"
                    " for each row execute function fail_trace()")
    try:
        response = sign_up(visitor, "nora@example.com")
    finally:
        db_conn.execute("drop trigger fail_trace on sign_in_trace")
        db_conn.execute("drop function fail_trace()")
    assert response.status_code == 500
    assert db_conn.execute("select count(*) from app_user where email = 'nora@example.com'").fetchone()[0] == 0
    [invite] = invites(db_conn)
    assert (invite["invite_id"], invite["invitee_user_id"], invite["status"]) == (pending, None, "sent")
    assert sign_up(visitor, "nora@example.com").status_code == 303  # and nothing half-written stands in the way
    assert [i["invitee_user_id"] for i in invites(db_conn)] == [user_id_of(db_conn, "nora@example.com")]


def test_an_email_invite_is_matched_by_the_keyed_hash_of_the_address(app, db_conn, ada, program):
    pending = email_invite(db_conn, app, ada, program, "nora@example.com", created_at=NOW - timedelta(days=3))
    response = sign_up(browser(app, "203.0.113.10"), "Nora@EXAMPLE.com")
    assert response.status_code == 303
    [invite] = invites(db_conn)
    assert invite["invite_id"] == pending
    assert (invite["invitee_user_id"], invite["source"], invite["status"]) == (
        user_id_of(db_conn, "nora@example.com"), "email", "signed_up")
    assert invite["ip_addr_sha"] == hashed(app, "203.0.113.10") and invite["device_fp"].startswith("dfp_")


def test_an_email_invite_older_than_thirty_days_is_not_matched(app, db_conn, ada, program):
    email_invite(db_conn, app, ada, program, "nora@example.com", created_at=NOW - timedelta(days=31))
    sign_up(browser(app, "203.0.113.10"), "nora@example.com")
    assert [i["invitee_user_id"] for i in invites(db_conn)] == [None]


def test_an_email_invite_of_a_program_that_ended_is_not_matched(app, db_conn, ada, program):
    email_invite(db_conn, app, ada, program, "nora@example.com", created_at=NOW - timedelta(days=1))
    db_conn.execute("update referral_program set active = false")
    sign_up(browser(app, "203.0.113.10"), "nora@example.com")
    assert [i["invitee_user_id"] for i in invites(db_conn)] == [None]


def test_an_email_invite_sent_before_the_link_was_opened_wins(app, make_user, db_conn, ada, program):
    ben = make_user("provider", name="Ben Frame")
    pending = email_invite(db_conn, app, ben, program, "nora@example.com", created_at=NOW - timedelta(days=2))
    visitor = browser(app, "203.0.113.10")
    visitor.get(f"/r/{ada['code']}")
    sign_up(visitor, "nora@example.com")
    accepted = [i for i in invites(db_conn) if i["invitee_user_id"]]
    assert [(i["invite_id"], i["inviter_user_id"], i["source"]) for i in accepted] == [
        (pending, ben["user_id"], "email")]


def test_a_link_opened_before_the_email_invite_was_sent_wins(app, make_user, db_conn, ada, program):
    ben = make_user("provider", name="Ben Frame")
    visitor = browser(app, "203.0.113.10")
    visitor.get(f"/r/{ada['code']}?s=linkinbio")
    later = email_invite(db_conn, app, ben, program, "nora@example.com", created_at=datetime.now(UTC))
    sign_up(visitor, "nora@example.com")
    rows = {i["inviter_user_id"]: i for i in invites(db_conn)}
    assert (rows[ada["user_id"]]["source"], rows[ada["user_id"]]["status"]) == ("linkinbio", "signed_up")
    assert (rows[ben["user_id"]]["invite_id"], rows[ben["user_id"]]["invitee_user_id"]) == (later, None)


def test_the_inviter_s_own_email_invite_is_the_row_their_link_accepts(app, db_conn, ada, program):
    visitor = browser(app, "203.0.113.10")
    visitor.get(f"/r/{ada['code']}?s=sharecard")
    pending = email_invite(db_conn, app, ada, program, "nora@example.com", created_at=datetime.now(UTC))
    sign_up(visitor, "nora@example.com")
    [invite] = invites(db_conn)
    # It stays the e-mail invite it was: its source, and a place in the inviter's daily e-mail count.
    assert (invite["invite_id"], invite["source"], invite["invitee_user_id"]) == (
        pending, "email", user_id_of(db_conn, "nora@example.com"))


def test_an_invite_counts_only_for_the_side_it_brings_in(app, db_conn, ada):
    visitor = browser(app, "203.0.113.10")
    visitor.get(f"/r/{ada['code']}")  # Ada's cross-side invite brings in buyers
    assert sign_up(visitor, "nora@example.com", role="provider").status_code == 303
    assert invites(db_conn) == []


def test_nobody_is_attributed_to_their_own_link(app, db_conn, ada, program):
    own = browser(app, "203.0.113.10")
    log_in(own, ada)
    assert "This is your own invite link." in page_text(own.get(f"/r/{ada['code']}"))
    assert own.get("/signup").status_code == 303  # a member has no sign-up to make
    Auth(own).logout()
    email_invite(db_conn, app, ada, program, ada["email"], created_at=NOW - timedelta(days=1))
    assert sign_up(own, "ADA@example.com").status_code == 422  # her address holds her account already
    assert all(i["invitee_user_id"] is None for i in invites(db_conn))


def test_one_account_is_attributed_once(app, make_user, db_conn, ada, program):
    ben, cleo = make_user("provider", name="Ben Frame"), make_user("provider", name="Cleo Light")
    for inviter, days in ((ben, 3), (cleo, 2)):
        email_invite(db_conn, app, inviter, program, "nora@example.com", created_at=NOW - timedelta(days=days))
    visitor = browser(app, "203.0.113.10")
    visitor.get(f"/r/{ada['code']}")
    sign_up(visitor, "nora@example.com")
    nora = user_id_of(db_conn, "nora@example.com")
    # Later: signed out, she opens another link and logs in again.
    Auth(visitor).logout()
    visitor.get(f"/r/{make_code(db_conn, make_user('provider'), make_program(db_conn, name='Other'))}")
    log_in(visitor, {"email": "nora@example.com", "password": "a-long-password"})
    assert [i["inviter_user_id"] for i in invites(db_conn) if i["invitee_user_id"] == nora] == [ben["user_id"]]
    with pytest.raises(psycopg.errors.UniqueViolation):  # and the database refuses a second, whatever races
        db_conn.execute("update referral_invite set invitee_user_id = %s, accepted_at = now()"
                        " where invitee_user_id is null", (nora,))


def test_a_sign_up_without_an_invite_records_none_and_leaves_its_traces(app, db_conn, ada):
    sign_up(browser(app, "203.0.113.10"), "nora@example.com")
    assert invites(db_conn) == []
    kinds = db_conn.execute("select kind from sign_in_trace where user_id = %s order by kind",
                            (user_id_of(db_conn, "nora@example.com"),)).fetchall()
    assert kinds == [("device",), ("ip",)]


def test_sign_up_still_works_through_htmx_with_an_invite(app, db_conn, ada):
    visitor = browser(app, "203.0.113.10")
    visitor.get(f"/r/{ada['code']}")
    page = visitor.get("/signup").get_data(as_text=True)
    token = page.split('name="csrf-token" content="')[1].split('"')[0]
    response = visitor.post("/signup", headers={"HX-Request": "true"}, data={
        "display_name": "Nora", "email": "nora@example.com", "password": "a-long-password", "role": "member",
        "provider_role": "", "city": "berlin", "csrf_token": token})
    assert response.status_code == 204 and response.headers["HX-Redirect"] == "/"
    assert [i["invitee_user_id"] for i in invites(db_conn)] == [user_id_of(db_conn, "nora@example.com")]
