"""The growth team runs referral programs at /growth/programs: list, create, edit, activate, deactivate."""
from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import page_text
from tests.directory.helpers import visible
from tests.growth.factories import BASE_TIME, make_invite, make_program, program_row

HX = {"HX-Request": "true"}
VALID = {"name": "Studio friends", "kind": "cross_side", "reward_bips": "1000", "reward_fixed": "12.50",
         "invitee_fixed": "10", "credit_scope": "buyer_fee_only", "monthly_cap": "3",
         "inviter_roles": ["member", "provider"], "active": "y"}


def programs(db_conn) -> list[dict]:
    return [program_row(db_conn, r[0]) for r in db_conn.execute("select program_id from referral_program")]


# --- the list ------------------------------------------------------------------------------------

def test_the_list_shows_every_program_active_first_then_newest(client, signed_in, db_conn):
    signed_in("growth")
    make_program(db_conn, name="Old active", created_at=BASE_TIME - timedelta(days=30))
    make_program(db_conn, name="New inactive", active=False, created_at=BASE_TIME)
    make_program(db_conn, name="New active", created_at=BASE_TIME - timedelta(days=1))
    text = visible(client.get("/growth/programs"))
    assert text.index("New active") < text.index("Old active") < text.index("New inactive")


def test_each_program_shows_its_terms_in_words_and_its_counts(client, signed_in, make_user, db_conn):
    signed_in("growth")
    program_id = make_program(db_conn, name="Brands bring brands", kind="buyer_invites_buyer", bips=1_000,
                              fixed=1_500, invitee=2_000, cap=4, roles=("member",))
    inviter, invitee = make_user("member"), make_user("member")
    make_invite(db_conn, program_id, inviter)
    make_invite(db_conn, program_id, inviter, invitee=invitee, flags=("signup_burst",))
    text = visible(client.get("/growth/programs"))
    assert "Brands bring brands Active" in text
    assert "Give $20, get $15 + 10% of their first booking fee in service-fee credit" in text
    assert "Buyers invite buyers" in text and "Cap 4 a month" in text and "Invited by: Members (buyers)" in text
    assert "2 invites · 1 signed up · 1 flagged" in text


def test_the_list_links_to_each_program_s_page_and_its_edit_form(client, signed_in, db_conn):
    signed_in("growth")
    program_id = make_program(db_conn)
    body = client.get("/growth/programs").get_data(as_text=True)
    assert f'href="/growth/programs/{program_id}"' in body
    assert f'href="/growth/programs/{program_id}/edit"' in body
    assert 'href="/growth/programs/new"' in body


# --- create --------------------------------------------------------------------------------------

def test_a_valid_program_is_created_with_its_amounts_in_exact_cents(client, signed_in, auth, db_conn):
    signed_in("growth")
    response = auth.post("/growth/programs/new", VALID)
    [program] = programs(db_conn)
    assert response.status_code == 303 and response.headers["Location"] == f"/growth/programs/{program['program_id']}"
    assert program["program_id"].startswith("rpr_")
    assert (program["name"], program["kind"], program["reward_bips"], program["reward_fixed_cents"],
            program["invitee_fixed_cents"], program["monthly_cap"], program["inviter_roles"], program["active"],
            program["version"]) == ("Studio friends", "cross_side", 1000, 1250, 1000, 3, ["member", "provider"],
                                    True, 1)
    assert "Program “Studio friends” created." in page_text(client.get(response.headers["Location"]))


def test_dollars_with_a_sign_and_thousands_separators_are_read_exactly(client, signed_in, auth, db_conn):
    signed_in("growth")
    auth.post("/growth/programs/new", dict(VALID, reward_fixed="$1,234.05", invitee_fixed="0.1"))
    [program] = programs(db_conn)
    assert (program["reward_fixed_cents"], program["invitee_fixed_cents"]) == (123_405, 10)


