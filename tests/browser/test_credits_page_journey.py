"""/credits in Chromium on a phone: the history grows in place with the focus on the new entries,
and a clawback's link lands on the award it reverses, pages down."""
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, screenshot
from tests.invites.helpers import BASE_TIME
from webapp.core.extensions import db
from webapp.credits import queries

pytestmark = pytest.mark.browser


def test_the_history_on_a_phone(app, phone_page, make_user):
    me = make_user("member", name="Petra Phone")
    with app.app_context():
        award = queries.insert_entry(user_id=me["user_id"], kind="award", amount_cents=2_500,
                                     reason="Referral reward: Rita's first booking (bkg_1)", related_id=None,
                                     at=BASE_TIME)
        for n in range(30):
            queries.insert_entry(user_id=me["user_id"], kind="award", amount_cents=100 + n, reason=f"Bonus {n}",
                                 related_id=None, at=BASE_TIME + timedelta(hours=1 + n))
        queries.insert_entry(user_id=me["user_id"], kind="redeem", amount_cents=5_500,
                             reason="Applied to the service fee of booking bkg_2", related_id="bkg_2",
                             at=BASE_TIME + timedelta(days=3))
        queries.insert_entry(user_id=me["user_id"], kind="clawback", amount_cents=2_500,
                             reason="Booking bkg_1 was refunded", related_id=award, at=BASE_TIME + timedelta(days=4))
        db.session.commit()
    page = phone_page
    log_in(page, me["email"], me["password"])
    page.goto("/credits")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page scrolls sideways on a phone ({width}px wide)"
    expect(page.get_by_text("You owe $20.65: your next rewards pay it off first.")).to_be_visible()
    screenshot(page, "credits-phone")

    rows = page.locator("tr.credit-row")
    expect(rows).to_have_count(25)
    page.get_by_role("link", name="Show more").click()
    expect(rows).to_have_count(33)
    # The first of the new entries has the focus: the reader goes on where the list grew.
    assert page.evaluate("document.activeElement.id") == rows.nth(25).get_attribute("id")

    page.goto("/credits")
    page.get_by_role("link", name="Reverses the award of 1 Mar 2026").click()
    page.wait_for_url(f"**/credits?after=*#{award}")
    target = page.locator(f"tr#{award}")
    expect(target).to_be_in_viewport()
    expect(target).to_contain_text("Referral reward: Rita's first booking")
