"""Following in Chromium: one click changes every control of that person on the page and their
count, focus stays on the control used, and the Following list never loses a row to a stray click."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import _watched_page, log_in, screenshot
from tests.feed.factories import make_post, make_profile

pytestmark = pytest.mark.browser

FOCUSED = "document.activeElement.textContent"


@pytest.fixture
def hannah(make_user, db_conn):
    person = make_user("provider", name="Hannah Seidel")
    make_profile(db_conn, person, role_tags=["photographer"])
    for n in range(2):
        make_post(db_conn, person["user_id"], title=f"Hannah's shoot {n}", minutes_ago=10 + n)
    return person


def _follows_since_long_ago(db_conn, reader, person):
    db_conn.execute("insert into follow (follower_user_id, target_id, target_kind, created_at)"
                    " values (%s, %s, 'service_profile', '2025-03-04T10:00Z')", (reader["user_id"], person["user_id"]))


def test_following_from_a_post_changes_every_control_and_the_count(page, make_user, db_conn, hannah):
    _follows_since_long_ago(db_conn, make_user("member", name="A Fan"), hannah)  # so the side panel suggests her
    reader = make_user("member", name="Rita Reader")
    log_in(page, reader["email"], reader["password"])
    page.goto(f"/people/{hannah['user_id']}")
    head = page.locator(".profile__head")
    expect(head.get_by_text("1 follower", exact=True)).to_be_visible()
    expect(page.locator("#side-panel li", has_text="Hannah Seidel")).to_contain_text("1 follower")
    second = page.locator("article.post", has_text="Hannah's shoot 1")

    second.get_by_role("button", name="Follow Hannah Seidel").click()
    expect(page.get_by_role("button", name="Following Hannah Seidel, unfollow")).to_have_count(3)
    expect(page.get_by_role("button", name="Follow Hannah Seidel", exact=True)).to_have_count(0)
    expect(head.get_by_text("2 followers")).to_be_visible()
    expect(page.locator("#side-panel li", has_text="Hannah Seidel")).to_contain_text("2 followers")
    expect(page.locator("#messages")).to_have_text("You follow Hannah Seidel.")
    assert page.evaluate(FOCUSED) == "Following Hannah Seidel, unfollow"
    assert page.evaluate("document.activeElement.closest('article') && "
                         "document.activeElement.closest('article').textContent.includes(\"Hannah's shoot 1\")")
    screenshot(page, "follows-every-control")

    head.get_by_role("button", name="Following Hannah Seidel, unfollow").click()
    expect(page.get_by_role("button", name="Follow Hannah Seidel", exact=True)).to_have_count(3)
    expect(head.get_by_text("1 follower", exact=True)).to_be_visible()
    expect(page.locator("#messages")).to_have_text("You no longer follow Hannah Seidel.")
    assert page.evaluate(FOCUSED) == "Follow Hannah Seidel"
    assert page.evaluate("!!document.activeElement.closest('.profile__head')")


def test_a_message_from_an_htmx_answer_fades(page, make_user, hannah):
    reader = make_user("member")
    log_in(page, reader["email"], reader["password"])
    page.goto(f"/people/{hannah['user_id']}")
    page.locator(".profile__head").get_by_role("button", name="Follow Hannah Seidel").click()
    expect(page.locator("#messages .message--success")).to_have_class(re.compile("message--fade"), timeout=9000)


def test_unfollow_in_the_following_list_keeps_the_row_and_follow_again_shows_the_new_date(page, make_user, db_conn,
                                                                                          hannah):
    reader = make_user("member")
    _follows_since_long_ago(db_conn, reader, hannah)
    log_in(page, reader["email"], reader["password"])
    page.goto("/following")
    row = page.locator(".follow-row", has_text="Hannah Seidel")
    expect(row).to_contain_text("following since 4 Mar 2025")

    row.get_by_role("button", name="Following Hannah Seidel, unfollow").click()
    expect(row).to_contain_text("unfollowed")
    expect(row).to_contain_text("0 followers")
    assert page.evaluate(FOCUSED) == "Follow again Hannah Seidel"
    screenshot(page, "follows-unfollowed-row")

    row.get_by_role("button", name="Follow again Hannah Seidel").click()
    today = db_conn.execute("select to_char(now(), 'FMDD Mon YYYY')").fetchone()[0]
    expect(row).to_contain_text(f"following since {today}")
    expect(row).to_contain_text("1 follower")
    assert page.evaluate(FOCUSED) == "Following Hannah Seidel, unfollow"


def test_without_javascript_unfollow_from_the_following_list_asks_first(browser, live_server, make_user, db_conn,
                                                                        hannah):
    reader = make_user("member")
    _follows_since_long_ago(db_conn, reader, hannah)
    context, page, errors = _watched_page(browser, live_server, java_script_enabled=False,
                                          viewport={"width": 1280, "height": 900})
    try:
        log_in(page, reader["email"], reader["password"])
        page.goto("/following")
        page.get_by_role("button", name="Following Hannah Seidel, unfollow").click()
        expect(page.get_by_role("heading", name="Stop following Hannah Seidel?")).to_be_visible()
        screenshot(page, "follows-confirm-unfollow")

        page.get_by_role("link", name="Keep following").click()
        expect(page.locator(".follow-row", has_text="Hannah Seidel")).to_contain_text("following since 4 Mar 2025")

        page.get_by_role("button", name="Following Hannah Seidel, unfollow").click()
        page.get_by_role("button", name="Unfollow Hannah Seidel").click()
        page.wait_for_url("**/following")
        expect(page.locator("#messages")).to_have_text("You no longer follow Hannah Seidel.")
        expect(page.locator(".follow-row")).to_have_count(0)
    finally:
        context.close()
    assert not errors, f"the page reported errors: {errors}"
