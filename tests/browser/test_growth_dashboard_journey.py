"""The growth team opens the overview from the menu, narrows it to the last 7 days (tiles and charts
change in place, focus stays on the range, the address follows), opens a chart's table, downloads
its CSV, and follows the top inviter to their credit history. Over real data: invites written by the factories,
the rollups rebuilt from them, the real reporting service (issue 14)."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, screenshot
from tests.growth.factories import make_invite, make_program

pytestmark = pytest.mark.browser


@pytest.fixture
def invites(app, runner, make_user, db_conn, pinned_clock):
    """Today is 18 March 2026. Ada invited three people this week and two a fortnight ago; Ben one,
    three weeks ago."""
    program = make_program(db_conn, name="Bring a friend", created_at=datetime(2026, 1, 2, tzinfo=UTC))
    ada, ben = make_user("provider", name="Ada Inviter"), make_user("member", name="Ben Second")
    this_week, earlier = datetime(2026, 3, 16, 9, tzinfo=UTC), datetime(2026, 3, 4, 9, tzinfo=UTC)
    for n in range(3):
        make_invite(db_conn, program, ada, invitee=make_user("member", name=f"New {n}"),
                    at=this_week + timedelta(hours=n))
    for n in range(2):
        make_invite(db_conn, program, ada, at=earlier + timedelta(hours=n), source="email")
    make_invite(db_conn, program, ben, at=datetime(2026, 2, 25, 9, tzinfo=UTC))
    result = runner.invoke(args=["growth", "rebuild-rollups"])
    assert result.exit_code == 0, result.output
    return {"ada": ada, "program": program}


def test_narrow_the_overview_open_a_table_and_follow_the_top_inviter(page, make_user, invites):
    growth = make_user("growth", name="Gita Growth")
    log_in(page, growth["email"], growth["password"])
    page.locator(".nav-desktop").get_by_role("link", name="Growth").click()
    page.wait_for_url("**/growth")
    expect(page.get_by_role("heading", name="Growth overview")).to_be_visible()
    expect(page.locator("#tile-invites .tile__value")).to_have_text("6")
    expect(page.locator("#tile-signups .tile__value")).to_have_text("3")
    screenshot(page, "growth-overview")

    page.evaluate("window.notReloaded = true")
    date_range = page.get_by_label("Date range")
    date_range.focus()
    date_range.select_option(label="Last 7 days")
    page.wait_for_url("**/growth?range=7d")
    expect(page.locator("#tile-invites .tile__value")).to_have_text("3")
    expect(page.locator("#messages")).to_contain_text("Showing Last 7 days (12 Mar 2026 – 18 Mar 2026): 3 invites")
    expect(page.get_by_label("Date range")).to_be_focused()
    assert page.evaluate("window.notReloaded") is True  # updated in place by htmx, not a new page

    chart = page.locator("#chart-invites_by_program")
    expect(chart.locator("svg[role=img]")).to_have_accessible_name("Invites per week by program")
    chart.get_by_text("Show the table").click()
    table = chart.get_by_role("table")
    expect(table).to_be_visible()
    expect(table.get_by_role("columnheader", name="Bring a friend")).to_be_visible()
    expect(table.get_by_role("row", name="16 Mar 3")).to_be_visible()
    screenshot(page, "growth-overview-7-days")

    with page.expect_download() as download:  # the chart's data, under the view's filters
        chart.get_by_role("link", name="Download CSV of invites per week by program").click()
    assert download.value.suggested_filename == "growth-invites-by-program-2026-03-12-to-2026-03-18.csv"
    rows = Path(download.value.path()).read_text(encoding="utf-8-sig").splitlines()
    assert rows[0].endswith(",Bring a friend") and any(row.endswith(",3") for row in rows[1:])

    page.go_back()
    page.wait_for_url("**/growth")
    expect(page.locator("#tile-invites .tile__value")).to_have_text("6")

    page.get_by_role("table").filter(has_text="Inviter").get_by_role("link", name="Ada Inviter").click()
    page.wait_for_url(f"**/growth/users/{invites['ada']['user_id']}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ada Inviter")


def test_the_overview_at_a_phone_width_keeps_every_chart_and_its_table(phone_page, make_user, invites):
    growth = make_user("growth", name="Gita Growth")
    log_in(phone_page, growth["email"], growth["password"])
    phone_page.goto("/growth?range=quarter")
    expect(phone_page.locator("figure.chart")).to_have_count(8)
    phone_page.locator("#chart-funnel").get_by_text("Show the table").click()
    expect(phone_page.locator("#chart-funnel").get_by_role("table")).to_be_visible()
    screenshot(phone_page, "growth-overview-phone")
