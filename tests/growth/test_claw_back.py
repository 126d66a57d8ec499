"""Clawing back one award from /growth/users/<id>: each award row not yet clawed back offers "Claw
back" with a required reason; it pays back once, is refused a second time, marks the invite and is
audited. Done, the page is drawn again; refused, htmx answers in place."""
from __future__ import annotations

import re

import pytest

from tests.conftest import page_text
from tests.directory.helpers import visible
from tests.growth.factories import complete_booking, make_invite, make_program

HX = {"HX-Request": "true"}


@pytest.fixture
def gita(signed_in):
    return signed_in("growth", name="Gita Growth")


@pytest.fixture
def paid(app, db_conn, make_user):
    program = make_program(db_conn, fixed=2_000)
    ada, nora = make_user("provider", name="Ada Inviter"), make_user("member", name="Nora Newcomer")
    make_invite(db_conn, program, ada, invitee=nora)
    [award] = complete_booking(app, buyer=nora, provider=make_user("provider"), booking_id="bkg_fraud1")
    return {"ada": ada, "award": award.entry_id}


def page(user) -> str:
    return f"/growth/users/{user['user_id']}"


def claw_back(auth, user, entry_id, reason="Confirmed fraud: a second account.", **kwargs):
    return auth.post(f"{page(user)}/entries/{entry_id}/claw-back", {"reason": reason}, page=page(user), **kwargs)


def clawbacks(db_conn) -> list[tuple]:
    return db_conn.execute("select user_id, amount_cents, related_id from credit_ledger where kind = 'clawback'"
                           ).fetchall()


def test_an_award_row_offers_claw_back_with_a_reason(client, gita, paid):
    html = page_text(client.get(page(paid["ada"])))
    row = re.search(rf'<tr id="entry-{paid["award"]}">.*?</tr>', html, re.S)[0]
    assert "Claw back $20" in row and 'name="reason"' in row and 'name="csrf_token"' in row


def test_clawing_back_pays_back_exactly_the_award_once_and_is_audited(client, auth, gita, paid, db_conn):
    response = claw_back(auth, paid["ada"], paid["award"])
    assert response.status_code == 303 and response.headers["Location"] == f"{page(paid['ada'])}#ledger-heading"
    assert clawbacks(db_conn) == [(paid["ada"]["user_id"], 2_000, paid["award"])]
    assert db_conn.execute("select balance_cents, owed_cents from credit_balance where user_id = %s",
                           (paid["ada"]["user_id"],)).fetchone() == (0, 0)
    assert db_conn.execute("select actor_user_id, action, subject_user_id, amount_cents, reason"
                           " from growth_decision").fetchall() == [
        (gita["user_id"], "clawback", paid["ada"]["user_id"], 2_000, "Confirmed fraud: a second account.")]
    text = visible(client.get(page(paid["ada"])))
    assert "Clawed back $20. Balance $0." in text
    assert "Clawback −$20 Clawed back by the growth team: Confirmed fraud: a second account." in text


def test_the_invite_shows_clawed_back_and_the_award_no_longer_offers_it(client, auth, gita, paid):
    claw_back(auth, paid["ada"], paid["award"])
    html = page_text(client.get(page(paid["ada"])))
    assert re.search(r'Nora Newcomer.*?Clawed back', visible(client.get(page(paid["ada"]))))
    row = re.search(rf'<tr id="entry-{paid["award"]}">.*?</tr>', html, re.S)[0]
    assert "Claw back $20" not in row and "Clawed back" in row


def test_a_second_claw_back_is_refused_with_the_message(client, auth, gita, paid, db_conn):
    claw_back(auth, paid["ada"], paid["award"])
    response = claw_back(auth, paid["ada"], paid["award"], reason="Again")
    assert response.status_code == 303
    assert "This award was already clawed back." in visible(client.get(page(paid["ada"])))
    assert len(clawbacks(db_conn)) == 1
    assert db_conn.execute("select count(*) from growth_decision").fetchone()[0] == 1


def test_with_htmx_a_clawback_redraws_the_page_and_a_refusal_answers_in_place(auth, gita, paid):
    on_the_page = {**HX, "HX-Current-URL": f"http://localhost{page(paid['ada'])}"}
    response = claw_back(auth, paid["ada"], paid["award"], headers=on_the_page)
    assert response.headers["HX-Refresh"] == "true"
    again = claw_back(auth, paid["ada"], paid["award"], reason="Again", headers=HX)
    html = page_text(again)
    assert again.status_code == 409 and html.lstrip().startswith(f'<tr id="entry-{paid["award"]}">')
    assert "This award was already clawed back." in html and "Claw back $20" not in html


def test_a_reason_is_required_and_nothing_changes(auth, gita, paid, db_conn):
    response = claw_back(auth, paid["ada"], paid["award"], reason="  ", headers=HX)
    assert response.status_code == 422
    assert '<p class="field__error" id="claw-reason-' in page_text(response)
    assert "Say why: the decision is kept with its reason." in page_text(response)
    plain = claw_back(auth, paid["ada"], paid["award"], reason="")
    assert plain.status_code == 422 and "Say why" in page_text(plain)
    assert clawbacks(db_conn) == [] and db_conn.execute("select count(*) from growth_decision").fetchone()[0] == 0


def test_an_entry_of_another_user_is_a_404(auth, gita, paid, make_user, db_conn):
    someone = make_user("member", name="Sam Someone")
    assert claw_back(auth, someone, paid["award"]).status_code == 404
    assert claw_back(auth, paid["ada"], "crl_nosuchentry").status_code == 404
    assert clawbacks(db_conn) == []


def test_clawing_back_needs_the_csrf_token(client, gita, paid, db_conn):
    response = client.post(f"{page(paid['ada'])}/entries/{paid['award']}/claw-back", data={"reason": "x"})
    assert response.status_code == 400 and clawbacks(db_conn) == []
