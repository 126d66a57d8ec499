"""A member invites two friends by e-mail from /invites, in Chromium; the invitation reaches a real
SMTP server (aiosmtpd) and its link opens the invite page in a fresh browser."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, screenshot
from webapp.core.ids import new_id

pytestmark = pytest.mark.browser


@pytest.fixture
def program_id(db_conn):
    program_id = new_id("rpr")
    db_conn.execute("insert into referral_program (program_id, name, kind, reward_fixed_cents, invitee_fixed_cents,"
                    " credit_scope) values (%s, 'Bring a friend', 'cross_side', 2500, 2000, 'buyer_fee_only')",
                    (program_id,))
    return program_id


def test_invite_two_friends_by_e_mail_and_open_the_link_they_get(page, browser, live_server, make_user, program_id,
                                                                   smtp_server):
    user = make_user(name="Ada Inviter")
    log_in(page, user["email"], user["password"])
    page.goto("/invites")

    addresses = page.get_by_label("E-mail addresses")
    addresses.fill("ana@example.com, ben@")
    page.get_by_role("button", name="Send invitations").click()
    expect(addresses).to_have_accessible_description(re.compile("This is not an e-mail address: ben@."))
    expect(addresses).to_have_value("ana@example.com, ben@")
    expect(page.get_by_role("group", name="No invitations were sent")).to_be_focused()  # the summary, after the swap

    addresses.fill("ana@example.com\nben@example.com")
    page.get_by_label("A note from you (optional)").fill("Come and see <b>this</b>!")
    page.get_by_role("button", name="Send invitations").click()
    expect(page.locator("#messages")).to_have_text("2 invitations sent.")
    expect(page.get_by_label("E-mail addresses")).to_have_value("")
    expect(page.get_by_role("button", name="Send invitations")).to_be_focused()
    screenshot(page, "invites-by-email")

    assert sorted(m["To"] for m in smtp_server.messages) == ["ana@example.com", "ben@example.com"]
    html = smtp_server.messages[0].get_body(preferencelist=("html",)).get_content()
    assert "Come and see &lt;b&gt;this&lt;/b&gt;!" in html

    friend = browser.new_context(base_url=live_server).new_page()
    friend.set_content(html)  # the mail as a mail client shows it
    link = friend.get_by_role("link", name="Accept the invitation")
    href = link.get_attribute("href")
    assert href.endswith("?s=email") and "/r/" in href
    friend.goto(live_server + href[href.index("/r/"):])
    expect(friend.get_by_role("heading", name="Ada Inviter invites you to Growth desk")).to_be_visible()
    friend.context.close()
