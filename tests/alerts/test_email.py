"""The alert e-mail, received by a real SMTP server (aiosmtpd), and its signed links.

Alert rows are written directly here (the daily job that writes them is tested on its own):
a search saved on 10 March, an alert for 18 March, and people who joined in between.
"""
from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit

import pytest

from tests.conftest import page_text
from webapp.alerts import links
from webapp.alerts.email import Sent, message_id, send_alert_email
from webapp.core.ids import new_id

D = date(2026, 3, 18)
SAVED = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
SITE = "https://growthdesk.test"
PHOTOGRAPHERS = {"all": [{"field": "role_tags", "op": "has", "value": "photographer"}], "any": []}


def joined(day: int, hour: int = 12) -> datetime:
    return datetime(2026, 3, day, hour, 0, tzinfo=UTC)


@pytest.fixture
def public_url(app):
    previous = app.config.get("PUBLIC_URL")
    app.config["PUBLIC_URL"] = SITE
    yield SITE
    app.config["PUBLIC_URL"] = previous


@pytest.fixture
def buyer(make_user):
    return make_user("member", name="Bea Buyer", email="bea@example.test")


@pytest.fixture
def make_search(db_conn):
    def make(user, *, name: str | None = "Editorial shoots", query=PHOTOGRAPHERS, scope: str = "people",
             city: str = "berlin", email_alerts: bool = True) -> str:
        search_id = new_id("ssv")
        db_conn.execute("insert into saved_search (search_id, user_id, scope, query_json, city, name, email_alerts,"
                        " created_at) values (%s, %s, %s, %s::jsonb, %s, %s, %s, %s)",
                        (search_id, user["user_id"], scope, json.dumps(query), city, name, email_alerts, SAVED))
        return search_id

    return make


@pytest.fixture
def make_alert(db_conn):
    def make(search_id: str, *, day: date = D, count: int = 3) -> str:
        alert_id = new_id("ssa")
        db_conn.execute("insert into saved_search_alert (alert_id, search_id, alert_dt, match_count, inapp_created)"
                        " values (%s, %s, %s, %s, true)", (alert_id, search_id, day, count))
        return alert_id

    return make


@pytest.fixture
def alert(buyer, make_search, make_alert, make_profile):
    """Bea's "Editorial shoots" alert of D: three photographers joined Berlin since she saved it."""
    make_profile("Old Olga", created_at=joined(9))                  # before the search: not new
    make_profile("Ana Lens", created_at=joined(11))
    make_profile("Ben Shutter", roles=("photographer", "retoucher"), created_at=joined(14))
    make_profile("Cleo Frame", created_at=joined(17))
    make_profile("Mo Model", roles=("model",), created_at=joined(16))  # not a photographer
    make_profile("Paris Pia", city="paris", created_at=joined(16))     # another city
    make_profile("Late Lou", created_at=joined(19))                 # after D: the next alert's
    return make_alert(make_search(buyer), count=3)


def email_sent(db_conn, alert_id: str) -> bool:
    return db_conn.execute("select email_sent from saved_search_alert where alert_id = %s", (alert_id,)).fetchone()[0]


def search_row(db_conn, search_id: str):
    return db_conn.execute("select email_alerts, paused_until from saved_search where search_id = %s",
                           (search_id,)).fetchone()


def send(app, alert_id: str) -> Sent:
    with app.app_context():
        return send_alert_email(alert_id)


def parts(mail) -> tuple[str, str]:
    return (mail.get_body(preferencelist=("plain",)).get_content(),
            mail.get_body(preferencelist=("html",)).get_content())


def path_of(url: str) -> str:
    return urlsplit(url).path


# --- the message ---------------------------------------------------------------------------------

def test_the_subject_names_the_count_who_the_city_and_the_search(app, alert, smtp_server, public_url):
    assert send(app, alert) is Sent.SENT
    [mail] = smtp_server.messages
    assert mail["Subject"] == "3 new photographers in Berlin for ‘Editorial shoots’"
    assert mail["To"] == "bea@example.test"


