"""The public invite page, /r/<code>: who invites, the offer, link previews, and a visitor's own state."""
from __future__ import annotations

import html
import re

from bench.common import free_port
from tests.conftest import page_text
from tests.harness.integrity import changed, snapshot
from tests.referrals.signups import browser, log_in, make_code, make_program
from webapp.core import limits
from webapp.referrals import attribution


def meta(response) -> dict[str, str]:
    """The page's <meta property|name=… content=…> tags."""
    found = re.findall(r'<meta (?:property|name)="([^"]+)" content="([^"]*)"', response.get_data(as_text=True))
    return {name: html.unescape(content) for name, content in found}


def invite(make_user, db_conn, *, role: str = "provider", kind: str = "cross_side", active: bool = True, **program):
    inviter = make_user(role, name="Ada Lens")
    code = make_code(db_conn, inviter, make_program(db_conn, kind, active=active, **program))
    return inviter, code


def test_the_page_names_the_inviter_the_welcome_and_what_the_marketplace_is(client, make_user, db_conn):
    _, code = invite(make_user, db_conn, welcome=2_000)
    response = client.get(f"/r/{code}")
    assert response.status_code == 200
    text = page_text(response)
    assert "Ada Lens invites you to Growth desk" in text
    assert "Sign up through this invite and get $20 of credit toward your service fees." in text
    assert "What Growth desk is" in text and "photographers, models" in text


def test_the_page_shows_the_inviter_s_picture_without_naming_their_account(client, make_user, db_conn):
    inviter, code = invite(make_user, db_conn)
    body = client.get(f"/r/{code}").get_data(as_text=True)
    assert f'src="/media/avatar/{code}.svg?name=Ada+Lens"' in body
    assert inviter["user_id"] not in body


def test_a_visitor_is_asked_to_sign_up(client, make_user, db_conn):
    _, code = invite(make_user, db_conn)
    body = client.get(f"/r/{code}").get_data(as_text=True)
    assert '<a class="button button--primary" href="/signup">Sign up</a>' in body


def test_the_invite_says_which_side_it_brings_in(client, make_user, db_conn):
    _, for_buyers = invite(make_user, db_conn, role="provider", kind="cross_side")
    _, for_providers = invite(make_user, db_conn, role="provider", kind="provider_invites_provider")
    assert "Ada Lens invites you to hire" in page_text(client.get(f"/r/{for_buyers}"))
    assert "Ada Lens invites you to offer your services" in page_text(client.get(f"/r/{for_providers}"))


def test_link_previews_get_open_graph_and_twitter_tags_with_full_urls(client, make_user, db_conn):
    _, code = invite(make_user, db_conn, welcome=2_000)
    tags = meta(client.get(f"/r/{code}?s=linkinbio"))
    assert tags["og:type"] == "website"
    assert tags["og:title"] == tags["twitter:title"] == "Ada Lens invites you to Growth desk"
    assert tags["og:description"] == tags["twitter:description"] == (
        "Join the marketplace for creative work and get $20 of credit toward your service fees.")
    assert tags["og:url"] == f"http://localhost/r/{code}"
    assert tags["og:image"] == tags["twitter:image"] == f"http://localhost/r/{code}/card.png?v=1"
    assert (tags["og:image:width"], tags["og:image:height"]) == ("1200", "630")
    assert tags["twitter:card"] == "summary_large_image"


