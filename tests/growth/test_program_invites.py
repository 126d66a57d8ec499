"""A program's page: its terms and its invites, newest first, with their fraud flags (keyset pages)."""
from __future__ import annotations

import re
from datetime import timedelta

from tests.conftest import page_text
from tests.directory.helpers import visible
from tests.growth.factories import BASE_TIME, make_invite, make_program

HX = {"HX-Request": "true"}


def invite_ids(response) -> list[str]:
    return re.findall(r'<tr id="invite-(rfi_\w+)"', response.get_data(as_text=True))


def test_the_page_shows_the_program_s_terms(client, signed_in, db_conn):
    signed_in("growth")
    program_id = make_program(db_conn, name="Brands bring brands", kind="buyer_invites_buyer", bips=1_000,
                              fixed=1_500, invitee=2_000, cap=4, roles=("member",))
    text = visible(client.get(f"/growth/programs/{program_id}"))
    assert "Brands bring brands Active" in text
    assert "Who invites whom Buyers invite buyers" in text
    assert "Who may invite Members (buyers)" in text
    assert "Inviter's reward $15 + 1,000 bips (10% of the first booking's buyer fee)" in text
    assert "Invitee's welcome credit $20" in text
    assert "Credit pays for The buyer's service fee only" in text
    assert "Monthly cap 4 rewards per inviter" in text


def test_each_invite_shows_who_when_how_its_state_and_its_flags(client, signed_in, make_user, db_conn):
    signed_in("growth")
    program_id = make_program(db_conn)
    inviter = make_user("provider", name="Ada Inviter")
    newcomer = make_user("member", name="Nora Newcomer")
    make_invite(db_conn, program_id, inviter, invitee=newcomer, source="qr", status="held",
                flags=("self_referral", "disposable_email"), ip_sha="a1b2c3d4e5f6a7b8c9d0",
                device="dfp_0011223344556677", at=BASE_TIME)
    make_invite(db_conn, program_id, inviter, hint="j•••@g•••.com", source="email", at=BASE_TIME - timedelta(hours=1))
    make_invite(db_conn, program_id, inviter, source="linkinbio", at=BASE_TIME - timedelta(hours=2))
    response = client.get(f"/growth/programs/{program_id}")
    text = visible(response)
    assert ("Ada Inviter Nora Newcomer 10 Jan 2026, 12:00 QR code Held for review Self-referral Disposable e-mail"
            " ip a1b2c3d4 dev 00112233") in text
    assert "Ada Inviter j•••@g•••.com 10 Jan 2026, 11:00 E-mail Sent None" in text
    assert "Ada Inviter — 10 Jan 2026, 10:00 Link in bio Sent None" in text
    assert "a1b2c3d4e5" not in text  # only the short fingerprint


def test_flagged_only_lists_just_the_invites_a_fraud_rule_flagged(client, signed_in, make_user, db_conn):
    signed_in("growth")
    program_id = make_program(db_conn)
    inviter = make_user("provider")
    flagged = make_invite(db_conn, program_id, inviter, flags=("signup_burst",), at=BASE_TIME)
    make_invite(db_conn, program_id, inviter, at=BASE_TIME + timedelta(minutes=1))
    page = f"/growth/programs/{program_id}"
    assert f'href="{page}?flagged=1"' in client.get(page).get_data(as_text=True)
    assert invite_ids(client.get(f"{page}?flagged=1")) == [flagged]
    assert "Showing flagged invites only" in visible(client.get(f"{page}?flagged=1"))


def test_invites_page_by_keyset_newest_first_with_load_more(client, signed_in, make_user, db_conn):
    signed_in("growth")
    program_id = make_program(db_conn)
    other_program = make_program(db_conn, name="Other")
    inviter = make_user("provider")
    made = [make_invite(db_conn, program_id, inviter, at=BASE_TIME + timedelta(minutes=n)) for n in range(55)]
    make_invite(db_conn, other_program, inviter)
    newest_first = list(reversed(made))
    page = client.get(f"/growth/programs/{program_id}")
    assert invite_ids(page) == newest_first[:50]
    [more] = re.findall(r'<a class="button" href="([^"]+)" hx-get="\1"[^>]*>Load more</a>',
                        page.get_data(as_text=True))
    more = more.replace("&amp;", "&")
    rows = client.get(more, headers=HX)  # htmx: just the next rows, in place of the "Load more" row
    assert invite_ids(rows) == newest_first[50:]
    assert rows.get_data(as_text=True).lstrip().startswith("<tr") and "Load more" not in page_text(rows)
    full = client.get(more)  # without JavaScript the same URL is a whole page
    assert "<html" in full.get_data(as_text=True) and invite_ids(full) == newest_first[50:]


def test_invites_made_in_the_same_moment_are_paged_without_loss(client, signed_in, make_user, db_conn):
    signed_in("growth")
    program_id = make_program(db_conn)
    inviter = make_user("provider")
    made = {make_invite(db_conn, program_id, inviter, at=BASE_TIME) for _ in range(51)}
    first = client.get(f"/growth/programs/{program_id}")
    [more] = re.findall(r'hx-get="([^"]+)"', first.get_data(as_text=True))
    second = client.get(more.replace("&amp;", "&"), headers=HX)
    assert set(invite_ids(first)) | set(invite_ids(second)) == made and len(invite_ids(second)) == 1


def test_a_broken_page_link_is_a_clear_400(client, signed_in, db_conn):
    signed_in("growth")
    program_id = make_program(db_conn)
    response = client.get(f"/growth/programs/{program_id}?after=123.usr_x")
    assert response.status_code == 400
    assert "That page link is broken. Start again from the newest invites." in page_text(response)


def test_a_program_without_invites_says_so(client, signed_in, db_conn):
    signed_in("growth")
    program_id = make_program(db_conn)
    assert "No invites yet" in visible(client.get(f"/growth/programs/{program_id}"))
    assert "No flagged invites" in visible(client.get(f"/growth/programs/{program_id}?flagged=1"))
