"""A reward from end to end, in Chromium and over HTTP: two strangers sign up through Ada's link, the
marketplace reports each one's first booking with a signed event, the clean one pays Ada at once and
shows on her /credits; the one from a throw-away address is held, the growth team approves it in the
review queue, and it shows on her /credits too."""
import json
import re
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, screenshot
from tests.invites.helpers import make_program
from webapp.core.clock import now
from webapp.core.ids import new_id
from webapp.core.security import SIGNATURE_HEADER, body_signature

pytestmark = pytest.mark.browser


def sign_up_through(browser, link: str, name: str, email: str) -> None:
    stranger = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    stranger.goto(link)
    stranger.get_by_role("link", name="Sign up").first.click()
    expect(stranger.get_by_text("Invited by Ada Inviter")).to_be_visible()
    stranger.get_by_label("Your name").fill(name)
    stranger.get_by_label("E-mail").fill(email)
    stranger.get_by_label("Password").fill("a-long-password")
    stranger.get_by_label("City").select_option("paris")
    stranger.get_by_role("button", name="Create account").click()
    expect(stranger.get_by_role("heading", name=f"Hello, {name}")).to_be_visible()
    stranger.context.close()


def report_booking(live_server: str, secret: str, *, buyer_id: str, provider_id: str, booking_id: str) -> dict:
    """POST a booking.completed to the running app as the marketplace does: signed, no session."""
    body = json.dumps({"id": new_id("evt"), "type": "booking.completed", "booking_id": booking_id,
                       "buyer_user_id": buyer_id, "provider_user_id": provider_id, "buyer_fee_cents": 6_000,
                       "occurred_at": now().isoformat()}).encode()
    request = urllib.request.Request(f"{live_server}/internal/events", data=body, method="POST", headers={
        "Content-Type": "application/json", SIGNATURE_HEADER: body_signature(secret, body)})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200
        return json.loads(response.read())


def test_a_signed_booking_pays_the_inviter_and_a_held_one_pays_once_approved(
        page, browser, live_server, app, make_user, db_conn):
    make_program(db_conn, "Bring a brand", kind="buyer_invites_buyer", roles=("member",), fixed_cents=2_500)
    ada = make_user("member", name="Ada Inviter")
    pia = make_user("provider", name="Pia Provider")
    log_in(page, ada["email"], ada["password"])
    page.goto("/invites")
    link = page.get_by_label("Your invite link").first.input_value()
    # Every browser here shares one IP: Ada's log-in trace moves to her own network, as it would be,
    # so only the rule under test holds an invite.
    db_conn.execute("update sign_in_trace set value = 'elsewhere' where user_id = %s and kind = 'ip'",
                    (ada["user_id"],))

    sign_up_through(browser, link, "Nora Newcomer", "nora.newcomer@example.com")
    sign_up_through(browser, link, "Zed Throwaway", "zed@mailinator.com")
    nora, zed = (db_conn.execute("select user_id from app_user where display_name = %s", (name,)).fetchone()[0]
                 for name in ("Nora Newcomer", "Zed Throwaway"))

    secret = app.config["INTERNAL_EVENTS_SECRET"]
    paid = report_booking(live_server, secret, buyer_id=nora, provider_id=pia["user_id"], booking_id="bkg_nora1")
    assert paid == {"awarded": [{"user_id": ada["user_id"], "amount_cents": 2_500}]}
    held = report_booking(live_server, secret, buyer_id=zed, provider_id=pia["user_id"], booking_id="bkg_zed1")
    assert held == {"awarded": []}

    page.goto("/credits")
    balance = page.get_by_role("region", name="Your balance")
    expect(balance).to_contain_text("$25")
    history = page.get_by_role("region", name="History")
    expect(history).to_contain_text("Referral reward: Nora Newcomer's first booking (bkg_nora1)")
    expect(page.get_by_role("region", name=re.compile("^Held for review"))).to_contain_text("Zed Throwaway")
    screenshot(page, "credits-journey-inviter")

    growth = make_user("growth", name="Gita Growth")
    reviewer = browser.new_context(base_url=live_server).new_page()
    log_in(reviewer, growth["email"], growth["password"])
    reviewer.goto("/growth/review")
    item = reviewer.locator("li.review-item", has_text="Zed Throwaway")
    expect(item.get_by_text("Disposable e-mail")).to_be_visible()
    expect(item).to_contain_text("Booking bkg_zed1")
    item.get_by_label("Reason").fill("A real studio that uses a forwarding address.")
    item.get_by_role("button", name=re.compile("^Approve")).click()
    expect(item).to_contain_text("Rewarded")
    reviewer.context.close()

    page.reload()
    expect(history).to_contain_text("Referral reward: Zed Throwaway's first booking (bkg_zed1)")
    expect(balance).to_contain_text("$50")
    screenshot(page, "credits-journey-approved")
