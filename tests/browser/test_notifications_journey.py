"""A buyer sees the unread count, opens a notification, lands on the search's new matches (marked)
and the count drops; on a phone, marks one read in place and then all."""
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, screenshot
from tests.directory.conftest import make_profile  # noqa: F401  (fixture)
from tests.notifications.helpers import at, make_alert, make_notification, make_search

pytestmark = pytest.mark.browser


@pytest.fixture
def alerted_buyer(make_user, make_profile, db_conn, frozen_today):  # noqa: F811
    """A buyer whose photographer search alerted today (and three days ago), with two unread notifications."""
    today = frozen_today
    buyer = make_user(name="Mia Buyer", city="berlin")
    search_id = make_search(db_conn, buyer["user_id"], name="Editorial shoots",
                            created_at=at(today - timedelta(days=20)))
    make_alert(db_conn, search_id, today - timedelta(days=3), count=1, email_sent=True)
    older = make_notification(db_conn, buyer["user_id"], None, title="New matches from last week",
                              created_at=at(today - timedelta(days=6)))
    newest = make_notification(db_conn, buyer["user_id"], make_alert(db_conn, search_id, today, count=2),
                               title="2 new photographers in Berlin for ‘Editorial shoots’", created_at=at(today, 0))
    make_profile("Old Frame", roles=("photographer",), created_at=at(today - timedelta(days=10)))
    make_profile("Fresh Lens", roles=("photographer",), styles=("editorial",), created_at=at(today - timedelta(days=1)))
    make_profile("New Shutter", roles=("photographer",), created_at=at(today - timedelta(days=2)))
    return dict(buyer, newest=newest, older=older)


def test_open_a_notification_and_land_on_the_new_matches(page, alerted_buyer):
    log_in(page, alerted_buyer["email"], alerted_buyer["password"])
    bell = page.locator("#notification-bell")
    expect(bell).to_have_attribute("aria-label", "Notifications, 2 unread")
    expect(bell.locator(".account__badge")).to_have_text("2")

    bell.click()
    page.wait_for_url("**/notifications")
    expect(page.get_by_role("heading", name="Notifications")).to_be_visible()
    titles = page.locator(".notification__title")
    expect(titles.first).to_contain_text("2 new photographers in Berlin")  # newest first
    screenshot(page, "notifications-list-desktop")

    titles.first.click()
    page.wait_for_url("**/people?**since=**")
    expect(page.get_by_text("New since")).to_be_visible()
    fresh = page.locator(".dir-card", has=page.get_by_role("heading", name="Fresh Lens"))
    old = page.locator(".dir-card", has=page.get_by_role("heading", name="Old Frame"))
    expect(fresh.locator(".chip--new")).to_have_text("New")
    expect(old.locator(".chip--new")).to_have_count(0)
    expect(bell.locator(".account__badge")).to_have_text("1")  # the count dropped
    screenshot(page, "notifications-new-matches-desktop")

    page.goto("/searches")
    page.get_by_text("Alert history").click()
    expect(page.get_by_text("2 new · not e-mailed · in-app")).to_be_visible()


def test_on_a_phone_mark_one_read_in_place_then_all(phone_page, alerted_buyer):
    page = phone_page
    log_in(page, alerted_buyer["email"], alerted_buyer["password"])
    page.goto("/notifications")
    bell = page.locator("#notification-bell")
    expect(bell.locator(".account__badge")).to_have_text("2")
    screenshot(page, "notifications-list-phone")

    older = page.locator(f"#notification-{alerted_buyer['older']}")
    older.get_by_role("button", name="Mark as read").click()
    expect(older.get_by_role("button", name="Mark as read")).to_have_count(0)
    # Its button gone, focus is on the row's title, not back on <body>.
    assert page.evaluate("document.activeElement.closest('li').id") == f"notification-{alerted_buyer['older']}"
    assert page.evaluate("document.activeElement.className") == "notification__title"
    expect(bell.locator(".account__badge")).to_have_text("1")  # the bell, out of band

    page.get_by_role("button", name="Mark all as read").click()
    expect(page.get_by_text("Marked 1 notification as read.")).to_be_visible()
    expect(bell.locator(".account__badge")).to_have_count(0)
    expect(page.locator(".notification--unread")).to_have_count(0)
    screenshot(page, "notifications-all-read-phone")

    page.locator(".notification__title").first.click()
    page.wait_for_url("**/people?**")
    expect(page.locator(".dir-card .chip--new").first).to_be_visible()
    screenshot(page, "notifications-new-matches-phone")
