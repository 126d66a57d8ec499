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
