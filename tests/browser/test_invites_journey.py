"""/invites in Chromium: copy the link, share it where the browser can, read it on a phone."""
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, screenshot
from tests.invites.helpers import codes_of, make_invite, make_program

pytestmark = pytest.mark.browser


def test_copy_puts_the_copy_link_on_the_clipboard_and_says_so(page, live_server, make_user, db_conn):
    program_id = make_program(db_conn, "Both sides")
    me = make_user("member", name="Cora Copy")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    log_in(page, me["email"], me["password"])
    page.goto("/invites")
    code = codes_of(db_conn, me)[program_id]
    expect(page.get_by_label("Your invite link", exact=True)).to_have_value(f"{live_server}/r/{code}?s=copy")
    page.get_by_role("button", name="Copy", exact=True).click()
    expect(page.locator("#invite-announcer")).to_have_text("Link copied")
    assert page.evaluate("document.activeElement.textContent") == "Copied"  # focus stays on the button
    assert page.evaluate("navigator.clipboard.readText()") == f"{live_server}/r/{code}?s=copy"


def test_share_shows_only_where_the_browser_can_share(page, live_server, make_user, db_conn):
    """Chromium on Linux has no navigator.share: the button stays hidden. Given one (a stand-in
    that records what it was asked to share), the button appears and shares the ?s=share link."""
    program_id = make_program(db_conn, "Both sides")
    me = make_user("member")
    log_in(page, me["email"], me["password"])
    page.goto("/invites")
    assert page.evaluate("typeof navigator.share") == "undefined"
    expect(page.get_by_role("button", name="Share…")).to_be_hidden()

    page.add_init_script("navigator.share = (data) => { window.sharedData = data; return Promise.resolve(); };")
    page.goto("/invites")
    page.get_by_role("button", name="Share…").click()
    code = codes_of(db_conn, me)[program_id]
    shared = page.evaluate("window.sharedData")
    assert shared["url"] == f"{live_server}/r/{code}?s=share" and shared["title"] == "Both sides"


def test_the_page_reads_well_on_a_phone(phone_page, make_user, db_conn):
    program_id = make_program(db_conn, "Brands bring brands", fixed_cents=1_500, bips=1_000, invitee_cents=1_500)
    me = make_user("member", name="Phoebe Phone")
    for n in range(25):
        make_invite(db_conn, me, program_id, status="signed_up" if n % 2 else "sent", hint=f"p{n}•••@e•••.com")
    page = phone_page
    log_in(page, me["email"], me["password"])
    page.goto("/invites")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page scrolls sideways on a phone ({width}px wide)"
    code = codes_of(db_conn, me)[program_id]
    field = page.get_by_label("Your invite link", exact=True)
    assert code in field.input_value()
    box = field.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375
    expect(page.get_by_role("img", name="QR code of your invite link for Brands bring brands")).to_be_visible()
    # Show more (htmx) appends the next rows in place.
    expect(page.locator("tr.invite-row")).to_have_count(20)
    page.get_by_role("link", name="Show more").click()
    expect(page.locator("tr.invite-row")).to_have_count(25)
    assert page.url.endswith("/invites")
    screenshot(page, "invites-phone")


def test_invitations_sent_by_e_mail_join_the_history_at_once(page, make_user, db_conn, smtp_server):
    make_program(db_conn, "Both sides")
    me = make_user("member")
    log_in(page, me["email"], me["password"])
    page.goto("/invites")
    expect(page.get_by_text("No invites yet")).to_be_visible()
    page.get_by_label("E-mail addresses").fill("ana@example.com")
    page.get_by_role("button", name="Send invitations").click()
    expect(page.locator("tr.invite-row")).to_have_count(1)
    expect(page.locator("tr.invite-row")).to_contain_text("E-mail")
    expect(page.locator(".invite-stat").first).to_have_text("Invited1")
