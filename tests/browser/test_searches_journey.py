"""Build an ANY/ALL search, watch the count change, save it, see the duplicate refused, pause, resume and delete it.

After each action the keyboard focus is asserted by the accessible name of what has it (never <body>)."""
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import _watched_page, log_in, screenshot
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


def focused(page) -> str:
    """What has the keyboard focus: never the page itself after an action."""
    tag = page.evaluate("document.activeElement.tagName")
    assert tag != "BODY", "the focus fell back to <body>"
    return tag


def test_build_save_refuse_duplicate_pause_and_resume(page, make_user, berlin_people, frozen_today):
    user = make_user(name="Mia Buyer", city="berlin")
    log_in(page, user["email"], user["password"])
    page.get_by_role("link", name="People").first.click()
    page.wait_for_url("**/people")
    count = page.locator("#match-count")
    messages = page.locator("#messages")
    expect(count).to_have_text("5")

    # All of these: role includes photographer, chosen from the catalogue's roles.
    page.get_by_role("button", name="Add to “all of these”").click()
    role_field = page.get_by_role("combobox", name="All of these, condition 1: field")
    expect(role_field).to_be_focused()  # the added row's first control
    focused(page)
    page.get_by_role("combobox", name="All of these, condition 1: role").select_option("photographer")
    expect(count).to_have_text("3")
    expect(messages).to_have_text("3 people match")  # said in the status region, not by the results
    expect(page.locator("#results")).not_to_have_attribute("aria-live", "polite")
    assert "all_value=photographer" in page.url  # the search is in the address bar

    # Any of these: style editorial or fashion.
    page.get_by_role("button", name="Add to “any of these”").click()
    page.get_by_label("Any of these, condition 1: field").select_option("style_tags")
    expect(page.get_by_label("Any of these, condition 1: field")).to_be_focused()  # kept across the redraw
    page.get_by_label("Any of these, condition 1: style").select_option("editorial")
    page.get_by_role("button", name="Add to “any of these”").click()
    page.get_by_label("Any of these, condition 2: field").select_option("style_tags")
    page.get_by_label("Any of these, condition 2: style").select_option("fashion")
    expect(count).to_have_text("2")
    expect(page.get_by_text("Photographers in Berlin · editorial or fashion")).to_be_visible()
    expect(page.get_by_role("heading", name="Ada Frame")).to_be_visible()
    expect(page.get_by_role("heading", name="Cleo Light")).to_have_count(0)
    shot(page, "searches-builder")

    # Removing a row puts the focus on the previous row's remove button, or on the add button.
    page.get_by_role("button", name="Add to “all of these”").click()
    expect(page.get_by_label("All of these, condition 2: field")).to_be_focused()
    page.get_by_role("button", name="Add to “all of these”").click()
    expect(page.get_by_label("All of these, condition 3: field")).to_be_focused()
    page.get_by_role("button", name="Remove condition 3 from all of these").click()
    expect(page.get_by_role("button", name="Remove condition 2 from all of these")).to_be_focused()
    page.get_by_role("button", name="Remove condition 2 from all of these").click()
    expect(page.get_by_role("button", name="Remove condition 1 from all of these")).to_be_focused()
    page.get_by_role("button", name="Add to “any of these”").click()
    expect(page.get_by_label("Any of these, condition 3: field")).to_be_focused()
    page.get_by_role("button", name="Remove condition 3 from any of these").click()
    expect(page.get_by_role("button", name="Remove condition 2 from any of these")).to_be_focused()
    expect(count).to_have_text("2")

    # A rate limit in "all of these" narrows it again; a half-typed number keeps the last matches.
    page.get_by_role("button", name="Add to “all of these”").click()
    page.get_by_label("All of these, condition 2: field").select_option("rate_cents")
    page.get_by_label("All of these, condition 2: operator").select_option("lte")
    rate = page.get_by_label("All of these, condition 2: hourly rate")
    rate.fill("20000")
    expect(page.get_by_text("Hourly rate must be between $0 and $10,000.")).to_be_visible()
    expect(count).to_have_text("2")  # the last good results stay
    expect(page.get_by_role("heading", name="Ada Frame")).to_be_visible()
    expect(rate).to_be_focused()
    shot(page, "searches-builder-hint")
    rate.fill("200")
    expect(count).to_have_text("1")
    expect(page.get_by_text("Hourly rate must be between")).to_have_count(0)

    page.get_by_label("Name (optional)").fill("Berlin editorial crew")
    page.get_by_role("button", name="Save this search").click()
    expect(page.get_by_text("Search saved.")).to_be_visible()
    expect(page.get_by_role("button", name="Save this search")).to_be_focused()
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

    card.get_by_text("Pause alerts for Berlin editorial crew").click()
    day = frozen_today + timedelta(days=12)
    date_input = card.get_by_label("Or pick a date")
    assert date_input.get_attribute("min") == frozen_today.isoformat()
    assert date_input.get_attribute("max") == (frozen_today + timedelta(days=366)).isoformat()
    date_input.fill(day.isoformat())
    card.get_by_role("button", name="Pause until this date").click()
    expect(card.get_by_text(f"Alerts paused until {day.day} {day:%b %Y}")).to_be_visible()
    expect(messages).to_have_text(f"Alerts paused until {day.day} {day:%b %Y}.")
    expect(card.get_by_role("button", name="Resume alerts for Berlin editorial crew")).to_be_focused()
    shot(page, "searches-paused")

    card.get_by_role("button", name="Resume alerts for Berlin editorial crew").click()
    expect(card.get_by_text("Alerts on")).to_be_visible()
    expect(card.get_by_text("Pause alerts for Berlin editorial crew")).to_be_focused()
    focused(page)
    shot(page, "searches-resumed")

    # Deleting asks first, in the row's place: Cancel brings the row back, Delete removes it.
    card = page.locator(".search-list > li").first
    card.get_by_role("link", name="Delete Berlin editorial crew").click()
    expect(card.get_by_text("Delete “Berlin editorial crew”? Its alerts stop.")).to_be_visible()
    expect(card.get_by_role("button", name="Delete")).to_be_focused()
    shot(page, "searches-delete-question")
    card.get_by_role("link", name="Cancel").click()
    expect(card.get_by_role("link", name="Delete Berlin editorial crew")).to_be_focused()
    card.get_by_role("link", name="Delete Berlin editorial crew").click()
    confirm = card.get_by_role("button", name="Delete")
    expect(confirm).to_be_focused()
    box = confirm.bounding_box()
    pointer = {"x": box["x"] + box["width"] / 2, "y": box["y"] + box["height"] / 2}
    confirm.click()
    expect(messages).to_have_text("Deleted “Berlin editorial crew”.")
    expect(card.get_by_text("“Berlin editorial crew” is deleted")).to_be_focused()
    # Under the pointer that pressed Delete is still that search's place, not another row.
    under = page.evaluate("p => document.elementFromPoint(p.x, p.y).closest('li')?.className", pointer)
    assert under == "card search-card search-card--deleted"
    page.reload()
    expect(page.get_by_text("Berlin editorial crew")).to_have_count(0)


