"""Invites keep e-mails and IPs as keyed hashes only: after sign-ups through links and e-mail invites
and log-ins, no column anywhere holds a plain md5, sha1 or sha256 of any of them."""
from __future__ import annotations

from datetime import UTC, datetime

from tests.harness.test_privacy import plain_hashes_stored
from tests.referrals.signups import browser, email_invite, invites, log_in, make_code, make_program, sign_up
from webapp.core.security import keyed_hash

EMAILS = ("Nora.Newcomer@Example.com", "ola@example.org", "Pia+promo@Example.net", "quinn@mailinator.com")
IPS = ("203.0.113.10", "203.0.113.11", "2001:db8::7", "198.51.100.23")


def test_no_column_holds_a_plain_hash_of_an_invitee_s_email_or_ip(app, db_conn, make_user):
    program = make_program(db_conn)
    ada = make_user("provider", name="Ada Lens", email="Ada.Lens@Example.com")
    code = make_code(db_conn, ada, program)
    log_in(browser(app, "198.51.100.1"), ada)  # the inviter's own traces
    email_invite(db_conn, app, ada, program, EMAILS[1], created_at=datetime.now(UTC))
    for n, (email, ip) in enumerate(zip(EMAILS, IPS, strict=True)):
        visitor = browser(app, ip)
        if n != 1:  # Ola comes through her e-mail invite, the others through the link
            visitor.get(f"/r/{code}?s=qr")
        assert sign_up(visitor, email).status_code == 303
        log_in(browser(app, ip), {"email": email, "password": "a-long-password"})

    secret = app.config["SECRET_KEY"]
    accepted = [i for i in invites(db_conn) if i["invitee_user_id"]]
    assert sorted(i["invitee_email_sha"] for i in accepted) == sorted(keyed_hash(e, secret_key=secret) for e in EMAILS)
    assert sorted(i["ip_addr_sha"] for i in accepted) == sorted(keyed_hash(ip, secret_key=secret) for ip in IPS)
    known = {ada["email"], ada["email"].lower(), "198.51.100.1", "pia@example.net", *IPS} | {
        v for e in EMAILS for v in (e, e.lower(), e.upper())}
    assert plain_hashes_stored(db_conn, known) == []