def test_an_unchecked_active_box_creates_the_program_inactive(client, signed_in, auth, db_conn):
    signed_in("growth")
    auth.post("/growth/programs/new", {k: v for k, v in VALID.items() if k != "active"})
    assert [p["active"] for p in programs(db_conn)] == [False]


def test_the_new_program_form_explains_basis_points_and_the_double_sided_offer(client, signed_in):
    signed_in("growth")
    text = visible(client.get("/growth/programs/new"))
    assert "1,000 bips = 10% of the buyer fee" in text
    assert "A double-sided offer gives the person invited credit too" in text
    assert "The buyer's service fee only" in text and "Providers invite providers" in text


@pytest.mark.parametrize("change, field, message", [
    ({"reward_bips": "10001"}, "reward_bips", "At most 10,000 basis points."),
    ({"reward_bips": "-1"}, "reward_bips", "Can't be negative."),
    ({"reward_fixed": "-5"}, "reward_fixed", "Can't be negative."),
    ({"invitee_fixed": "-0.50"}, "invitee_fixed", "Can't be negative."),
    ({"reward_fixed": "12.345"}, "reward_fixed", "Write an amount in dollars, such as 25 or 12.50."),
    ({"reward_fixed": "1e3"}, "reward_fixed", "Write an amount in dollars, such as 25 or 12.50."),
    ({"monthly_cap": "-1"}, "monthly_cap", "Can't be negative."),
    ({"monthly_cap": "2.5"}, "monthly_cap", "Write a whole number of rewards."),
    ({"reward_bips": "0", "reward_fixed": ""}, "reward_bips",
     "Give the inviter a reward: a share of the buyer fee, a fixed amount, or both."),
    ({"inviter_roles": []}, "inviter_roles", "Choose who may invite: members, providers or both."),
    ({"inviter_roles": ["growth"]}, "inviter_roles", "Choose who may invite: members, providers or both."),
    ({"kind": "provider_invites_provider", "inviter_roles": ["member"]}, "inviter_roles",
     "Under “Providers invite providers” only providers invite."),
    ({"name": "  "}, "name", "Give the program a name the team will recognise."),
    ({"name": "x" * 81}, "name", "Keep the name to 80 characters or fewer (it has 81)."),
    ({"kind": "everyone_invites_everyone"}, "kind", "Choose who invites whom."),
    ({"credit_scope": "cash"}, "credit_scope", "Credit pays the buyer's service fee only: choose that."),
])
def test_each_rule_is_told_beside_its_field_and_nothing_is_saved(change, field, message, client, signed_in, auth,
                                                                 db_conn):
    signed_in("growth")
    response = auth.post("/growth/programs/new", dict(VALID, **change))
    assert response.status_code == 422
    body = page_text(response)
    assert f'<p class="field__error" id="{field}-error">{message}</p>' in body
    assert "The program was not saved" in body
    assert programs(db_conn) == []


def test_a_refused_form_keeps_what_was_typed(client, signed_in, auth):
    signed_in("growth")
    body = page_text(auth.post("/growth/programs/new", dict(VALID, reward_bips="20000", name="Keep me")))
    assert 'value="Keep me"' in body and 'value="12.50"' in body


# --- edit ----------------------------------------------------------------------------------------

def test_the_edit_form_shows_the_program_s_terms(client, signed_in, db_conn):
    signed_in("growth")
    program_id = make_program(db_conn, name="Bring a creative", fixed=2_500, invitee=1_050, bips=250, cap=7)
    body = page_text(client.get(f"/growth/programs/{program_id}/edit"))
    for value in ('value="Bring a creative"', 'value="25.00"', 'value="10.50"', 'value="250"', 'value="7"'):
        assert value in body


