"""/invites, top half: a card per program the user may invite under, with the link to share,
its variants, the QR code (inline and as a PNG to download) and the share card."""
import io
import re

import zxingcpp
from PIL import Image

from tests.directory.helpers import visible
from tests.invites.helpers import codes_of, elements, make_program
from webapp.referrals.offers import WHEN_EARNED


def test_one_card_per_active_program_open_to_the_role(signed_in, client, db_conn):
    make_program(db_conn, "Brands bring brands", roles=("member",), days_ago=40)
    make_program(db_conn, "Both sides", roles=("member", "provider"), days_ago=30)
    make_program(db_conn, "Creatives only", roles=("provider",))
    make_program(db_conn, "Last summer", roles=("member",), active=False)
    signed_in("member")
    cards = [h["text"] for h in elements(client.get("/invites"), "h2") if h.get("id", "").startswith("program-")]
    assert cards == ["Brands bring brands", "Both sides"]


def test_nobody_outside_a_program_s_roles_gets_a_card(signed_in, client, db_conn):
    make_program(db_conn, "Creatives only", roles=("provider",))
    signed_in("growth")
    response = client.get("/invites")
    assert "No invite program is open to you right now" in visible(response)
    assert elements(response, "textarea", class_="invite-link__field") == []
    assert elements(response, "dl", class_="invite-stats") == []  # no figures of nothing


def test_the_card_says_the_offer_in_words(signed_in, client, db_conn):
    make_program(db_conn, "Bring a fellow creative", roles=("provider",), kind="provider_invites_provider",
                 fixed_cents=2_500, invitee_cents=2_000)
    signed_in("provider")
    text = visible(client.get("/invites"))
    assert "Give $20, get $25 in service-fee credit" in text
    assert WHEN_EARNED in text


def test_the_link_is_absolute_and_holds_the_user_s_code(signed_in, client, db_conn):
    program_id = make_program(db_conn, "Both sides")
    me = signed_in("member")
    response = client.get("/invites")
    code = codes_of(db_conn, me)[program_id]
    [field] = elements(response, "textarea", id=f"link-{code}")
    assert field["text"] == f"http://localhost/r/{code}?s=copy"


def test_links_use_the_public_address_when_one_is_set(signed_in, client, db_conn, app, monkeypatch):
    program_id = make_program(db_conn, "Both sides")
    me = signed_in("member")
    monkeypatch.setitem(app.config, "PUBLIC_URL", "https://growth.example")
    response = client.get("/invites")
    code = codes_of(db_conn, me)[program_id]
    links = {f["text"] for f in elements(response, "textarea", class_="invite-link__field")}
    assert links == {f"https://growth.example/r/{code}?s={s}" for s in ("copy", "linkinbio", "sharecard")}


def test_the_link_field_is_a_labelled_readonly_field(signed_in, client, db_conn):
    make_program(db_conn, "Both sides")
    signed_in("member")
    response = client.get("/invites")
    [field] = [f for f in elements(response, "textarea", class_="invite-link__field") if f["text"].endswith("?s=copy")]
    assert "readonly" in field
    [label] = elements(response, "label", for_=field["id"])
    assert label["text"] == "Your invite link"


def test_the_copy_and_share_buttons_wait_for_javascript(signed_in, client, db_conn):
    """Without JavaScript neither button could work, so both start hidden (static/js/invites.js shows them)."""
    make_program(db_conn, "Both sides")
    signed_in("member")
    response = client.get("/invites")
    buttons = {b["text"].strip(): b for b in elements(response, "button", class_="invite-link__copy")[:1]}
    buttons.update({b["text"].strip(): b for b in elements(response, "button", class_="invite-share")})
    assert set(buttons) == {"Copy", "Share…"}
    assert all("hidden" in b for b in buttons.values())
    assert re.search(r'src="/static/js/invites\.[0-9a-f]{12}\.js"', response.get_data(as_text=True))  # hashed name