def test_preview_urls_name_the_public_address_when_one_is_set(app, client, make_user, db_conn, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_URL", "https://growthdesk.example")
    _, code = invite(make_user, db_conn)
    tags = meta(client.get(f"/r/{code}", headers={"Host": "attacker.example"}))
    assert tags["og:url"] == f"https://growthdesk.example/r/{code}"
    assert tags["og:image"].startswith(f"https://growthdesk.example/r/{code}/card.png")


def test_the_preview_picture_is_the_share_card(client, make_user, db_conn):
    _, code = invite(make_user, db_conn)
    image = meta(client.get(f"/r/{code}"))["og:image"].removeprefix("http://localhost")
    with client.get(image) as card:
        assert card.status_code == 200 and card.mimetype == "image/png"


def test_an_unknown_code_is_a_clear_404_page(client):
    response = client.get("/r/abcdefghjk")
    assert response.status_code == 404
    assert "This invite link is not valid" in page_text(response)
    assert attribution.COOKIE not in response.headers.get("Set-Cookie", "")


def test_a_code_of_an_inactive_program_is_the_same_404(client, make_user, db_conn):
    _, code = invite(make_user, db_conn, active=False)
    response = client.get(f"/r/{code}")
    assert response.status_code == 404 and "This invite link is not valid" in page_text(response)


def test_a_code_of_a_program_no_longer_open_to_the_inviter_s_role_is_the_same_404(client, make_user, db_conn):
    _, code = invite(make_user, db_conn, role="member", roles=("provider",))
    assert client.get(f"/r/{code}").status_code == 404


def test_a_code_typed_in_capitals_still_opens_the_page(client, make_user, db_conn):
    _, code = invite(make_user, db_conn)
    response = client.get(f"/r/{code.upper()}")
    assert response.status_code == 200 and meta(response)["og:url"] == f"http://localhost/r/{code}"


def test_malformed_or_huge_codes_are_the_404_page_without_asking_the_database(make_app):
    # An app whose database is nowhere: any query would be the 503 page.
    nowhere = make_app({"TESTING": True,
                        "SQLALCHEMY_DATABASE_URI": f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/nowhere"})
    client = nowhere.test_client()
    for code in ("x" * 5_000, "short", "0o1lI0o1lI", "abc-def-gh", "abcdefghjkm"):
        response = client.get(f"/r/{code}")
        assert response.status_code == 404, code
        assert "This invite link is not valid" in page_text(response)
    assert client.get("/r/abcdefghjk").status_code == 503  # a code of the right shape would be looked up


def test_the_inviter_is_told_it_is_their_own_link(app, make_user, db_conn):
    inviter, code = invite(make_user, db_conn)
    own = browser(app, "198.51.100.1")
    log_in(own, inviter)
    response = own.get(f"/r/{code}")
    text = page_text(response)
    assert "This is your own invite link." in text and "Go to your invites" in text
    assert 'href="/signup">Sign up</a>' not in response.get_data(as_text=True)
    assert attribution.COOKIE not in response.headers.get("Set-Cookie", "")


def test_another_member_is_told_they_are_already_a_member(app, make_user, db_conn):
    _, code = invite(make_user, db_conn)
    member = make_user("member", name="Mo Member")
    other = browser(app, "198.51.100.2")
    log_in(other, member)
    response = other.get(f"/r/{code}")
    text = page_text(response)
    assert "You're already a member" in text and "This is your own invite link." not in text
    assert 'href="/signup">Sign up</a>' not in response.get_data(as_text=True)
    assert attribution.COOKIE not in response.headers.get("Set-Cookie", "")


def test_a_visitor_s_browser_may_keep_the_page_briefly_a_member_s_may_not(app, client, make_user, db_conn):
    inviter, code = invite(make_user, db_conn)
    visitor = client.get(f"/r/{code}")
    assert visitor.headers["Cache-Control"] == "private, max-age=300"
    assert {"Cookie", "HX-Request"} <= set(visitor.vary)
    own = browser(app, "198.51.100.1")
    log_in(own, inviter)
    assert own.get(f"/r/{code}").headers["Cache-Control"] == "private, no-store"


def test_a_visitor_gets_the_invite_cookie_and_no_session(client, make_user, db_conn):
    _, code = invite(make_user, db_conn)
    first = client.get(f"/r/{code}")
    assert [c.split("=")[0] for c in first.headers.getlist("Set-Cookie")] == [attribution.COOKIE]
    assert 'name="csrf-token"' not in first.get_data(as_text=True)
    assert client.get(f"/r/{code}").headers.getlist("Set-Cookie") == []  # a second visit sets nothing


def test_visits_write_nothing_to_the_database(app, client, make_user, db_conn):
    inviter, code = invite(make_user, db_conn)
    member = browser(app, "198.51.100.2")
    log_in(member, make_user("member"))
    before = snapshot(db_conn)
    for path in (f"/r/{code}", f"/r/{code}?s=qr", f"/r/{code}?s=nonsense", "/r/abcdefghjk", "/r/!!"):
        client.get(path)
        member.get(path)
        browser(app, "203.0.113.9").get(path)
    assert changed(before, snapshot(db_conn)) == []


def test_the_page_is_rate_limited_per_address(app, make_user, db_conn):
    _, code = invite(make_user, db_conn)
    per_minute = int(limits.INVITE_PAGE.split(" per minute")[0])
    guesser, someone_else = browser(app, "203.0.113.66"), browser(app, "203.0.113.67")
    statuses = [guesser.get(f"/r/{code}").status_code for _ in range(per_minute + 1)]
    assert statuses[:per_minute] == [200] * per_minute and statuses[-1] == 429
    assert guesser.get("/r/abcdefghjk").status_code == 429  # unknown codes count too: no guessing past it
    assert someone_else.get(f"/r/{code}").status_code == 200
