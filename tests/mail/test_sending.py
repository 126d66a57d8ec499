"""E-mail reaches a real SMTP server, or the development outbox when none is configured."""
import pytest

from tests.conftest import page_text
from webapp.mail.sender import DeliveryError, build_message, send


def test_a_message_reaches_the_smtp_server(app, smtp_server):
    with app.app_context():
        send(build_message(to="ana@example.test", subject="3 new matches", text="Hello Ana",
                           headers={"List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}))
    [received] = smtp_server.messages
    assert received["To"] == "ana@example.test"
    assert received["Subject"] == "3 new matches"
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert received.get_body(preferencelist=("plain",)).get_content().strip() == "Hello Ana"


def test_an_unreachable_smtp_server_raises_instead_of_pretending(app):
    app.config["SMTP_URL"] = "smtp://127.0.0.1:1"
    try:
        with app.app_context(), pytest.raises(DeliveryError):
            send(build_message(to="ana@example.test", subject="x", text="y"))
    finally:
        app.config["SMTP_URL"] = None


@pytest.fixture
def outbox(app, tmp_path):
    previous = app.config["OUTBOX_DIR"]
    app.config["OUTBOX_DIR"] = str(tmp_path)
    yield tmp_path
    app.config["OUTBOX_DIR"] = previous


def test_without_smtp_the_message_lands_in_the_outbox_page(app, outbox, signed_in, client):
    with app.app_context():
        send(build_message(to="ana@example.test", subject="Your weekly digest", text="Body text here"))
    signed_in(email="Ana@example.test")
    listing = page_text(client.get("/dev/outbox"))
    assert "Your weekly digest" in listing
    message_id = next(outbox.glob("*.eml")).stem
    assert "Body text here" in page_text(client.get(f"/dev/outbox/{message_id}"))


@pytest.mark.parametrize("role", ["member", "growth"])
def test_the_outbox_shows_no_one_the_mail_of_others(role, app, outbox, signed_in, client):
    with app.app_context():
        send(build_message(to="Ana <ana@example.test>", subject="Ana's invite", text="Ana's secret link"))
    signed_in(role, email="ben@example.test")
    assert "Ana's invite" not in page_text(client.get("/dev/outbox"))
    message_id = next(outbox.glob("*.eml")).stem
    assert client.get(f"/dev/outbox/{message_id}").status_code == 404


def test_the_outbox_cannot_be_walked_out_of(outbox, signed_in, client):
    signed_in()
    assert client.get("/dev/outbox/..%2F..%2Fetc%2Fpasswd").status_code == 404