def test_each_card_lists_the_source_tagged_variants(signed_in, client, db_conn):
    program_id = make_program(db_conn, "Both sides")
    me = signed_in("member")
    response = client.get("/invites")
    code = codes_of(db_conn, me)[program_id]
    fields = elements(response, "textarea", class_="invite-link__field")
    variants = {elements(response, "label", for_=f["id"])[0]["text"]: f["text"]
                for f in fields if not f["text"].endswith("?s=copy")}
    assert variants == {"For your bio": f"http://localhost/r/{code}?s=linkinbio",
                        "To post with the share card": f"http://localhost/r/{code}?s=sharecard"}


def test_the_share_button_shares_its_own_source_tag(signed_in, client, db_conn):
    program_id = make_program(db_conn, "Both sides")
    me = signed_in("member")
    [button] = elements(client.get("/invites"), "button", class_="invite-share")
    code = codes_of(db_conn, me)[program_id]
    assert button["data-share-url"] == f"http://localhost/r/{code}?s=share"


def test_the_share_card_is_shown_with_alt_text_and_a_download(signed_in, client, db_conn):
    program_id = make_program(db_conn, "Both sides")
    me = signed_in("member")
    response = client.get("/invites")
    code = codes_of(db_conn, me)[program_id]
    [card] = [i for i in elements(response, "img") if i["src"] == f"/r/{code}/card.png"]
    assert "Both sides" in card["alt"]
    [download] = [a for a in elements(response, "a") if a["href"] == f"/r/{code}/card.png"]
    assert "download" in download and download["text"] == "Download the share card"


def test_the_qr_code_is_inline_svg_with_an_accessible_name(signed_in, client, db_conn):
    make_program(db_conn, "Both sides")
    signed_in("member")
    response = client.get("/invites")
    [svg] = elements(response, "svg", class_="qr")
    assert svg["role"] == "img" and svg["aria-label"] == "QR code of your invite link for Both sides"
    assert [t["text"] for t in elements(response, "title")][-1] == "QR code of your invite link for Both sides"


def test_the_qr_png_download_decodes_to_the_qr_link(signed_in, client, db_conn):
    program_id = make_program(db_conn, "Both sides")
    me = signed_in("member")
    client.get("/invites")
    code = codes_of(db_conn, me)[program_id]
    [link] = [a for a in elements(client.get("/invites"), "a") if a["href"] == f"/invites/{code}/qr.png"]
    assert "download" in link
    response = client.get(link["href"])
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.headers["Content-Disposition"] == f'attachment; filename="invite-qr-{code}.png"'
    [decoded] = zxingcpp.read_barcodes(Image.open(io.BytesIO(response.data)))
    assert decoded.text == f"http://localhost/r/{code}?s=qr"


def test_someone_else_s_qr_code_is_not_found(signed_in, client, db_conn, make_user):
    program_id = make_program(db_conn, "Both sides")
    other = make_user("member")
    db_conn.execute("insert into referral_code (code, user_id, program_id) values ('theyrs2345', %s, %s)",
                    (other["user_id"], program_id))
    signed_in("member")
    assert client.get("/invites/theyrs2345/qr.png").status_code == 404
    assert client.get("/invites/THEYRS2345/qr.png").status_code == 404


def test_a_made_up_or_malformed_qr_code_is_not_found(signed_in, client, db_conn):
    make_program(db_conn, "Both sides")
    signed_in("member")
    client.get("/invites")
    for code in ("abcdefghjk", "short", "x" * 500, "<script>"):
        assert client.get(f"/invites/{code}/qr.png").status_code == 404


def test_the_qr_code_of_a_program_that_closed_is_not_found(signed_in, client, db_conn):
    program_id = make_program(db_conn, "Both sides")
    me = signed_in("member")
    client.get("/invites")
    code = codes_of(db_conn, me)[program_id]
    db_conn.execute("update referral_program set active = false where program_id = %s", (program_id,))
    assert client.get(f"/invites/{code}/qr.png").status_code == 404


def test_the_qr_download_asks_to_log_in(client):
    response = client.get("/invites/abcdefghjk/qr.png")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")

