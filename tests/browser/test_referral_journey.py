"""The whole referral in Chromium: an inviter copies her link from /invites, a stranger opens it in a
fresh browser, sees the offer and the link-preview tags, signs up and lands signed in; the inviter's
history then shows the new member as signed up."""
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, screenshot
from tests.invites.helpers import make_program

pytestmark = pytest.mark.browser


def test_a_copied_link_brings_in_a_member_who_shows_in_the_inviter_s_history(
        page, browser, live_server, make_user, db_conn):
    make_program(db_conn, "Bring a brand", kind="buyer_invites_buyer", roles=("member",), invitee_cents=2_000)
    inviter = make_user("member", name="Ada Inviter")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    log_in(page, inviter["email"], inviter["password"])
    page.goto("/invites")
    page.get_by_role("button", name="Copy", exact=True).click()
    link = page.evaluate("navigator.clipboard.readText()")
    assert link.startswith(f"{live_server}/r/") and link.endswith("?s=copy")

    # Both browsers run on this machine, one IP: the self-referral rule would hold the invite. Ada's
    # log-in trace is moved to her own network, as it would be (her device id already differs).
    db_conn.execute("update sign_in_trace set value = 'elsewhere' where user_id = %s and kind = 'ip'",
                    (inviter["user_id"],))
    stranger = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    stranger.goto(link)
    expect(stranger.get_by_role("heading", name="Ada Inviter invites you to Growth desk")).to_be_visible()
    expect(stranger.get_by_text("$20 of credit toward your service fees").first).to_be_visible()
    og = {name: stranger.locator(f'meta[property="{name}"]').get_attribute("content")
          for name in ("og:title", "og:image", "og:url")}
    assert og["og:title"] == "Ada Inviter invites you to Growth desk"
    assert og["og:image"].startswith(f"{live_server}/r/") and "/card.png" in og["og:image"]
    assert og["og:url"] == link.removesuffix("?s=copy")
    assert stranger.locator('meta[name="twitter:card"]').get_attribute("content") == "summary_large_image"
    screenshot(stranger, "referral-public-page-phone")

    stranger.get_by_role("link", name="Sign up").first.click()
    expect(stranger.get_by_text("Invited by Ada Inviter")).to_be_visible()
    stranger.get_by_label("Your name").fill("Nora Newcomer")
    stranger.get_by_label("E-mail").fill("nora.newcomer@example.com")
    stranger.get_by_label("Password").fill("a-long-password")
    stranger.get_by_label("City").select_option("paris")
    stranger.get_by_role("button", name="Create account").click()
    stranger.wait_for_url(f"{live_server}/")
    expect(stranger.get_by_role("heading", name="Hello, Nora Newcomer")).to_be_visible()
    stranger.context.close()

    page.goto("/invites")
    row = page.get_by_role("row", name="Nora Newcomer")
    expect(row).to_contain_text("Signed up")
    expect(row).to_contain_text("Copied link")
    screenshot(page, "referral-inviter-history")
