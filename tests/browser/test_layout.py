"""The layout at 1280 px and 375 px: the side panel beside the feed, the footer at the bottom of a
short page, touch targets of at least 44 × 44 px on a phone, headings in order on the directory."""
import itertools

import pytest

from tests.browser.conftest import log_in
from tests.feed.factories import make_post, make_profile, make_studio

pytestmark = pytest.mark.browser

TARGET = 44  # px, both ways (WCAG 2.5.5)
# What a person can tap: links, buttons, form controls and disclosure summaries.
INTERACTIVE = "a[href], button, input:not([type=hidden]), select, textarea, summary"


def too_small(page, scope: str) -> list[tuple[str, int, int]]:
    """Every visible control under `scope` smaller than TARGET either way, with its size."""
    small = []
    for control in page.locator(f":is({scope}) :is({INTERACTIVE})").all():
        box = control.bounding_box()
        if box is None or not control.is_visible():
            continue  # not rendered at this width (the desktop navigation on a phone)
        if box["width"] < TARGET - 0.5 or box["height"] < TARGET - 0.5:
            small.append((control.evaluate("e => e.outerHTML.slice(0, 80)"), round(box["width"]), round(box["height"])))
    return small


def heading_levels(page) -> list[int]:
    """The levels of the page's headings in document order, hidden ones for screen readers included."""
    return page.evaluate("[...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map(h => +h.tagName[1])")


def skipped_levels(levels: list[int]) -> list[tuple[int, int]]:
    """Each (from, to) where the outline goes down more than one level at once."""
    return [(a, b) for a, b in itertools.pairwise(levels) if b > a + 1]


@pytest.fixture
def reader(make_user, db_conn):
    """A member in Berlin, and fourteen people in Berlin (more than a page of cards) who post, each with a follower."""
    for n in range(14):
        person = make_user("provider", name=f"Person {n:02d}", city="berlin")
        make_profile(db_conn, person, headline="Editorial photographer")
        make_post(db_conn, person["user_id"], title=f"Shoot {n}", minutes_ago=n)
        db_conn.execute("insert into follow (follower_user_id, target_id, target_kind) values (%s, %s, %s)",
                        (make_user(name=f"Fan {n}")["user_id"], person["user_id"], "service_profile"))
    make_studio(db_conn, person, name="Light Room")
    return make_user("member", name="Rita Reader", city="berlin")


def test_at_1280_the_side_panel_sits_beside_the_feed_column(page, reader):
    log_in(page, reader["email"], reader["password"])
    page.goto("/feed")
    column = page.locator(".with-panel__main").bounding_box()
    panel = page.get_by_role("heading", name="People you might follow").locator("xpath=ancestor::div[1]").bounding_box()
    assert panel["x"] >= column["x"] + column["width"]  # to its right, not below
    assert abs(panel["y"] - column["y"]) < 2  # their tops aligned


def test_the_footer_touches_the_bottom_of_a_short_page(page, make_user):
    member = make_user("member", name="New Member")
    log_in(page, member["email"], member["password"])
    page.goto("/searches")  # nothing saved yet: a short page
    footer = page.locator(".site-footer").bounding_box()
    assert abs(footer["y"] + footer["height"] - page.viewport_size["height"]) < 1


def test_on_a_phone_every_control_in_the_header_is_44_px_both_ways(phone_page, reader):
    log_in(phone_page, reader["email"], reader["password"])
    phone_page.goto("/people")
    assert too_small(phone_page, ".site-header") == []


def test_on_a_phone_every_link_in_the_open_menu_is_44_px_both_ways(phone_page, reader):
    log_in(phone_page, reader["email"], reader["password"])
    phone_page.goto("/people")
    phone_page.get_by_text("Menu").click()
    assert too_small(phone_page, ".menu nav") == []


def test_on_a_phone_every_control_on_the_people_cards_and_pager_is_44_px_both_ways(phone_page, reader):
    log_in(phone_page, reader["email"], reader["password"])
    phone_page.goto("/people")
    assert phone_page.locator(".dir-card").count() == 12 and phone_page.locator(".pager a").count() == 1
    assert too_small(phone_page, ".dir-card, .pager") == []


def test_the_people_directory_skips_no_heading_level(page, reader):
    log_in(page, reader["email"], reader["password"])
    page.goto("/people")
    levels = heading_levels(page)
    assert levels[:3] == [1, 2, 3] and skipped_levels(levels) == []


def test_the_studio_directory_skips_no_heading_level(page, reader):
    log_in(page, reader["email"], reader["password"])
    page.goto("/studios")
    levels = heading_levels(page)
    assert levels[:3] == [1, 2, 3] and skipped_levels(levels) == []


def test_on_a_phone_the_side_panel_is_not_shown(phone_page, reader):
    log_in(phone_page, reader["email"], reader["password"])
    phone_page.goto("/feed")
    assert not phone_page.get_by_role("heading", name="People you might follow").is_visible()
