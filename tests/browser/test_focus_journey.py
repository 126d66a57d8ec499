"""Focus after an htmx action whose control goes away: it moves to what replaced it, never to <body>."""
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


def test_revoking_a_reader_link_leaves_focus_on_its_row(page, make_user):
    gita = make_user("growth", name="Gita Growth")
    log_in(page, gita["email"], gita["password"])
    page.goto("/growth/readers")
    page.get_by_label("Name").fill("Board review")
    page.get_by_role("button", name="Make the link").click()
    revoke = page.get_by_role("button", name="Revoke Board review")
    expect(revoke).to_be_visible()
    revoke.click()
    row = page.locator("tr", has_text="Board review")
    expect(row).to_contain_text("Revoked")
    expect(row.get_by_role("rowheader", name="Board review")).to_be_focused()


def test_a_claw_back_reloads_the_user_page_with_the_focus_on_its_ledger(page, make_user, db_conn):
    gita = make_user("growth", name="Gita Growth")
    member = make_user(name="Mo Member")
    db_conn.execute("insert into credit_ledger (entry_id, user_id, kind, amount_cents, reason)"
                    " values ('crl_focusaward', %s, 'award', 1500, 'Invite reward')", (member["user_id"],))
    log_in(page, gita["email"], gita["password"])
    page.goto(f"/growth/users/{member['user_id']}")
    page.get_by_text("Claw back the award").click()
    page.locator("#claw-reason-crl_focusaward").fill("Booking refunded")
    page.get_by_role("button", name="Claw back $15").click()
    expect(page.locator("#messages")).to_contain_text("Clawed back $15.")
    page.wait_for_url("**#ledger-heading")
    expect(page.get_by_role("heading", name="Ledger")).to_be_focused()
