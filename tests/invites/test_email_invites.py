"""Invite by e-mail on /invites: each address gets an invitation through a real SMTP server (aiosmtpd)
and a referral_invite row holding only its keyed hash; members and recent invitees are skipped
without saying which; bad input, the limits and a failed delivery write nothing."""
from __future__ import annotations

import re
import threading
from urllib.parse import urlsplit

import pytest

from bench.common import free_port
from tests.conftest import Auth, csrf_token, page_text
from tests.harness.test_privacy import plain_hashes_stored
from webapp.core.ids import new_id
from webapp.core.security import keyed_hash

SKIPPED = "Some addresses were skipped (already members or invited recently)."
SEND = "/invites/email"


@pytest.fixture
def program(db_conn):
    """make(**terms) -> the id of a referral program (active, open to members and providers, a double-sided offer)."""

    def make(name="Bring a friend", roles=("member", "provider"), invitee_cents=2_000, reward_cents=2_500) -> str:
        program_id = new_id("rpr")
        db_conn.execute(
            "insert into referral_program (program_id, name, kind, reward_fixed_cents, invitee_fixed_cents,"
            " credit_scope, inviter_roles) values (%s, %s, 'cross_side', %s, %s, 'buyer_fee_only', %s)",
            (program_id, name, reward_cents, invitee_cents, list(roles)))
        return program_id

    return make


@pytest.fixture
def inviter(signed_in, program, client):
    """Ada, a signed-in member, and the program she invites to (her code is made by opening /invites)."""
    user = signed_in("member", name="Ada Inviter")
    user["program_id"] = program()
    client.get("/invites")
    return user


def invite(client, program_id: str, addresses: str, note: str = "", *, htmx: bool = False):
    """Send the form on /invites as a browser would."""
    token = csrf_token(client.get("/invites").get_data(as_text=True))
    return client.post(SEND, data={"email-csrf_token": token, "email-program": program_id,
                                   "email-addresses": addresses, "email-note": note},
                       headers={"HX-Request": "true"} if htmx else {})