def test_the_mail_has_a_plain_text_and_an_html_part(app, alert, smtp_server, public_url):
    send(app, alert)
    [mail] = smtp_server.messages
    assert mail.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in mail.iter_parts()] == ["text/plain", "text/html"]


def test_both_parts_list_the_new_matches_newest_first_with_their_tags_and_city(app, alert, smtp_server, public_url):
    send(app, alert)
    for body in parts(smtp_server.messages[0]):
        assert body.index("Cleo Frame") < body.index("Ben Shutter") < body.index("Ana Lens")
        assert "Retoucher" in body and "Berlin" in body
        for absent in ("Old Olga", "Mo Model", "Paris Pia", "Late Lou"):
            assert absent not in body


def test_every_link_is_absolute_and_leads_to_the_match_s_profile(app, alert, smtp_server, public_url, db_conn):
    send(app, alert)
    text, html = parts(smtp_server.messages[0])
    ana = db_conn.execute("select user_id from service_profile where display_name = 'Ana Lens'").fetchone()[0]
    assert f"{SITE}/people/{ana}" in text
    assert f'href="{SITE}/people/{ana}"' in html
    hrefs = [chunk.split('"', 1)[0] for chunk in html.split('href="')[1:]]
    assert hrefs and all(h.startswith(SITE + "/") for h in hrefs)


def test_at_most_five_matches_are_listed_and_the_rest_counted(app, buyer, make_search, make_alert, make_profile,
                                                              smtp_server, public_url):
    for i in range(7):
        make_profile(f"Shooter {i}", created_at=joined(11 + i))
    send(app, make_alert(make_search(buyer), count=7))
    text, html = parts(smtp_server.messages[0])
    assert [f"Shooter {i}" in text for i in range(7)] == [False, False, True, True, True, True, True]
    assert "…and 2 more." in text and "…and 2 more." in html


def test_the_mail_is_text_only(app, alert, smtp_server, public_url):
    send(app, alert)
    [mail] = smtp_server.messages
    assert all(not p.get_content_type().startswith("image/") for p in mail.walk())
    assert "<img" not in parts(mail)[1]


def test_studio_alerts_show_amenities(app, buyer, make_search, make_alert, make_studio, smtp_server, public_url,
                                      db_conn):
    studio_id = make_studio("Loft Eins", amenities=("cyclorama", "natural-light"))
    db_conn.execute("update studio set created_at = %s where studio_id = %s", (joined(12), studio_id))
    query = {"all": [{"field": "amenity_tags", "op": "has", "value": "cyclorama"}], "any": []}
    send(app, make_alert(make_search(buyer, name=None, query=query, scope="studios"), count=1))
    [mail] = smtp_server.messages
    assert mail["Subject"].startswith("1 new studio in Berlin for ‘")
    text, _ = parts(mail)
    assert "Loft Eins (Cyclorama, Natural light), Berlin" in text
    assert f"{SITE}/studios/{studio_id}" in text


# --- headers ---------------------------------------------------------------------------------------

def test_list_unsubscribe_points_to_the_search_s_signed_link_with_one_click(app, alert, smtp_server, public_url,
                                                                           db_conn):
    send(app, alert)
    [mail] = smtp_server.messages
    header = mail["List-Unsubscribe"]
    assert header.startswith(f"<{SITE}/alerts/unsubscribe/") and header.endswith(">")
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    search_id = db_conn.execute("select search_id from saved_search_alert where alert_id = %s", (alert,)).fetchone()[0]
    with app.app_context():
        assert links.search_id_of("unsubscribe", header.strip("<>").rsplit("/", 1)[1]) == search_id


def test_the_message_id_comes_from_the_alert_so_a_resend_carries_the_same_one(app, alert, smtp_server, public_url,
                                                                              db_conn):
    send(app, alert)
    db_conn.execute("update saved_search_alert set email_sent = false where alert_id = %s", (alert,))  # a crash
    send(app, alert)
    first, second = smtp_server.messages
    assert first["Message-ID"] == second["Message-ID"] == message_id(alert)
    assert alert.replace("_", "-") in first["Message-ID"]


