"""E-mail alerts on or off: the user's default for new searches (/settings) and each search's own
switch (its row on /searches), htmx and plain forms alike, CSRF on."""
from __future__ import annotations

import pytest

from tests.conftest import page_text
from tests.searches.test_saved_searches import SPEC_QUERY, save

HX = {"HX-Request": "true"}


def email_alerts(db_conn, user_id: str) -> list[bool]:
    return [r[0] for r in db_conn.execute("select email_alerts from saved_search where user_id = %s"
                                          " order by created_at", (user_id,))]


def search_id_of(db_conn, user_id: str) -> str:
    return db_conn.execute("select search_id from saved_search where user_id = %s", (user_id,)).fetchone()[0]


def test_settings_offers_the_default_for_new_searches(signed_in, client):
    signed_in()
    page = page_text(client.get("/settings"))
    assert "E-mail me alerts for new saved searches" in page


@pytest.mark.parametrize("default", [True, False])
def test_a_new_search_starts_with_the_user_s_default(default, signed_in, auth, db_conn):
    user = signed_in(email_alerts=default)
    save(auth, SPEC_QUERY)
    assert email_alerts(db_conn, user["user_id"]) == [default]


def test_changing_the_default_leaves_existing_searches_as_they_are(signed_in, auth, db_conn):
    user = signed_in()
    save(auth, SPEC_QUERY)
    auth.post("/settings", {"display_name": "Bea", "email_alerts": ""}, page="/settings")
    save(auth, {"all": [{"field": "role_tags", "op": "has", "value": "model"}], "any": []})
    assert email_alerts(db_conn, user["user_id"]) == [True, False]


def test_each_row_shows_its_e_mail_state_and_a_button_to_change_it(signed_in, auth, client):
    signed_in()
    save(auth, SPEC_QUERY, name="Crew")
    page = page_text(client.get("/searches"))
    assert "E-mails on" in page and "Turn e-mails off" in page


def test_the_row_button_turns_e_mail_off_and_on_with_htmx(signed_in, auth, db_conn):
    user = signed_in()
    save(auth, SPEC_QUERY, name="Crew")
    search_id = search_id_of(db_conn, user["user_id"])
    off = auth.post(f"/searches/{search_id}/email", {"email": "off"}, page="/searches", headers=HX)
    assert off.status_code == 200
    row = page_text(off)
    assert row.startswith("<li") and "E-mails off" in row and "Turn e-mails on" in row
    assert email_alerts(db_conn, user["user_id"]) == [False]
    auth.post(f"/searches/{search_id}/email", {"email": "on"}, page="/searches", headers=HX)
    assert email_alerts(db_conn, user["user_id"]) == [True]


def test_the_row_button_works_without_javascript(signed_in, auth, client, db_conn):
    user = signed_in()
    save(auth, SPEC_QUERY, name="Crew")
    search_id = search_id_of(db_conn, user["user_id"])
    response = auth.post(f"/searches/{search_id}/email", {"email": "off"}, page="/searches")
    assert response.status_code == 303 and response.headers["Location"] == "/searches"
    assert "E-mail alerts off for this search" in page_text(client.get("/searches"))
    assert email_alerts(db_conn, user["user_id"]) == [False]


def test_a_choice_other_than_on_or_off_is_refused(signed_in, auth, db_conn):
    user = signed_in()
    save(auth, SPEC_QUERY)
    search_id = search_id_of(db_conn, user["user_id"])
    response = auth.post(f"/searches/{search_id}/email", {"email": "maybe"}, page="/searches")
    assert response.status_code == 400
    assert email_alerts(db_conn, user["user_id"]) == [True]


def test_someone_else_s_search_is_not_found(signed_in, auth, make_user, db_conn, client):
    owner = make_user()
    db_conn.execute("insert into saved_search (search_id, user_id, scope, query_json, city)"
                    " values ('ssv_theirs', %s, 'people', '{\"all\": [], \"any\": []}', 'berlin')",
                    (owner["user_id"],))
    signed_in()
    response = auth.post("/searches/ssv_theirs/email", {"email": "off"}, page="/searches")
    assert response.status_code == 404
    assert email_alerts(db_conn, owner["user_id"]) == [True]


def test_without_the_csrf_token_nothing_changes(signed_in, auth, client, db_conn):
    user = signed_in()
    save(auth, SPEC_QUERY)
    search_id = search_id_of(db_conn, user["user_id"])
    assert client.post(f"/searches/{search_id}/email", data={"email": "off"}).status_code == 400
    assert email_alerts(db_conn, user["user_id"]) == [True]
