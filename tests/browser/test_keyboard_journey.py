"""The main journey with the keyboard alone: log in, build and save a search, pause its alerts, follow
someone, reveal a sensitive picture. Only Tab, Shift+Tab, Enter, Space and typing (a native select
takes type-ahead, as it does for any keyboard user); never a click. After each action the focus is on
the control used or on what replaced it."""
import pytest
from playwright.sync_api import expect

from tests.directory.conftest import make_profile  # noqa: F401  (fixture)
from tests.feed import factories as feed

pytestmark = pytest.mark.browser

# Long enough to cross the header and a builder row; short enough to fail fast when a control is unreachable.
MOST_TABS = 60

FOCUSED_NAME = """() => {
  const el = document.activeElement;
  const by = el.getAttribute('aria-labelledby');
  if (by) return by.split(' ').map(id => document.getElementById(id)?.textContent || '').join(' ').trim();
  const label = el.getAttribute('aria-label') || (el.labels && el.labels[0]) || el;
  if (typeof label === 'string') return label;
  const copy = label.cloneNode(true);  // its text as read out: without what is hidden from assistive technology
  copy.querySelectorAll('[aria-hidden=true]').forEach(e => e.remove());
  return copy.textContent.replace(/\\s+/g, ' ').trim();
}"""


def tab_to(page, name: str) -> None:
    """Press Tab until the control named `name` has the focus (as a keyboard user moves through a page)."""
    seen = []
    for _ in range(MOST_TABS):
        page.keyboard.press("Tab")
        seen.append(page.evaluate(FOCUSED_NAME))
        if seen[-1] == name:
            return
    raise AssertionError(f"{name!r} was not reached with Tab; passed {seen}")


def focus_is(page, name: str) -> None:
    expect(page.locator(":focus")).to_have_accessible_name(name)


@pytest.fixture
def world(make_profile, make_user, db_conn):  # noqa: F811
    make_profile("Ada Frame", roles=("photographer",), styles=("editorial",), rate_cents=15000)
    make_profile("Ben Shutter", roles=("photographer",), styles=("fashion",), rate_cents=22000)
    make_profile("Dora Face", roles=("makeup-artist",), styles=("beauty",), rate_cents=8000)
    author = make_user("provider", name="Sol Studio")
    feed.make_profile(db_conn, author)
    feed.sensitive_post(db_conn, author["user_id"], band=1, title="Boudoir set", minutes_ago=1,
                        secret="/media/scene/boudoir.svg?label=Revealed")
    return make_user(name="Kai Keys", city="berlin", sensitive_opt_in=True)


def test_a_keyboard_alone_builds_saves_pauses_follows_and_reveals(page, world):
    page.goto("/login")
    tab_to(page, "E-mail")
    page.keyboard.type(world["email"])
    page.keyboard.press("Tab")
    page.keyboard.type(world["password"])
    page.keyboard.press("Enter")
    page.wait_for_url("**/")

    # Build: one condition, its value chosen from the catalogue's roles.
    page.goto("/people")
    expect(page.locator("#match-count")).to_have_text("4")  # Sol Studio, the post's author, is in Berlin too
    tab_to(page, "Add to “all of these”")
    page.keyboard.press("Enter")
    focus_is(page, "All of these, condition 1: field")
    tab_to(page, "All of these, condition 1: role")
    page.keyboard.type("Photographer")
    expect(page.locator("#match-count")).to_have_text("3")
    expect(page.locator("#messages")).to_have_text("3 people match")

    # Save it under a name.
    tab_to(page, "Name (optional)")
    page.keyboard.type("Berlin photographers")
    page.keyboard.press("Tab")
    focus_is(page, "Save this search")
    page.keyboard.press("Enter")
    expect(page.locator("#messages")).to_contain_text("Search saved.")
    focus_is(page, "Save this search")

    # Pause its alerts for a week.
    page.goto("/searches")
    tab_to(page, "Pause alerts for Berlin photographers")
    page.keyboard.press("Enter")  # opens the pause choices
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_contain_text("For a week")
    page.keyboard.press("Enter")
    expect(page.locator("#messages")).to_contain_text("Alerts paused until")
    focus_is(page, "Resume alerts for Berlin photographers")

    # Follow someone from their card: Space presses the button, the focus stays on it.
    page.goto("/people")
    tab_to(page, "Follow Ada Frame")
    page.keyboard.press("Space")
    expect(page.locator("#messages")).to_have_text("You follow Ada Frame.")
    focus_is(page, "Following Ada Frame, unfollow")

    # Reveal a blurred picture (opted in on /settings): the picture takes the focus.
    page.goto("/feed")
    tab_to(page, "Reveal sensitive picture: Boudoir set picture")
    page.keyboard.press("Enter")
    focus_is(page, "Revealed sensitive picture: Boudoir set picture")