def test_an_edit_saves_the_terms_one_version_up(client, signed_in, auth, db_conn, frozen_today):
    signed_in("growth")
    program_id = make_program(db_conn, name="Bring a friend", fixed=2_000)
    response = auth.post(f"/growth/programs/{program_id}/edit", dict(VALID, name="Bring two friends"))
    assert response.status_code == 303 and response.headers["Location"] == f"/growth/programs/{program_id}"
    program = program_row(db_conn, program_id)
    assert (program["name"], program["reward_fixed_cents"], program["version"]) == ("Bring two friends", 1250, 2)
    assert program["updated_at"].date() == frozen_today
    assert "Program saved (version 2)." in page_text(client.get(response.headers["Location"]))
    auth.post(f"/growth/programs/{program_id}/edit", dict(VALID, name="Bring three friends"))
    assert program_row(db_conn, program_id)["version"] == 3


def test_saving_unchanged_terms_keeps_the_version(client, signed_in, auth, db_conn):
    signed_in("growth")
    program_id = make_program(db_conn)
    auth.post(f"/growth/programs/{program_id}/edit", VALID)
    auth.post(f"/growth/programs/{program_id}/edit", dict(VALID, inviter_roles=["provider", "member"]))
    assert program_row(db_conn, program_id)["version"] == 2
    assert "No changes to save." in page_text(client.get(f"/growth/programs/{program_id}"))


def test_a_refused_edit_changes_nothing(client, signed_in, auth, db_conn):
    signed_in("growth")
    program_id = make_program(db_conn, name="Bring a friend")
    before = program_row(db_conn, program_id)
    response = auth.post(f"/growth/programs/{program_id}/edit", dict(VALID, monthly_cap="-3", name="Changed"))
    assert response.status_code == 422 and "Can't be negative." in page_text(response)
    assert program_row(db_conn, program_id) == before


def test_a_program_with_invites_keeps_its_kind(client, signed_in, auth, make_user, db_conn):
    signed_in("growth")
    program_id = make_program(db_conn, kind="cross_side")
    make_invite(db_conn, program_id, make_user("member"))
    form = page_text(client.get(f"/growth/programs/{program_id}/edit"))
    assert "This program has invites, so its kind stays." in form
    assert 'value="buyer_invites_buyer"' not in form
    response = auth.post(f"/growth/programs/{program_id}/edit", dict(VALID, kind="buyer_invites_buyer",
                                                                     inviter_roles=["member"]))
    assert response.status_code == 422
    assert "This program has invites, so its kind stays as it is. Start a new program instead." in page_text(response)
    assert program_row(db_conn, program_id)["kind"] == "cross_side"


def test_a_program_without_invites_may_change_its_kind(client, signed_in, auth, db_conn):
    signed_in("growth")
    program_id = make_program(db_conn, kind="cross_side")
    auth.post(f"/growth/programs/{program_id}/edit", dict(VALID, kind="buyer_invites_buyer", inviter_roles=["member"]))
    assert program_row(db_conn, program_id)["kind"] == "buyer_invites_buyer"


def test_an_unknown_program_is_not_found(client, signed_in, auth):
    signed_in("growth")
    assert client.get("/growth/programs/rpr_nope").status_code == 404
    assert client.get("/growth/programs/rpr_nope/edit").status_code == 404
    assert auth.post("/growth/programs/rpr_nope/edit", VALID).status_code == 404
    assert auth.post("/growth/programs/rpr_nope/active", {"active": "0"}).status_code == 404


# --- activate and deactivate ---------------------------------------------------------------------

def invite_link(db_conn, make_user, program_id: str) -> str:
    inviter = make_user("provider", name="Ada Inviter")
    db_conn.execute("insert into referral_code (code, user_id, program_id) values ('adanvte234', %s, %s)",
                    (inviter["user_id"], program_id))
    return "/r/adanvte234"


