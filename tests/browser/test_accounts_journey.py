"""A newcomer signs up, logs out, logs back in and changes a setting, in Chromium."""
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def test_sign_up_log_out_log_in_and_change_a_setting(page):
    page.goto("/signup")
    page.get_by_label("Your name").fill("Nora Lens")
    page.get_by_label("E-mail").fill("nora@example.com")
    page.get_by_label("Password").fill("a-long-password")
    page.get_by_label("Offer my services").check()
    page.get_by_label("What you do (providers)").select_option("photographer")
    page.get_by_label("City").select_option("paris")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/")
    expect(page.get_by_role("heading", name="Hello, Nora Lens")).to_be_visible()
    screenshot(page, "accounts-dashboard")

    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/login")
    expect(page.get_by_text("You are logged out.")).to_be_visible()

    page.get_by_label("E-mail").fill("nora@example.com")
    page.get_by_label("Password").fill("a-long-password")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/")

    page.get_by_role("link", name="Settings for Nora Lens").click()
    page.get_by_label("Let me reveal blurred sensitive media in the feed").check()
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Settings saved.")).to_be_visible()
    expect(page.get_by_label("Let me reveal blurred sensitive media in the feed")).to_be_checked()
    screenshot(page, "accounts-settings")


def test_a_wrong_password_shows_a_message_in_place(page, make_user):
    user = make_user()
    page.goto("/login")
    page.get_by_label("E-mail").fill(user["email"])
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("That e-mail and password don't match an account.")).to_be_visible()
    assert page.url.endswith("/login")


def test_the_dashboard_reads_well_on_a_phone(phone_page, make_user):
    user = make_user(name="Phone Person")
    page = phone_page
    page.goto("/login")
    page.get_by_label("E-mail").fill(user["email"])
    page.get_by_label("Password").fill(user["password"])
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page scrolls sideways on a phone ({width}px wide)"
    page.get_by_text("Menu").click()
    expect(page.get_by_role("link", name="Feed", exact=True)).to_be_visible()
    screenshot(page, "accounts-dashboard-phone")
