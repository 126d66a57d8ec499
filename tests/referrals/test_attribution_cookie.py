"""The attribution cookie: set by a visit, signed, first valid referrer wins, a 30-day window."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from itsdangerous import URLSafeTimedSerializer

from tests.conftest import Auth, page_text
from tests.referrals.signups import browser, invites, log_in, make_code, make_program, sign_up, user_id_of
from webapp.core.security import keyed_hash
from webapp.referrals import attribution


@pytest.fixture
def inviters(make_user, db_conn):
    """Ada and Ben, providers, each with a code of their own for one cross-side program (it brings in buyers)."""
    program_id = make_program(db_conn)
    ada, ben = make_user("provider", name="Ada Lens"), make_user("provider", name="Ben Frame")
    return {"ada": (ada, make_code(db_conn, ada, program_id)), "ben": (ben, make_code(db_conn, ben, program_id)),
            "program_id": program_id}


def set_cookie_line(response, name: str) -> str:
    [line] = [c for c in response.headers.getlist("Set-Cookie") if c.startswith(f"{name}=")]
    return line


def invited_by(client) -> str | None:
    text = page_text(client.get("/signup"))
    return text.split("Invited by ", 1)[1].split("<", 1)[0] if "Invited by " in text else None


def test_a_visit_leaves_a_signed_http_only_cookie_for_thirty_days(app, inviters):
    _, code = inviters["ada"]
    line = set_cookie_line(browser(app, "203.0.113.10").get(f"/r/{code}"), attribution.COOKIE)
    assert "HttpOnly" in line and "SameSite=Lax" in line and "Path=/" in line
    assert f"Max-Age={30 * 24 * 3600}" in line
    assert "Secure" not in line  # development over plain http; production's is below


def test_the_cookie_is_secure_in_production(make_app, inviters):
    secure = make_app({"TESTING": True, "SESSION_COOKIE_SECURE": True})
    _, code = inviters["ada"]
    assert "; Secure" in set_cookie_line(secure.test_client().get(f"/r/{code}"), attribution.COOKIE)


def test_the_sign_up_page_names_the_inviter_and_starts_on_the_role_the_invite_is_for(app, make_user, db_conn):
    inviter = make_user("member", name="Mia Brand")
    code = make_code(db_conn, inviter, make_program(db_conn, "cross_side"))  # a buyer brings a provider
    visitor = browser(app, "203.0.113.10")
    visitor.get(f"/r/{code}")
    body = visitor.get("/signup").get_data(as_text=True)
    assert invited_by(visitor) == "Mia Brand"
    assert "The invite is for: Offer my services." in page_text(visitor.get("/signup"))
    assert '<input checked id="role-1" name="role" required type="radio" value="provider">' in body


def test_without_an_invite_the_sign_up_page_names_nobody(client):
    assert invited_by(client) is None


def test_a_tampered_cookie_is_ignored(app, db_conn, inviters):
    _, code = inviters["ada"]
    visitor = browser(app, "203.0.113.10")
    visitor.get(f"/r/{code}")
    value = visitor.get_cookie(attribution.COOKIE).value
    payload, rest = value.split(".", 1)
    visitor.set_cookie(attribution.COOKIE, payload[:-2] + ("AA" if payload[-2:] != "AA" else "BB") + "." + rest)
    assert invited_by(visitor) is None
    assert sign_up(visitor, "nora@example.com").status_code == 303
    assert invites(db_conn) == []


def test_a_cookie_signed_with_another_key_is_ignored_and_replaced_by_the_next_visit(app, db_conn, inviters):
    (_, ada_code), (_, ben_code) = inviters["ada"], inviters["ben"]
    visitor = browser(app, "203.0.113.10")
    forged = URLSafeTimedSerializer("not-the-server-key", salt="growthdesk/attribution/v1").dumps(
        {"c": ben_code, "s": "link", "d": "dfp_" + "0" * 32, "t": int(datetime.now(UTC).timestamp())})
    visitor.set_cookie(attribution.COOKIE, forged)
    assert invited_by(visitor) is None
    visitor.get(f"/r/{ada_code}")
    assert invited_by(visitor) == "Ada Lens"


def test_the_first_valid_referrer_wins(app, db_conn, inviters):
    (ada, ada_code), (_, ben_code) = inviters["ada"], inviters["ben"]
    visitor = browser(app, "203.0.113.10")
    visitor.get(f"/r/{ada_code}")
    visitor.get(f"/r/{ben_code}?s=qr")
    assert invited_by(visitor) == "Ada Lens"
    sign_up(visitor, "nora@example.com")
    [invite] = invites(db_conn)
    assert (invite["inviter_user_id"], invite["source"]) == (ada["user_id"], "link")


def test_a_referrer_whose_program_ended_gives_way_to_the_next(app, make_user, db_conn, inviters):
    (_, ada_code), program_id = inviters["ada"], inviters["program_id"]
    cleo = make_user("provider", name="Cleo Light")
    cleo_code = make_code(db_conn, cleo, make_program(db_conn, name="Another"))
    visitor = browser(app, "203.0.113.10")
    visitor.get(f"/r/{ada_code}")
    db_conn.execute("update referral_program set active = false where program_id = %s", (program_id,))
    visitor.get(f"/r/{cleo_code}?s=sharecard")
    assert invited_by(visitor) == "Cleo Light"
    sign_up(visitor, "nora@example.com")
    [invite] = invites(db_conn)
    assert (invite["inviter_user_id"], invite["source"]) == (cleo["user_id"], "sharecard")


def test_a_sign_up_on_the_thirtieth_day_is_attributed(app, db_conn, inviters, pinned_clock):
    ada, code = inviters["ada"]
    visitor = browser(app, "203.0.113.10")
    visitor.get(f"/r/{code}")
    pinned_clock.advance(days=29, hours=23)
    sign_up(visitor, "nora@example.com")
    [invite] = invites(db_conn)
    assert invite["inviter_user_id"] == ada["user_id"]
    assert invite["created_at"] == datetime(2026, 3, 18, 10, 0, tzinfo=UTC)  # the visit: when the invite reached her
    assert invite["accepted_at"] == pinned_clock.now


def test_a_sign_up_after_the_window_is_not_attributed(app, db_conn, inviters, pinned_clock):
    _, code = inviters["ada"]
    visitor = browser(app, "203.0.113.10")
    visitor.get(f"/r/{code}")
    pinned_clock.advance(days=30, seconds=1)
    assert invited_by(visitor) is None
    assert sign_up(visitor, "nora@example.com").status_code == 303
    assert invites(db_conn) == []


def test_visiting_the_same_link_again_does_not_restart_the_window(app, db_conn, inviters, pinned_clock):
    _, code = inviters["ada"]
    visitor = browser(app, "203.0.113.10")
    visitor.get(f"/r/{code}")
    pinned_clock.advance(days=20)
    visitor.get(f"/r/{code}?s=qr")
    pinned_clock.advance(days=11)
    sign_up(visitor, "nora@example.com")
    assert invites(db_conn) == []


def test_once_the_window_has_passed_the_next_link_counts(app, db_conn, inviters, pinned_clock):
    (_, ada_code), (ben, ben_code) = inviters["ada"], inviters["ben"]
    visitor = browser(app, "203.0.113.10")
    visitor.get(f"/r/{ada_code}")
    pinned_clock.advance(days=31)
    visitor.get(f"/r/{ben_code}")
    sign_up(visitor, "nora@example.com")
    [invite] = invites(db_conn)
    assert invite["inviter_user_id"] == ben["user_id"]


@pytest.mark.parametrize("query, stored", [
    ("", "link"), ("?s=sharecard", "sharecard"), ("?s=linkinbio", "linkinbio"), ("?s=qr", "qr"),
    ("?s=copy", "copy"), ("?s=email", "email"), ("?s=billboard", "other"), ("?s=" + "x" * 3000, "other"),
])
def test_the_source_tag_is_stored_and_an_unknown_one_as_other(app, db_conn, inviters, query, stored):
    _, code = inviters["ada"]
    visitor = browser(app, "203.0.113.10")
    visitor.get(f"/r/{code}{query}")
    sign_up(visitor, "nora@example.com")
    assert [i["source"] for i in invites(db_conn)] == [stored]


def test_after_sign_up_the_invite_cookie_goes_and_a_device_cookie_stays(app, db_conn, inviters):
    _, code = inviters["ada"]
    visitor = browser(app, "203.0.113.10")
    visitor.get(f"/r/{code}")
    response = sign_up(visitor, "nora@example.com")
    assert visitor.get_cookie(attribution.COOKIE) is None
    line = set_cookie_line(response, attribution.DEVICE_COOKIE)
    assert "HttpOnly" in line and "SameSite=Lax" in line and f"Max-Age={400 * 24 * 3600}" in line


def test_the_visit_s_device_id_is_the_invite_s_and_the_account_s_trace(app, db_conn, inviters):
    _, code = inviters["ada"]
    visitor = browser(app, "203.0.113.10")
    visitor.get(f"/r/{code}")
    sign_up(visitor, "nora@example.com")
    [invite] = invites(db_conn)
    traces = dict(db_conn.execute("select kind, value from sign_in_trace where user_id = %s",
                                  (user_id_of(db_conn, "nora@example.com"),)).fetchall())
    assert invite["device_fp"].startswith("dfp_") and traces["device"] == invite["device_fp"]
    assert traces["ip"] == invite["ip_addr_sha"] == keyed_hash("203.0.113.10", secret_key=app.config["SECRET_KEY"])


def test_a_log_in_leaves_its_traces_under_one_device_id(app, db_conn, make_user, pinned_clock):
    user = make_user()
    laptop = browser(app, "203.0.113.20")
    log_in(laptop, user)
    Auth(laptop).logout()
    pinned_clock.advance(days=2)
    laptop.environ_base["REMOTE_ADDR"] = "203.0.113.21"
    log_in(laptop, user)
    rows = db_conn.execute("select kind, value, last_seen_at from sign_in_trace where user_id = %s",
                           (user["user_id"],)).fetchall()
    secret = app.config["SECRET_KEY"]
    [device] = [r for r in rows if r[0] == "device"]
    assert device[2] == pinned_clock.now  # one device, seen again
    assert sorted((r[1], r[2]) for r in rows if r[0] == "ip") == sorted([
        (keyed_hash("203.0.113.20", secret_key=secret), pinned_clock.now - timedelta(days=2)),
        (keyed_hash("203.0.113.21", secret_key=secret), pinned_clock.now)])