# --- exactly once, as far as the database can know --------------------------------------------------

def test_email_sent_turns_true_once_the_server_accepted(app, alert, smtp_server, public_url, db_conn):
    assert email_sent(db_conn, alert) is False
    send(app, alert)
    assert email_sent(db_conn, alert) is True


def test_an_alert_already_e_mailed_is_not_sent_again(app, alert, smtp_server, public_url):
    assert send(app, alert) is Sent.SENT
    assert send(app, alert) is Sent.SENT
    assert len(smtp_server.messages) == 1


@pytest.fixture
def refusing_smtp_server(app):
    """A real SMTP server that refuses every message (550) after taking it in."""
    from aiosmtpd.controller import Controller

    from bench.common import free_port

    class Refuse:
        async def handle_DATA(self, server, session, envelope):
            return "550 Mailbox unavailable"

    port = free_port()
    controller = Controller(Refuse(), hostname="127.0.0.1", port=port)
    controller.start()
    previous = app.config.get("SMTP_URL")
    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{port}"
    yield
    app.config["SMTP_URL"] = previous
    controller.stop()


def test_a_refusing_server_leaves_email_sent_false_and_says_so(app, alert, refusing_smtp_server, public_url,
                                                              db_conn, caplog):
    assert send(app, alert) is Sent.REFUSED
    assert email_sent(db_conn, alert) is False
    assert "not delivered" in caplog.text and "bea@example.test" not in caplog.text


def test_a_retry_with_a_working_server_sends_it(app, alert, smtp_server, public_url, db_conn):
    previous = app.config["SMTP_URL"]
    app.config["SMTP_URL"] = "smtp://127.0.0.1:1"
    assert send(app, alert) is Sent.REFUSED
    app.config["SMTP_URL"] = previous
    assert send(app, alert) is Sent.SENT
    assert len(smtp_server.messages) == 1 and email_sent(db_conn, alert) is True


def test_no_mail_for_a_search_whose_e_mail_is_off(app, buyer, make_search, make_alert, smtp_server, public_url,
                                                 db_conn):
    alert_id = make_alert(make_search(buyer, email_alerts=False))
    assert send(app, alert_id) is Sent.SKIPPED
    assert smtp_server.messages == [] and email_sent(db_conn, alert_id) is False


def test_without_smtp_the_alert_lands_in_the_development_outbox(app, alert, public_url, tmp_path, client, auth):
    previous = app.config["OUTBOX_DIR"]
    app.config["OUTBOX_DIR"] = str(tmp_path)
    try:
        assert send(app, alert) is Sent.SENT
        auth.login("bea@example.test")
        assert "3 new photographers in Berlin for ‘Editorial shoots’" in page_text(client.get("/dev/outbox"))
        [path] = tmp_path.glob("*.eml")
        assert "Cleo Frame" in page_text(client.get(f"/dev/outbox/{path.stem}"))
    finally:
        app.config["OUTBOX_DIR"] = previous


# --- the links --------------------------------------------------------------------------------------

@pytest.fixture
def mailed(app, alert, smtp_server, public_url, db_conn):
    """The alert's e-mail as received, and its search's id."""
    send(app, alert)
    search_id = db_conn.execute("select search_id from saved_search_alert where alert_id = %s", (alert,)).fetchone()[0]
    return smtp_server.messages[0], search_id


def link_in(mail, words: str) -> str:
    """The href of the HTML part's link reading `words`."""
    html = parts(mail)[1]
    before = html[:html.index(f">{words}</a>")]
    return before[before.rindex('href="') + 6:].split('"', 1)[0]


