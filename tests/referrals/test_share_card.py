"""The share card: the picture link previews show for an invite link (/r/<code>/card.png)."""
from __future__ import annotations

from io import BytesIO

import pytest
from PIL import Image

from webapp.core.ids import new_id
from webapp.referrals import sharecard

CODE = "bcdfghjk23"


@pytest.fixture(autouse=True)
def _no_cards_kept():
    """Each test draws its own cards: the per-process cache must not carry one over."""
    sharecard.cards.clear()
    yield
    sharecard.cards.clear()


@pytest.fixture
def invite_code(db_conn, make_user):
    """A provider's code under an active double-sided program; returns (code, program_id, user)."""

    def make(name: str = "Ada Lovelace", *, active: bool = True, code: str = CODE):
        user = make_user("provider", name=name)
        program_id = new_id("rpr")
        db_conn.execute(
            "insert into referral_program (program_id, name, kind, reward_fixed_cents, invitee_fixed_cents,"
            " credit_scope, active, inviter_roles) values (%s, 'Bring a fellow creative',"
            " 'provider_invites_provider', 2500, 2000, 'buyer_fee_only', %s, '{provider}')", (program_id, active))
        db_conn.execute("insert into referral_code (code, user_id, program_id) values (%s, %s, %s)",
                        (code, user["user_id"], program_id))
        return code, program_id, user

    return make


def card_url(code: str) -> str:
    return f"/r/{code}/card.png"


def picture(response) -> Image.Image:
    image = Image.open(BytesIO(response.get_data()))
    image.load()
    return image


def test_the_card_is_a_1200_by_630_png(client, invite_code):
    code, _, _ = invite_code()
    response = client.get(card_url(code))
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    image = picture(response)
    assert image.format == "PNG"
    assert image.size == (1200, 630)


def test_browsers_and_crawlers_may_keep_the_card_a_day(client, invite_code):
    code, _, _ = invite_code()
    response = client.get(card_url(code))
    assert response.headers["Cache-Control"] == "public, max-age=86400"
    assert response.headers["ETag"]
    assert "Set-Cookie" not in response.headers  # nothing personal: a shared cache may keep it


def test_a_client_holding_the_card_gets_304_and_no_picture(client, invite_code):
    code, _, _ = invite_code()
    etag = client.get(card_url(code)).headers["ETag"]
    response = client.get(card_url(code), headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.get_data() == b""
    assert response.headers["ETag"] == etag
    assert response.headers["Cache-Control"] == "public, max-age=86400"


def test_a_new_program_version_is_a_new_card(client, invite_code, db_conn):
    code, program_id, _ = invite_code()
    before = client.get(card_url(code))
    db_conn.execute("update referral_program set invitee_fixed_cents = 3000, version = version + 1"
                    " where program_id = %s", (program_id,))
    after = client.get(card_url(code), headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    assert after.headers["ETag"] != before.headers["ETag"]
    assert after.get_data() != before.get_data()  # "Give $30, …" now


def test_a_renamed_inviter_gets_a_new_card(client, invite_code, db_conn):
    code, _, user = invite_code("Ada Lovelace")
    before = client.get(card_url(code)).headers["ETag"]
    db_conn.execute("update app_user set display_name = 'Ada King' where user_id = %s", (user["user_id"],))
    assert client.get(card_url(code)).headers["ETag"] != before


def test_the_card_is_drawn_once_and_then_served_from_the_cache(client, invite_code):
    code, _, _ = invite_code()
    first = client.get(card_url(code)).get_data()
    drawn = sharecard.cards.misses
    assert client.get(card_url(code)).get_data() == first
    assert sharecard.cards.misses == drawn  # not drawn again
    assert sharecard.cards.hits >= 1


@pytest.mark.parametrize("name", [
    "Maximiliane Alexandra von Hohenzollern-Sigmaringen de la Cruz y Fernández Lozano",  # 80, the longest allowed
    ("Wolfeschlegelsteinhausenbergerdorff" * 3)[:80],  # one 80-letter word
])
def test_a_very_long_display_name_still_renders(client, invite_code, name):
    assert len(name) == 80
    code, _, _ = invite_code(name)
    response = client.get(card_url(code))
    assert response.status_code == 200
    assert picture(response).size == (1200, 630)


@pytest.mark.parametrize("code", ["zzzzzzzzzz", "not-a-code", "x" * 500])
def test_an_unknown_or_malformed_code_has_no_card(client, code):
    assert client.get(card_url(code)).status_code == 404


def test_a_code_of_an_inactive_program_has_no_card(client, invite_code):
    code, _, _ = invite_code(active=False)
    assert client.get(card_url(code)).status_code == 404


def test_the_card_prints_the_link_without_its_scheme():
    assert sharecard.shown_link("https://growthdesk.example/r/bcdfghjk23?s=sharecard") == \
        "growthdesk.example/r/bcdfghjk23?s=sharecard"


@pytest.mark.parametrize("text", [
    "Maximiliane Alexandra von Hohenzollern-Sigmaringen de la Cruz Fernández",
    "A" * 80,
    "Give $1,000, get $2,500 + 12.5% of their first booking fee in service-fee credit " * 3,
])
def test_long_text_is_fitted_into_its_box(text):
    fitted = sharecard.fit(text, "RobotoBold", range(112, 63, -4), max_width=1500, max_lines=2)
    assert len(fitted.lines) <= 2
    assert all(fitted.font.getlength(line) <= 1500 for line in fitted.lines)


def test_a_long_link_is_broken_across_lines_but_never_shortened():
    link = "invites.a-very-long-host-name-for-a-marketplace.example.com/r/bcdfghjk23?s=sharecard"
    fitted = sharecard.fit(link, "RobotoMedium", range(60, 35, -2), max_width=900, max_lines=1, shorten=False)
    assert "".join(fitted.lines) == link
    assert all(fitted.font.getlength(line) <= 900 for line in fitted.lines)
