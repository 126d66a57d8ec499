"""The growth team creates a program, is told what is wrong beside the field, deactivates and
reactivates it in place (htmx, CSRF header and all), and loads more of a program's invites."""
import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.growth.factories import BASE_TIME, make_invite, make_program

pytestmark = pytest.mark.browser


def test_create_refuse_toggle_in_place_and_load_more(page, make_user, db_conn):
    growth = make_user("growth", name="Gita Growth")
    inviter = make_user("provider", name="Ada Inviter")
    busy = make_program(db_conn, name="Busy program")
    for n in range(53):
        make_invite(db_conn, busy, inviter, at=BASE_TIME + timedelta(minutes=n),
                    flags=("signup_burst",) if n == 52 else ())
    log_in(page, growth["email"], growth["password"])
    page.locator(".nav-desktop").get_by_role("link", name="Growth").click()
    page.wait_for_url("**/growth")
    page.get_by_role("navigation", name="Growth team").get_by_role("link", name="Programs").click()
    page.wait_for_url("**/growth/programs")

    page.get_by_role("link", name="New program").click()
    page.get_by_label("Name", exact=True).fill("Studio friends")
    page.get_by_label("Who invites whom").select_option("cross_side")
    page.get_by_label("Inviter's reward: share of the buyer fee, in basis points").fill("0")
    page.get_by_role("button", name="Create program").click()
    expect(page.locator("#reward_bips-error")).to_have_text(
        "Give the inviter a reward: a share of the buyer fee, a fixed amount, or both.")
    page.get_by_label("Inviter's reward: fixed amount, in dollars").fill("12.50")
    page.get_by_role("button", name="Create program").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Studio friends")
    expect(page.get_by_text("Get $12.50 in service-fee credit").first).to_be_visible()

    page.get_by_role("link", name="← Referral programs").click()
    row = page.locator("li.program-card", has_text="Studio friends")
    page.evaluate("window.notReloaded = true")
    row.get_by_role("button", name=re.compile("^Deactivate")).click()
    expect(row.get_by_text("Inactive")).to_be_visible()
    expect(page.locator("#messages")).to_contain_text("“Studio friends” is inactive")
    expect(row.get_by_role("button", name=re.compile("^Activate"))).to_be_focused()  # not back on <body>
    row.get_by_role("button", name=re.compile("^Activate")).click()
    expect(row.get_by_text("Active", exact=True)).to_be_visible()
    expect(row.get_by_role("button", name=re.compile("^Deactivate"))).to_be_focused()
    assert page.evaluate("window.notReloaded") is True  # swapped in place, not a new page
    assert db_conn.execute("select active from referral_program where name = 'Studio friends'").fetchone()[0] is True

    page.locator("li.program-card", has_text="Busy program").get_by_role("link", name=re.compile("^Invites")).click()
    rows = page.locator("tr[id^=invite-]")
    expect(rows).to_have_count(50)
    expect(rows.first.get_by_text("Sign-up burst")).to_be_visible()
    page.get_by_role("link", name="Load more").click()
    expect(rows).to_have_count(53)
    expect(page.get_by_role("link", name="Load more")).to_have_count(0)
