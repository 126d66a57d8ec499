"""Build an ANY/ALL search, watch the count change, save it, see the duplicate refused, pause, resume and delete it."""
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, screenshot
from tests.directory.conftest import make_profile  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser


def shot(page, name):
    """screenshot(), then undo the style="" Playwright leaves on inputs while hiding the caret.

    Left in place, htmx's settle step would copy that attribute onto the swapped-in
    inputs, which the CSP (rightly) refuses and the page fixture reports as an error.
    """
    screenshot(page, name)
    page.evaluate("document.querySelectorAll('[style]').forEach(e => e.removeAttribute('style'))")


@pytest.fixture
def berlin_people(make_profile):  # noqa: F811
    make_profile("Ada Frame", roles=("photographer",), styles=("editorial",), rate_cents=15000, verified=True,
                 headline="Editorial and portrait photographer")
    make_profile("Ben Shutter", roles=("photographer",), styles=("fashion", "commercial"), rate_cents=22000)
    make_profile("Cleo Light", roles=("photographer",), styles=("wedding",), rate_cents=9000)
    make_profile("Dora Face", roles=("makeup-artist",), styles=("editorial", "beauty"), rate_cents=8000,
                 travels=True)
    make_profile("Eli Reel", roles=("videographer",), styles=("music",), rate_cents=18000)


def test_build_save_refuse_duplicate_pause_and_resume(page, make_user, berlin_people, frozen_today):
    user = make_user(name="Mia Buyer", city="berlin")
    log_in(page, user["email"], user["password"])
    page.get_by_role("link", name="People").first.click()
    page.wait_for_url("**/people")
    count = page.locator("#match-count")
    expect(count).to_have_text("5")

    # All of these: role includes photographer.
    page.get_by_role("button", name="Add to “all of these”").click()
    page.get_by_label("All of these, condition 1: role").fill("photographer")
    expect(count).to_have_text("3")
    assert "all_value=photographer" in page.url  # the search is in the address bar

    # Any of these: style editorial or fashion.
    page.get_by_role("button", name="Add to “any of these”").click()
    page.get_by_label("Any of these, condition 1: field").select_option("style_tags")
    page.get_by_label("Any of these, condition 1: style").fill("editorial")
    page.get_by_role("button", name="Add to “any of these”").click()
    page.get_by_label("Any of these, condition 2: field").select_option("style_tags")
    page.get_by_label("Any of these, condition 2: style").fill("fashion")
    expect(count).to_have_text("2")
    expect(page.get_by_text("Photographers in Berlin · editorial or fashion")).to_be_visible()
    expect(page.get_by_role("heading", name="Ada Frame")).to_be_visible()
    expect(page.get_by_role("heading", name="Cleo Light")).to_have_count(0)
    shot(page, "searches-builder")

    # A rate limit in "all of these" narrows it again.
    page.get_by_role("button", name="Add to “all of these”").click()
    page.get_by_label("All of these, condition 2: field").select_option("rate_cents")
    page.get_by_label("All of these, condition 2: operator").select_option("lte")
    page.get_by_label("All of these, condition 2: hourly rate").fill("200")
    expect(count).to_have_text("1")

    page.get_by_label("Name (optional)").fill("Berlin editorial crew")
    page.get_by_role("button", name="Save this search").click()
    expect(page.get_by_text("Search saved.")).to_be_visible()
    page.get_by_role("button", name="Save this search").click()
    expect(page.get_by_text("You already have this search saved as “Berlin editorial crew”")).to_be_visible()
    shot(page, "searches-duplicate")

    # The back button returns to the previous search, as a full page.
    page.go_back()
    expect(count).not_to_have_text("1")

    page.goto("/searches")
    card = page.get_by_role("listitem").filter(has_text="Berlin editorial crew")
    expect(card.get_by_text("Photographers in Berlin · editorial or fashion · up to $200/h")).to_be_visible()
    expect(card.get_by_text("1 person now")).to_be_visible()
    expect(card.get_by_text("Alerts on")).to_be_visible()

    card.get_by_text("Pause alerts", exact=True).click()
    day = frozen_today + timedelta(days=12)
    card.get_by_label("Or pick a date").fill(day.isoformat())
    card.get_by_role("button", name="Pause until this date").click()
    expect(card.get_by_text(f"Alerts paused until {day.day} {day:%b %Y}")).to_be_visible()
    shot(page, "searches-paused")

    card.get_by_role("button", name="Resume alerts").click()
    expect(card.get_by_text("Alerts on")).to_be_visible()
    shot(page, "searches-resumed")

    # Deleting asks first: saying no keeps the search, saying yes removes it.
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    card.get_by_role("button", name="Delete Berlin editorial crew").click()
    page.reload()
    expect(card).to_be_visible()
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
    card.get_by_role("button", name="Delete Berlin editorial crew").click()
    expect(page.get_by_text("Deleted “Berlin editorial crew”.")).to_be_visible()
    expect(card).to_have_count(0)
    assert questions == ["Delete Berlin editorial crew? Its alerts stop."] * 2


def test_the_builder_fits_a_phone(phone_page, make_user, berlin_people):
    user = make_user(city="berlin")
    page = phone_page
    log_in(page, user["email"], user["password"])
    page.goto("/people?city=berlin&all_field=role_tags&all_op=has&all_value=photographer"
              "&any_field=style_tags&any_op=has&any_value=editorial&any_field=rate_cents&any_op=lte&any_value=150")
    expect(page.locator("#match-count")).to_have_text("2")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the directory scrolls sideways on a phone ({width}px wide)"
    shot(page, "searches-phone")