def invites(db_conn) -> list[dict]:
    cursor = db_conn.execute("select * from referral_invite order by created_at, invite_id")
    names = [c.name for c in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


def code_of(db_conn, user: dict) -> str:
    return db_conn.execute("select code from referral_code where user_id = %s", (user["user_id"],)).fetchone()[0]


def sha(app, address: str) -> str:
    with app.app_context():
        return keyed_hash(address)


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def told(response) -> str:
    """What an htmx answer puts in the page's message region."""
    [said] = re.findall(r'hx-swap-oob="innerHTML:#messages"><p class="message message--success">([^<]*)</p>',
                        page_text(response))
    return said


def sent_invite(db_conn, inviter_id: str, program_id: str, address_sha: str, days_ago: int = 0) -> None:
    db_conn.execute("insert into referral_invite (invite_id, program_id, inviter_user_id, invitee_email_sha, source,"
                    " status, created_at) values (%s, %s, %s, %s, 'email', 'sent', now() - %s * interval '1 day')",
                    (new_id("rfi"), program_id, inviter_id, address_sha, days_ago))


# --- the form ---------------------------------------------------------------------------------


def test_the_invites_page_offers_the_form_with_the_programs_open_to_the_user(client, signed_in, program):
    program(name="Bring a friend")
    program(name="Providers only", roles=("provider",))
    signed_in("member")
    page = page_text(client.get("/invites"))
    assert "Invite by e-mail" in page
    assert "Bring a friend · Give $20, get $25 in service-fee credit" in page
    assert "Providers only" not in page
    assert '<label for="email-addresses">E-mail addresses</label>' in page


def test_someone_with_no_program_open_to_them_is_told_there_is_nothing_to_invite_to(client, signed_in, program):
    program(roles=("provider",))
    signed_in("member")
    page = page_text(client.get("/invites"))
    assert "nothing to invite people to by e-mail" in page
    assert 'name="email-addresses"' not in page


# --- sending ----------------------------------------------------------------------------------


def test_each_address_gets_an_invitation_with_the_offer_and_a_link_that_works(
        app, client, db_conn, inviter, smtp_server):
    response = invite(client, inviter["program_id"], "ana@example.com,\nben@example.com", note="See you there!")
    assert response.status_code == 303
    assert sorted(m["To"] for m in smtp_server.messages) == ["ana@example.com", "ben@example.com"]
    mail = smtp_server.messages[0]
    assert mail["Subject"] == "Ada Inviter invites you to Growth desk"
    assert mail["From"].addresses[0].display_name == "Ada Inviter via Growth desk"
    for part in (text_of(mail), html_of(mail)):
        assert "$20 of credit toward your service fees" in part
        assert "See you there!" in part
        assert "Ada Inviter, a member of Growth desk, entered your address to invite you" in " ".join(part.split())
    [link] = {word for word in text_of(mail).split() if "/r/" in word}
    assert link in html_of(mail)
    parts = urlsplit(link)
    assert (parts.path, parts.query) == (f"/r/{code_of(db_conn, inviter)}", "s=email")
    visitor = app.test_client()
    assert visitor.get(f"{parts.path}?{parts.query}").status_code == 200


def test_after_sending_the_page_says_how_many_went_out(client, inviter, smtp_server):
    response = invite(client, inviter["program_id"], "ana@example.com ben@example.com cleo@example.com")
    assert response.headers["Location"] == "/invites"
    assert "3 invitations sent." in page_text(client.get("/invites"))


def test_the_row_holds_the_keyed_hash_and_a_masked_hint_never_the_address(app, client, db_conn, inviter, smtp_server):
    invite(client, inviter["program_id"], "Jane.Doe@Gmail.com")
    [row] = invites(db_conn)
    assert row["invite_id"].startswith("rfi_")
    assert (row["program_id"], row["inviter_user_id"], row["source"], row["status"]) == \
        (inviter["program_id"], inviter["user_id"], "email", "sent")
    assert row["invitee_email_sha"] == sha(app, "jane.doe@gmail.com")
    assert row["invitee_hint"] == "j•••@g•••.com"
    assert row["invitee_user_id"] is None and row["accepted_at"] is None


def test_no_column_anywhere_holds_the_address_or_a_plain_hash_of_it(client, db_conn, inviter, smtp_server):
    address = "Jane.Doe@Gmail.com"
    invite(client, inviter["program_id"], address)
    assert len(invites(db_conn)) == 1
    dump = db_conn.execute("select string_agg(t::text, ' ') from referral_invite t").fetchone()[0]
    assert address.lower() not in dump.lower()
    assert plain_hashes_stored(db_conn, {address, address.lower()}) == []


def test_the_note_is_plain_text_escaped_in_the_html_part(client, inviter, smtp_server):
    invite(client, inviter["program_id"], "ana@example.com", note='<a href="https://evil.example">Win</a> & more')
    [mail] = smtp_server.messages
    assert '<a href="https://evil.example">Win</a> & more' in text_of(mail)
    assert "&lt;a href=&#34;https://evil.example&#34;&gt;Win&lt;/a&gt; &amp; more" in html_of(mail)
    assert 'href="https://evil.example"' not in html_of(mail)


def test_a_note_over_500_characters_is_refused_and_nothing_is_sent(client, db_conn, inviter, smtp_server):
    response = invite(client, inviter["program_id"], "ana@example.com", note="x" * 501)
    assert response.status_code == 422
    assert "500 characters" in page_text(response)
    assert invites(db_conn) == [] and smtp_server.messages == []


def test_addresses_typed_twice_get_one_invitation(client, db_conn, inviter, smtp_server):
    response = invite(client, inviter["program_id"], "ana@example.com, Ana@Example.com\nana@example.com")
    assert len(smtp_server.messages) == 1 and len(invites(db_conn)) == 1
    assert "1 invitation sent." in page_text(client.get(response.headers["Location"]))


# --- who is skipped ---------------------------------------------------------------------------


def test_an_address_with_an_account_is_skipped_with_the_generic_message(
        client, db_conn, make_user, inviter, smtp_server):
    make_user(email="Member@Example.com")
    invite(client, inviter["program_id"], "member@example.com, newcomer@example.com")
    assert [m["To"] for m in smtp_server.messages] == ["newcomer@example.com"]
    assert len(invites(db_conn)) == 1
    assert f"1 invitation sent. {SKIPPED}" in page_text(client.get("/invites"))


def test_a_second_invitation_within_30_days_is_skipped_whoever_sent_the_first(
        app, client, db_conn, make_user, inviter, smtp_server):
    someone_else = make_user()
    sent_invite(db_conn, someone_else["user_id"], inviter["program_id"], sha(app, "ana@example.com"), days_ago=29)
    invite(client, inviter["program_id"], "ana@example.com")
    assert smtp_server.messages == [] and len(invites(db_conn)) == 1
    assert f"No invitations sent. {SKIPPED}" in page_text(client.get("/invites"))


def test_an_invitation_keyed_before_a_key_rotation_still_counts_within_30_days(
        app, client, db_conn, make_user, inviter, smtp_server, monkeypatch):
    old_key = "old-key-" + "k3Jq9xZ2vB7mW4pL" * 3
    monkeypatch.setitem(app.config, "SECRET_KEY_FALLBACKS", [old_key])
    with app.app_context():
        keyed_with_the_old_key = keyed_hash("ana@example.com", secret_key=old_key)
    sent_invite(db_conn, make_user()["user_id"], inviter["program_id"], keyed_with_the_old_key, days_ago=3)
    invite(client, inviter["program_id"], "ana@example.com")
    assert smtp_server.messages == [] and len(invites(db_conn)) == 1


def test_after_30_days_the_address_may_be_invited_again(app, client, db_conn, inviter, smtp_server):
    sent_invite(db_conn, inviter["user_id"], inviter["program_id"], sha(app, "ana@example.com"), days_ago=31)
    invite(client, inviter["program_id"], "ana@example.com")
    assert [m["To"] for m in smtp_server.messages] == ["ana@example.com"]
    assert len(invites(db_conn)) == 2


def test_an_invitation_to_another_program_does_not_count(app, client, db_conn, program, inviter, smtp_server):
    other = program(name="Another program")
    sent_invite(db_conn, inviter["user_id"], other, sha(app, "ana@example.com"))
    invite(client, inviter["program_id"], "ana@example.com")
    assert [m["To"] for m in smtp_server.messages] == ["ana@example.com"]


def test_the_answer_is_the_same_for_a_member_and_for_someone_invited_lately(
        app, client, db_conn, make_user, inviter, smtp_server):
    make_user(email="member@example.com")
    sent_invite(db_conn, inviter["user_id"], inviter["program_id"], sha(app, "invited@example.com"))
    answers = []
    for address in ("member@example.com", "invited@example.com"):
        response = invite(client, inviter["program_id"], f"{address} fresh-{len(answers)}@example.com", htmx=True)
        answers.append((response.status_code, told(response)))
    assert answers[0] == answers[1] == (200, f"1 invitation sent. {SKIPPED}")


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize("addresses, message", [
    (" ".join(f"p{i}@example.com" for i in range(11)), "Enter at most 10 addresses at a time (you entered 11)."),
    ("ana@example.com, ben@, not an address", "These are not e-mail addresses: ben@, not, an, address."),
    ("ana@example.com\n" + "x" * 9_000, "That is more than 8 KB of text. Enter up to 10 addresses."),
    ("", "Enter at least one e-mail address."),
])
def test_a_bad_list_is_refused_beside_the_field_and_nothing_is_written_or_sent(
        client, db_conn, inviter, smtp_server, addresses, message):
    response = invite(client, inviter["program_id"], addresses)
    assert response.status_code == 422
    assert f'<p class="field__error" id="email-addresses-error">{message}</p>' in page_text(response)
    assert invites(db_conn) == [] and smtp_server.messages == []


def test_a_program_not_open_to_the_inviter_is_refused(client, db_conn, program, inviter, smtp_server):
    providers_only = program(name="Providers only", roles=("provider",))
    response = invite(client, providers_only, "ana@example.com")
    assert response.status_code == 422
    assert "Choose one of your programs." in page_text(response)
    assert invites(db_conn) == [] and smtp_server.messages == []


def test_with_htmx_a_refusal_is_the_form_alone_with_what_was_typed(client, inviter, smtp_server):
    response = invite(client, inviter["program_id"], "ana@example.com, ben@", htmx=True)
    assert response.status_code == 422
    body = page_text(response)
    assert "<html" not in body and body.strip().startswith('<section class="card" id="email-invites"')
    assert "ana@example.com, ben@</textarea>" in body


def test_with_htmx_a_success_empties_the_form_and_tells_the_message_region(client, inviter, smtp_server):
    response = invite(client, inviter["program_id"], "ana@example.com", htmx=True)
    assert response.status_code == 200
    assert response.headers["HX-Trigger"] == "invites-sent"
    body = page_text(response)
    assert '<div hx-swap-oob="innerHTML:#messages"><p class="message message--success">1 invitation sent.</p></div>' \
        in body
    assert "ana@example.com" not in body


# --- limits -----------------------------------------------------------------------------------


def test_the_daily_limit_refuses_a_list_that_would_pass_it_and_sends_none(
        app, client, db_conn, inviter, smtp_server):
    for i in range(49):
        sent_invite(db_conn, inviter["user_id"], inviter["program_id"], sha(app, f"earlier{i}@example.com"))
    response = invite(client, inviter["program_id"], "ana@example.com ben@example.com")
    assert response.status_code == 422
    assert "You can send 50 invitations a day and have 1 left." in page_text(response)
    assert len(invites(db_conn)) == 49 and smtp_server.messages == []
    assert invite(client, inviter["program_id"], "ana@example.com").status_code == 303
    assert len(invites(db_conn)) == 50


def test_at_the_daily_limit_the_inviter_is_told_to_come_back_tomorrow(app, client, db_conn, inviter, smtp_server):
    for i in range(50):
        sent_invite(db_conn, inviter["user_id"], inviter["program_id"], sha(app, f"earlier{i}@example.com"))
    response = invite(client, inviter["program_id"], "ana@example.com")
    assert "the most a day allows. Try again tomorrow." in page_text(response)


def test_invitations_older_than_a_day_leave_the_daily_count(app, client, db_conn, inviter, smtp_server):
    for i in range(50):
        sent_invite(db_conn, inviter["user_id"], inviter["program_id"], sha(app, f"earlier{i}@example.com"), 2)
    assert invite(client, inviter["program_id"], "ana@example.com").status_code == 303


def test_skipped_addresses_do_not_count_toward_the_daily_limit(
        app, client, db_conn, make_user, inviter, smtp_server):
    for i in range(49):
        sent_invite(db_conn, inviter["user_id"], inviter["program_id"], sha(app, f"earlier{i}@example.com"))
    make_user(email="member@example.com")
    assert invite(client, inviter["program_id"], "member@example.com ana@example.com").status_code == 303
    assert [m["To"] for m in smtp_server.messages] == ["ana@example.com"]


def test_the_rate_limit_counts_each_inviter_apart(app, client, inviter, make_user):
    for _ in range(20):
        assert invite(client, inviter["program_id"], "").status_code == 422
    assert invite(client, inviter["program_id"], "").status_code == 429
    # Someone else on the same address (an office, a phone network) still may.
    other_client = app.test_client()
    other = make_user("member")
    Auth(other_client).login(other["email"])
    assert invite(other_client, inviter["program_id"], "").status_code == 422


# --- delivery failures ------------------------------------------------------------------------


def test_a_mail_server_that_cannot_be_reached_means_nothing_is_recorded(app, client, db_conn, inviter):
    previous = app.config["SMTP_URL"]
    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{free_port()}"  # nothing listens there
    try:
        response = invite(client, inviter["program_id"], "ana@example.com ben@example.com")
    finally:
        app.config["SMTP_URL"] = previous
    assert response.status_code == 503
    assert "We could not send your invitations just now" in page_text(response)
    assert "so none were recorded" in page_text(response)
    assert "ana@example.com ben@example.com</textarea>" in page_text(response)
    assert invites(db_conn) == []


def test_a_refusal_after_the_first_message_still_records_nothing(client, db_conn, inviter, smtp_server):
    async def refuse_ben(server, session, envelope, address, options):
        if address.startswith("ben@"):
            return "550 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    smtp_server.handle_RCPT = refuse_ben
    response = invite(client, inviter["program_id"], "ana@example.com ben@example.com")
    assert response.status_code == 503
    assert [m["To"] for m in smtp_server.messages] == ["ana@example.com"]  # the trade-off docs/decisions.md names
    assert invites(db_conn) == []


# --- at the same time -------------------------------------------------------------------------


def signed_in_client(app, user: dict):
    other = app.test_client()
    assert Auth(other).login(user["email"]).status_code == 303
    other.get("/invites")
    return other


def run_at_once(db_conn, hold: str, requests) -> list:
    """Run `requests` (callables) in threads while this test holds a lock (`hold`, SQL in a transaction):
    once every request waits on a lock, let go, and return their responses."""
    responses = [None] * len(requests)

    def run(i, request):
        responses[i] = request()

    with db_conn.transaction():
        db_conn.execute(hold)
        threads = [threading.Thread(target=run, args=(i, r)) for i, r in enumerate(requests)]
        for thread in threads:
            thread.start()
        waiting = 0
        for _ in range(600):  # both blocked (a deadline only against a hang, not a timing claim)
            db_conn.execute("select pg_stat_clear_snapshot()")  # else the transaction sees its first look again
            waiting = db_conn.execute(
                "select count(*) from pg_stat_activity where datname = current_database()"
                " and wait_event_type = 'Lock' and pid <> pg_backend_pid()").fetchone()[0]
            if waiting == len(requests):
                break
            threading.Event().wait(0.05)
        assert waiting == len(requests), "the requests never met at the lock"
    for thread in threads:
        thread.join()
    return responses


def test_two_inviters_sending_to_one_address_at_once_make_one_invite(
        app, client, db_conn, make_user, inviter, smtp_server):
    # The test holds the table against inserts: both requests pass their checks' point only
    # if the guard lets them, and then wait, so the race is certain rather than likely.
    ben = make_user("member", name="Ben Inviter")
    clients = [client, signed_in_client(app, ben)]
    responses = run_at_once(db_conn, "lock table referral_invite in share mode", [
        lambda c=c: invite(c, inviter["program_id"], "ana@example.com", htmx=True) for c in clients])
    assert len(invites(db_conn)) == 1 and len(smtp_server.messages) == 1
    assert sorted(told(r) for r in responses) == ["1 invitation sent.", f"No invitations sent. {SKIPPED}"]


def test_two_submissions_at_once_cannot_pass_the_daily_limit_together(app, client, db_conn, inviter, smtp_server):
    for i in range(49):
        sent_invite(db_conn, inviter["user_id"], inviter["program_id"], sha(app, f"earlier{i}@example.com"))
    second = signed_in_client(app, inviter)
    responses = run_at_once(db_conn, f"select 1 from app_user where user_id = '{inviter['user_id']}' for update", [
        lambda: invite(client, inviter["program_id"], "ana@example.com", htmx=True),
        lambda: invite(second, inviter["program_id"], "ben@example.com", htmx=True)])
    assert sorted(r.status_code for r in responses) == [200, 422]
    assert len(invites(db_conn)) == 50 and len(smtp_server.messages) == 1