def test_deleting_a_search_without_javascript_asks_on_a_page_of_its_own(browser, live_server, make_user, auth,
                                                                         db_conn):
    user = make_user(name="Noa Plain", city="berlin")
    context, page, errors = _watched_page(browser, live_server, java_script_enabled=False,
                                          viewport={"width": 1280, "height": 900})
    try:
        log_in(page, user["email"], user["password"])
        page.goto("/people?city=berlin&all_field=verified&all_op=is&all_value=true")
        page.get_by_label("Name (optional)").fill("Checked crew")
        page.get_by_role("button", name="Save this search").click()
        page.wait_for_url("**/searches")
        expect(page.get_by_text("Search saved.")).to_be_visible()

        page.get_by_role("link", name="Delete Checked crew").click()
        page.wait_for_url("**/searches/*/delete")
        expect(page.get_by_role("heading", name="Delete “Checked crew”?")).to_be_visible()
        shot(page, "searches-delete-page")
        page.get_by_role("link", name="Cancel").click()
        page.wait_for_url("**/searches#search-*")
        expect(page.get_by_role("heading", name="Checked crew")).to_be_visible()

        page.get_by_role("link", name="Delete Checked crew").click()
        page.get_by_role("button", name="Delete").click()
        page.wait_for_url("**/searches")
        expect(page.get_by_text("Deleted “Checked crew”.")).to_be_visible()
        expect(page.get_by_role("heading", name="Checked crew")).to_have_count(0)
    finally:
        context.close()
    assert not errors, f"the page reported errors: {errors}"


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
