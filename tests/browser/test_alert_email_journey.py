"""The alert e-mail's way out, in Chromium: the buyer's alert e-mail, received by a real SMTP server,
carries a one-click unsubscribe link; opened in a fresh browser with no session, it shows what it
will do, and its button stops the e-mails of that search (and of that search only)."""
import json
from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.directory.conftest import make_profile  # noqa: F401  (fixture)
from webapp.alerts.email import Sent, send_alert_email
from webapp.core.ids import new_id

pytestmark = pytest.mark.browser
PHOTOGRAPHERS = {"all": [{"field": "role_tags", "op": "has", "value": "photographer"}], "any": []}
MODELS = {"all": [{"field": "role_tags", "op": "has", "value": "model"}], "any": []}


def save_search(db_conn, user, name: str, query: dict = PHOTOGRAPHERS) -> str:
    search_id = new_id("ssv")
    db_conn.execute("insert into saved_search (search_id, user_id, scope, query_json, city, name, email_alerts,"
                    " created_at) values (%s, %s, 'people', %s::jsonb, 'berlin', %s, true, %s)",
                    (search_id, user["user_id"], json.dumps(query), name, datetime(2026, 3, 10, tzinfo=UTC)))
    return search_id


def test_the_unsubscribe_link_of_an_alert_e_mail_stops_that_search_s_e_mails(
        browser, live_server, app, make_user, make_profile, db_conn, smtp_server):  # noqa: F811
    bea = make_user("member", name="Bea Buyer")
    editorial, other = save_search(db_conn, bea, "Editorial shoots"), save_search(db_conn, bea, "Models", MODELS)
    make_profile("Ana Lens", roles=("photographer",), created_at=datetime(2026, 3, 12, tzinfo=UTC))
    alert_id = new_id("ssa")
    db_conn.execute("insert into saved_search_alert (alert_id, search_id, alert_dt, match_count, inapp_created)"
                    " values (%s, %s, '2026-03-18', 1, true)", (alert_id, editorial))
    previous, app.config["PUBLIC_URL"] = app.config.get("PUBLIC_URL"), live_server  # the links lead here
    try:
        with app.app_context():
            assert send_alert_email(alert_id) is Sent.SENT
    finally:
        app.config["PUBLIC_URL"] = previous
    [mail] = smtp_server.messages
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = mail["List-Unsubscribe"].strip("<>")
    assert link.startswith(f"{live_server}/alerts/unsubscribe/")

    stranger_browser = browser.new_context(viewport={"width": 390, "height": 844})  # no session: the link is enough
    page = stranger_browser.new_page()
    page.goto(link)
    expect(page.get_by_role("heading", name="Stop e-mails for this search")).to_be_visible()
    expect(page.get_by_text("‘Editorial shoots’")).to_be_visible()
    screenshot(page, "alert-unsubscribe-confirm-phone")
    page.get_by_role("button", name="Stop e-mails").click()
    expect(page.get_by_role("heading", name="E-mails stopped")).to_be_visible()
    screenshot(page, "alert-unsubscribe-done-phone")
    stranger_browser.close()

    rows = dict(db_conn.execute("select search_id, email_alerts from saved_search").fetchall())
    assert rows == {editorial: False, other: True}