def test_deactivating_a_program_stops_its_invite_links_and_activating_brings_them_back(client, signed_in, auth,
                                                                                       make_user, db_conn):
    signed_in("growth")
    program_id = make_program(db_conn, name="Bring a friend")
    link = invite_link(db_conn, make_user, program_id)
    assert client.get(link).status_code == 200
    response = auth.post(f"/growth/programs/{program_id}/active", {"active": "0"})
    assert response.status_code == 303 and response.headers["Location"] == "/growth/programs"
    assert "“Bring a friend” is inactive: its invite links now say they are not valid." in page_text(
        client.get("/growth/programs"))
    assert program_row(db_conn, program_id)["active"] is False
    assert client.get(link).status_code == 404
    auth.post(f"/growth/programs/{program_id}/active", {"active": "1"})
    assert program_row(db_conn, program_id)["active"] is True
    assert client.get(link).status_code == 200


def test_with_htmx_the_toggle_answers_the_program_s_row_and_a_message(client, signed_in, auth, db_conn):
    signed_in("growth")
    program_id = make_program(db_conn, name="Bring a friend")
    response = auth.post(f"/growth/programs/{program_id}/active", {"active": "0"}, headers=HX)
    assert response.status_code == 200
    body = page_text(response)
    assert body.lstrip().startswith(f'<li class="card program-card" id="program-{program_id}"')
    assert "Inactive" in body and '<input type="hidden" name="active" value="1">' in body and ">Activate<" in body
    assert 'hx-swap-oob="innerHTML:#messages"' in body and "“Bring a friend” is inactive" in body
    assert "<html" not in body


def test_the_toggle_on_the_program_s_page_returns_there(client, signed_in, auth, db_conn):
    signed_in("growth")
    program_id = make_program(db_conn)
    page = f"/growth/programs/{program_id}"
    assert f'name="next" value="{page}"' in page_text(client.get(page))
    response = auth.post(f"{page}/active", {"active": "0", "next": page})
    assert response.headers["Location"] == page


def test_deactivating_twice_is_harmless_and_keeps_the_version(client, signed_in, auth, db_conn):
    signed_in("growth")
    program_id = make_program(db_conn)
    for _ in range(2):
        assert auth.post(f"/growth/programs/{program_id}/active", {"active": "0"}).status_code == 303
    program = program_row(db_conn, program_id)
    assert (program["active"], program["version"]) == (False, 1)


def test_the_toggle_needs_a_clear_answer(client, signed_in, auth, db_conn):
    signed_in("growth")
    program_id = make_program(db_conn)
    response = auth.post(f"/growth/programs/{program_id}/active", {"active": "maybe"})
    assert response.status_code == 400 and "Say whether to activate (1) or deactivate (0)" in page_text(response)
    assert program_row(db_conn, program_id)["active"] is True


# --- who may -------------------------------------------------------------------------------------

ROUTES = [("GET", "/growth/programs"), ("GET", "/growth/programs/new"), ("POST", "/growth/programs/new"),
          ("GET", "/growth/programs/{id}"), ("GET", "/growth/programs/{id}/edit"),
          ("POST", "/growth/programs/{id}/edit"), ("POST", "/growth/programs/{id}/active")]


@pytest.mark.parametrize("role", ["member", "provider"])
@pytest.mark.parametrize("method, path", ROUTES)
def test_members_and_providers_are_refused_every_program_route(method, path, role, client, signed_in, auth, db_conn):
    program_id = make_program(db_conn)
    signed_in(role)
    path = path.format(id=program_id)
    response = client.get(path) if method == "GET" else auth.post(path, dict(VALID, active="0"))
    assert response.status_code == 403
    assert "You can't see this page" in page_text(response)
    assert [(p["name"], p["active"], p["version"]) for p in programs(db_conn)] == [("Bring a friend", True, 1)]


# --- the menu --------------------------------------------------------------------------------------

def test_the_growth_menu_item_stays_current_on_the_programs(client, signed_in):
    signed_in("growth")
    body = client.get("/growth/programs").get_data(as_text=True)
    assert '<a href="/growth" aria-current="page">Growth</a>' in body


def test_the_overview_links_to_the_programs(client, signed_in):
    signed_in("growth")
    response = client.get("/growth")
    assert response.status_code == 200
    assert 'href="/growth/programs"' in response.get_data(as_text=True)
