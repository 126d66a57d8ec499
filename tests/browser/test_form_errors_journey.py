"""A form that fails says so where the person is: focus lands on the summary of what is wrong (after a
full page load and after an htmx swap alike), each of its links leads to the field, and the field
carries its message as its description."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import _watched_page, log_in, screenshot
from webapp.accounts.service import MIN_PASSWORD_LENGTH
from webapp.core.ids import new_id

pytestmark = pytest.mark.browser

SHORT = f"At least {MIN_PASSWORD_LENGTH} characters."


def _sign_up_with_a_short_password(page):
    page.goto("/signup")
    page.get_by_label("Your name").fill("Nora Lens")
    page.get_by_label("E-mail").fill("nora@example.com")
    page.get_by_label("Password").fill("short")
    page.get_by_role("button", name="Create account").click()


def test_a_failed_sign_up_puts_focus_on_the_summary_of_what_is_wrong(page):
    _sign_up_with_a_short_password(page)
    summary = page.get_by_role("group", name="Your account was not created")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text([f"Password: {SHORT}"])
    screenshot(page, "signup-errors")


def test_the_summary_link_takes_focus_to_the_field_that_describes_its_error(page):
    _sign_up_with_a_short_password(page)
    page.get_by_role("link", name=f"Password: {SHORT}").click()
    password = page.get_by_label("Password")
    expect(password).to_be_focused()
    expect(password).to_have_attribute("aria-invalid", "true")
    expect(password).to_have_accessible_description(re.compile(re.escape(SHORT)))


def test_without_javascript_the_reloaded_page_also_opens_on_the_summary(browser, live_server):
    context, page, errors = _watched_page(browser, live_server, java_script_enabled=False)
    _sign_up_with_a_short_password(page)
    expect(page.get_by_role("group", name="Your account was not created")).to_be_focused()
    context.close()
    assert not errors


def test_a_taken_email_offers_to_log_in_beside_the_field(page, make_user):
    make_user(email="taken@example.com")
    page.goto("/signup")
    page.get_by_label("Your name").fill("Nora Lens")
    page.get_by_label("E-mail").fill("taken@example.com")
    page.get_by_label("Password").fill("a-long-password")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("group", name="Your account was not created")).to_be_focused()
    page.get_by_role("link", name="log in?", exact=True).click()
    page.wait_for_url("**/login")


def test_an_unchosen_group_is_announced_invalid_on_its_fieldset(page, make_user):
    """The growth team's program form: a group of checkboxes left empty."""
    growth = make_user("growth")
    log_in(page, growth["email"], growth["password"])
    page.goto("/growth/programs/new")
    page.get_by_label("Name", exact=True).fill("Spring offer")
    page.get_by_label("Who invites whom").select_option("cross_side")
    page.get_by_label("Inviter's reward: fixed amount, in dollars").fill("10")
    for role in ("Members (buyers)", "Providers"):
        page.get_by_label(role).uncheck()
    page.get_by_role("button", name="Create program").click()
    expect(page.get_by_role("group", name="The program was not saved")).to_be_focused()
    group = page.get_by_role("group", name="Who may invite")
    expect(group).to_have_attribute("aria-invalid", "true")
    expect(group).to_have_accessible_description(re.compile("Choose who may invite"))
    page.get_by_role("link", name=re.compile("^Who may invite:")).click()
    expect(page.get_by_label("Members (buyers)")).to_be_focused()


@pytest.fixture
def program(db_conn):
    db_conn.execute("insert into referral_program (program_id, name, kind, reward_fixed_cents, invitee_fixed_cents,"
                    " credit_scope) values (%s, 'Bring a friend', 'cross_side', 2500, 2000, 'buyer_fee_only')",
                    (new_id("rpr"),))


def test_an_htmx_form_that_fails_puts_focus_on_its_summary_in_the_swapped_block(page, make_user, program):
    user = make_user(name="Ada Inviter")
    log_in(page, user["email"], user["password"])
    page.goto("/invites")
    page.get_by_label("E-mail addresses").fill("ben@")
    with page.expect_response(lambda r: r.url.endswith("/invites/email")) as answer:
        page.get_by_role("button", name="Send invitations").click()
    assert answer.value.status == 422 and answer.value.request.headers.get("hx-request") == "true"
    summary = page.get_by_role("group", name="No invitations were sent")
    expect(summary).to_be_focused()
    summary.get_by_role("link", name="E-mail addresses: This is not an e-mail address: ben@.").click()
    addresses = page.get_by_label("E-mail addresses")
    expect(addresses).to_be_focused()
    expect(addresses).to_have_attribute("aria-invalid", "true")
    expect(addresses).to_have_accessible_description(re.compile("This is not an e-mail address: ben@."))
