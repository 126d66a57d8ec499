"""The growth team reviews a held invite: opens the queue from the growth tabs, reads the evidence,
is told beside the field that a decision needs a reason, approves it in place (htmx, CSRF header
and all, focus on the decided invite), and finds it rewarded on the inviter's credits page."""
import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, screenshot
from tests.growth.factories import BASE_TIME, complete_booking, make_invite, make_program

pytestmark = pytest.mark.browser


@pytest.fixture
def held_invite(app, make_user, db_conn):
    """Ada's invite of Nora, held for a sign-up burst from one IP; Nora's first booking is in."""
    program = make_program(db_conn, name="Bring a friend", fixed=2_000, cap=3)
    ada = make_user("provider", name="Ada Inviter")
    nora = make_user("member", name="Nora Newcomer")
    ip = "c0ffee00badc0de0123456789abcdef0"
    for n, person in enumerate((nora, make_user("member", name="Otto Other"), make_user("member", name="Pat Third"))):
        make_invite(db_conn, program, ada, invitee=person, status="held", flags=("signup_burst",), ip_sha=ip,
                    device=f"dfp_{n}a{n}b{n}c{n}d{n}e{n}f{n}0112233", at=BASE_TIME + timedelta(minutes=20 * n))
    complete_booking(app, buyer=nora, provider=make_user("provider", name="Pia Provider"), fee=8_000,
                     booking_id="bkg_journey1")
    return {"ada": ada, "nora": nora}


def test_approve_a_held_invite_and_see_it_rewarded(page, make_user, held_invite, db_conn):
    growth = make_user("growth", name="Gita Growth")
    log_in(page, growth["email"], growth["password"])
    page.locator(".nav-desktop").get_by_role("link", name="Growth").click()
    page.get_by_role("navigation", name="Growth team").get_by_role("link", name="Review").click()
    page.wait_for_url("**/growth/review")

    item = page.locator("li.review-item", has_text="Nora Newcomer")
    expect(item.get_by_text("Sign-up burst")).to_be_visible()
    expect(item).to_contain_text("3 sign-ups from IP c0ffee00 within 24 h")
    expect(item).to_contain_text("Booking bkg_journey1")
    expect(item).to_contain_text("Approving pays Ada Inviter $20")
    expect(item).to_contain_text("Counts against January 2026's cap: 0 of 3 used.")
    assert "c0ffee00badc" not in page.content()  # a fingerprint, never the hash
    screenshot(page, "growth-review-queue")

    page.evaluate("window.notReloaded = true")
    item.get_by_role("button", name=re.compile("^Approve")).click()
    expect(item.get_by_text("Say why: the decision is kept with its reason.")).to_be_visible()
    reason = item.get_by_label("Reason")
    expect(reason).to_be_focused()

    reason.fill("Same office network; a real studio.")
    item.get_by_role("button", name=re.compile("^Approve")).click()
    decided = page.locator("#review-" + db_conn.execute(
        "select invite_id from referral_invite where invitee_user_id = %s", (held_invite["nora"]["user_id"],)
    ).fetchone()[0])
    expect(decided).to_contain_text("Rewarded")
    expect(decided).to_contain_text("Approved by Gita Growth")
    expect(decided).to_contain_text("“Same office network; a real studio.”")
    expect(decided.get_by_role("heading")).to_be_focused()
    expect(page.locator("#messages")).to_contain_text("$20 paid to Ada Inviter")
    assert page.evaluate("window.notReloaded") is True  # decided in place, not a new page
    expect(page.locator("li.review-item", has_text="Otto Other").get_by_role("button", name=re.compile("^Approve"))
           ).to_be_visible()
    screenshot(page, "growth-review-decided")

    decided.get_by_role("link", name="Ada Inviter's credits").click()
    page.wait_for_url(f"**/growth/users/{held_invite['ada']['user_id']}")
    row = page.locator("tr[id^=invite-]", has_text="Nora Newcomer")
    expect(row).to_contain_text("Rewarded")
    expect(row).to_contain_text("bkg_journey1")
    expect(page.locator(".credit-figures")).to_contain_text("$20")
    expect(page.locator("#decisions-heading + ul")).to_contain_text("Same office network; a real studio.")
    screenshot(page, "growth-user-credits")

    page.get_by_role("link", name="Review", exact=True).click()
    page.get_by_role("link", name="Decided").click()
    expect(page.locator("table.decision-table")).to_contain_text("Same office network; a real studio.")
    screenshot(page, "growth-review-decisions")


def test_the_queue_and_a_user_s_credits_read_well_on_a_phone(phone_page, make_user, held_invite):
    growth = make_user("growth", name="Gita Growth")
    page = phone_page
    log_in(page, growth["email"], growth["password"])
    page.goto("/growth/review")
    expect(page.locator("li.review-item").first).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the review queue scrolls sideways on a phone ({width}px wide)"
    screenshot(page, "growth-review-phone")
    page.goto(f"/growth/users/{held_invite['ada']['user_id']}")
    expect(page.get_by_role("heading", name="Adjust credits")).to_be_visible()
    screenshot(page, "growth-user-credits-phone")