def test_one_click_unsubscribe_works_with_no_session_and_no_csrf_token(app, mailed, db_conn):
    mail, search_id = mailed
    fresh = app.test_client()  # a mail client: no cookies, no token
    response = fresh.post(path_of(mail["List-Unsubscribe"].strip("<>")), data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert search_row(db_conn, search_id)[0] is False


def test_the_unsubscribe_link_shows_a_confirm_page_and_changes_nothing_until_pressed(app, mailed, db_conn):
    mail, search_id = mailed
    fresh = app.test_client()
    path = path_of(link_in(mail, "Stop e-mails for this search"))
    page = page_text(fresh.get(path))
    assert "Stop e-mails for this search" in page and "Editorial shoots" in page
    assert f'action="{path}"' in page
    assert search_row(db_conn, search_id)[0] is True
    done = page_text(fresh.post(path))
    assert "You will get no more e-mails for ‘Editorial shoots’" in done
    assert search_row(db_conn, search_id)[0] is False


def test_the_pause_link_pauses_the_search_for_a_week(app, mailed, db_conn, frozen_today):
    mail, search_id = mailed
    fresh = app.test_client()
    path = path_of(link_in(mail, "Pause these e-mails for a week"))
    assert "Pause for a week" in page_text(fresh.get(path))
    assert search_row(db_conn, search_id)[1] is None
    done = page_text(fresh.post(path))
    assert search_row(db_conn, search_id)[1] == frozen_today + timedelta(days=7)
    assert f"paused until {(frozen_today + timedelta(days=7)).strftime('%-d %b %Y')}" in done
    assert search_row(db_conn, search_id)[0] is True  # e-mail stays on: it resumes after the week


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_tampered_token_gets_a_clear_page_400_and_changes_nothing(app, mailed, db_conn, method):
    mail, search_id = mailed
    path = path_of(mail["List-Unsubscribe"].strip("<>"))
    token = path.rsplit("/", 1)[1]
    tampered = path[: -len(token)] + token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    response = app.test_client().open(tampered, method=method)
    assert response.status_code == 400
    assert "This link is not valid" in page_text(response)
    assert search_row(db_conn, search_id) == (True, None)


def test_an_unsubscribe_token_does_not_work_as_a_pause_link(app, mailed, db_conn):
    mail, search_id = mailed
    token = mail["List-Unsubscribe"].strip("<>").rsplit("/", 1)[1]
    assert app.test_client().post(f"/alerts/pause/{token}").status_code == 400
    assert search_row(db_conn, search_id) == (True, None)


def test_a_link_to_a_deleted_search_says_so_with_404(app, mailed, db_conn):
    mail, search_id = mailed
    db_conn.execute("delete from saved_search where search_id = %s", (search_id,))
    response = app.test_client().post(path_of(mail["List-Unsubscribe"].strip("<>")))
    assert response.status_code == 404
    assert "This saved search no longer exists" in page_text(response)


def test_links_signed_before_a_key_rotation_keep_working(app, mailed, db_conn):
    mail, search_id = mailed
    old_key, old_fallbacks = app.config["SECRET_KEY"], app.config["SECRET_KEY_FALLBACKS"]
    app.config["SECRET_KEY"], app.config["SECRET_KEY_FALLBACKS"] = "a-brand-new-key-" * 4, [old_key]
    try:
        response = app.test_client().post(path_of(mail["List-Unsubscribe"].strip("<>")))
    finally:
        app.config["SECRET_KEY"], app.config["SECRET_KEY_FALLBACKS"] = old_key, old_fallbacks
    assert response.status_code == 200 and search_row(db_conn, search_id)[0] is False


def test_a_link_signed_with_a_key_no_longer_accepted_is_refused(app, buyer, make_search, db_conn):
    search_id = make_search(buyer)
    with app.app_context():
        app.config["SECRET_KEY"], old_key = "a-retired-key-" * 4, app.config["SECRET_KEY"]
        try:
            token = links.token_for("unsubscribe", search_id)
        finally:
            app.config["SECRET_KEY"] = old_key
    assert app.test_client().post(f"/alerts/unsubscribe/{token}").status_code == 400
    assert search_row(db_conn, search_id)[0] is True
