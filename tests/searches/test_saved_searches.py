"""Saving, listing, editing, deleting, pausing and resuming saved searches."""
import json
from datetime import date, timedelta

import pytest

from tests.conftest import page_text
from tests.directory.helpers import HX, visible

SPEC_QUERY = {"all": [{"field": "rate_cents", "op": "lte", "value": 20000},
                      {"field": "role_tags", "op": "has", "value": "photographer"}],
              "any": [{"field": "style_tags", "op": "has", "value": "editorial"},
                      {"field": "style_tags", "op": "has", "value": "fashion"}]}


def save(auth, query, *, scope="people", city="berlin", name="", headers=None):
    return auth.post("/searches", {"scope": scope, "city": city, "query_json": json.dumps(query), "name": name},
                     page="/searches", headers=headers or {})


def stored(db_conn, user_id):
    return db_conn.execute("select search_id, scope, city, query_json, name, paused_until from saved_search"
                           " where user_id = %s order by created_at", (user_id,)).fetchall()


def test_saving_stores_scope_city_and_the_canonical_query(auth, signed_in, db_conn):
    user = signed_in()
    messy = {"any": [{"field": "style_tags", "op": "has", "value": " Fashion"},
                     {"field": "style_tags", "op": "has", "value": "EDITORIAL"}],
             "all": [{"field": "role_tags", "op": "has", "value": "photographer"},
                     {"field": "rate_cents", "op": "lte", "value": 20000},
                     {"field": "role_tags", "op": "has", "value": "Photographer "}]}
    response = save(auth, messy, name="Berlin editorial")
    assert response.status_code == 303 and response.headers["Location"] == "/searches"
    [(search_id, scope, city, query_json, name, paused)] = stored(db_conn, user["user_id"])
    assert search_id.startswith("ssv_")
    assert (scope, city, name, paused) == ("people", "berlin", "Berlin editorial", None)
    assert query_json == SPEC_QUERY


def test_the_list_shows_description_scope_city_count_and_alert_state(client, auth, signed_in, make_profile):
    signed_in()
    make_profile("Ada Frame", roles=("photographer",), styles=("fashion",), rate_cents=15000)
    save(auth, SPEC_QUERY)
    text = visible(client.get("/searches"))
    assert "Photographers in Berlin · editorial or fashion · up to $200/h" in text
    assert "People" in text and "Berlin" in text and "1 person now" in text
    assert "Alerts on" in text and "no alerts yet" in text


def test_a_named_search_shows_its_name_and_description(client, auth, signed_in):
    signed_in()
    save(auth, SPEC_QUERY, name="Shoot crew")
    text = visible(client.get("/searches"))
    assert "Shoot crew" in text and "Photographers in Berlin" in text


def test_saving_the_same_search_again_is_recognised_and_not_stored_twice(auth, signed_in, db_conn):
    user = signed_in()
    save(auth, SPEC_QUERY, name="First")
    reordered = {"all": SPEC_QUERY["all"][::-1], "any": SPEC_QUERY["any"][::-1]}
    response = save(auth, reordered, headers=HX)
    assert response.status_code == 200
    assert "You already have this search saved as “First”. Nothing new was saved." in page_text(response)
    assert len(stored(db_conn, user["user_id"])) == 1


def test_the_same_query_in_another_city_is_a_different_search(auth, signed_in, db_conn):
    user = signed_in()
    save(auth, SPEC_QUERY)
    save(auth, SPEC_QUERY, city="paris")
    assert len(stored(db_conn, user["user_id"])) == 2


def test_saving_from_htmx_answers_with_a_status_line(auth, signed_in):
    signed_in()
    response = save(auth, SPEC_QUERY, headers=HX)
    assert response.status_code == 200 and "Search saved." in page_text(response)


@pytest.mark.parametrize("form, message", [
    ({"scope": "people", "city": "berlin",
      "query_json": json.dumps({"all": [{"field": "height", "op": "lte", "value": 1}]})},
     "Unknown field “height”"),
    ({"scope": "people", "city": "berlin",
      "query_json": json.dumps({"all": [{"field": "role_tags", "op": "gte", "value": "model"}]})},
     "can't use the operator “gte”"),
    ({"scope": "people", "city": "berlin",
      "query_json": json.dumps({"all": [{"field": "rate_cents", "op": "lte", "value": "lots"}]})},
     "needs a whole number"),
    ({"scope": "people", "city": "berlin",
      "query_json": json.dumps({"all": [{"field": "verified", "op": "is", "value": True}] * 21})},
     "Too many conditions"),
    ({"scope": "people", "city": "berlin", "query_json": json.dumps({"all": [], "any": [], "pad": "x" * 9000})},
     "too large"),
    ({"scope": "planets", "city": "berlin", "query_json": "{}"}, "Unknown directory “planets”"),
    ({"scope": "people", "city": "atlantis", "query_json": "{}"}, "Unknown city “atlantis”"),
])
def test_bad_input_is_a_422_with_a_clear_message_and_nothing_is_saved(auth, signed_in, db_conn, form, message):
    user = signed_in()
    response = auth.post("/searches", form, page="/searches", headers=HX)
    assert response.status_code == 422
    assert message in page_text(response)
    assert stored(db_conn, user["user_id"]) == []


def test_bad_input_without_javascript_shows_the_builder_with_the_message(auth, signed_in, db_conn):
    user = signed_in()
    response = auth.post("/searches", {"scope": "people", "city": "berlin", "query_json": json.dumps(
        {"all": [{"field": "rate_cents", "op": "lte", "value": -5}]})}, page="/searches")
    assert response.status_code == 422
    body = page_text(response)
    assert 'id="search-form"' in body and "Hourly rate must be between $0 and $10,000." in body
    assert stored(db_conn, user["user_id"]) == []


def test_a_name_too_long_is_told_beside_the_name_field_with_the_search_still_shown(auth, signed_in, db_conn):
    user = signed_in()
    response = save(auth, SPEC_QUERY, name="x" * 81)
    assert response.status_code == 422
    body = page_text(response)
    assert 'id="search-name-error">Keep the name to 80 characters or fewer.</p>' in body
    assert "Photographers in Berlin · editorial or fashion · up to $200/h" in body  # the matches, to save again
    assert stored(db_conn, user["user_id"]) == []


def test_saving_needs_the_csrf_token(client, signed_in, db_conn):
    user = signed_in()
    response = client.post("/searches", data={"scope": "people", "city": "berlin", "query_json": "{}"})
    assert response.status_code == 400
    assert stored(db_conn, user["user_id"]) == []


def test_edit_reopens_the_builder_on_the_search(client, auth, signed_in, db_conn):
    user = signed_in()
    save(auth, SPEC_QUERY, name="Crew")
    [(search_id, *_)] = stored(db_conn, user["user_id"])
    response = client.get(f"/searches/{search_id}/edit")
    assert response.status_code == 303
    page = page_text(client.get(response.headers["Location"]))
    assert 'name="all_value" value="200"' in page and 'name="any_value" value="editorial"' in page
    assert "Update saved search" in page and 'value="Crew"' in page


def test_updating_a_search_from_the_builder(auth, signed_in, db_conn):
    user = signed_in()
    save(auth, SPEC_QUERY)
    [(search_id, *_)] = stored(db_conn, user["user_id"])
    query = {"all": [{"field": "verified", "op": "is", "value": True}], "any": []}
    response = auth.post(f"/searches/{search_id}", {"city": "paris", "query_json": json.dumps(query), "name": "Paris"},
                         page="/searches")
    assert response.status_code == 303
    [(_, _, city, query_json, name, _)] = stored(db_conn, user["user_id"])
    assert (city, query_json, name) == ("paris", query, "Paris")


def test_updating_into_a_copy_of_another_search_is_refused(auth, signed_in, db_conn):
    user = signed_in()
    save(auth, SPEC_QUERY, name="One")
    save(auth, {"all": [], "any": []}, name="Two")
    two = [r for r in stored(db_conn, user["user_id"]) if r[4] == "Two"][0][0]
    response = auth.post(f"/searches/{two}", {"city": "berlin", "query_json": json.dumps(SPEC_QUERY)},
                         page="/searches", headers=HX)
    assert "already have this search saved as “One”" in page_text(response)
    assert {r[4] for r in stored(db_conn, user["user_id"])} == {"One", "Two"}


def test_delete_removes_the_search(auth, signed_in, db_conn):
    user = signed_in()
    save(auth, SPEC_QUERY, name="Gone soon")
    [(search_id, *_)] = stored(db_conn, user["user_id"])
    response = auth.post(f"/searches/{search_id}/delete", page="/searches", headers=HX)
    assert response.status_code == 200 and "Deleted “Gone soon”." in page_text(response)
    assert stored(db_conn, user["user_id"]) == []


def test_the_delete_button_asks_first(client, auth, signed_in):
    signed_in()
    save(auth, SPEC_QUERY, name="Crew")
    assert 'hx-confirm="Delete Crew? Its alerts stop."' in page_text(client.get("/searches"))


def test_pausing_for_a_week_then_resuming(client, auth, signed_in, db_conn, frozen_today):
    user = signed_in()
    save(auth, SPEC_QUERY)
    [(search_id, *_)] = stored(db_conn, user["user_id"])
    response = auth.post(f"/searches/{search_id}/pause", {"quick": "week"}, page="/searches", headers=HX)
    week = frozen_today + timedelta(days=7)
    assert response.status_code == 200
    assert f"Alerts paused until {week.day} {week:%b %Y}" in visible(response)
    assert stored(db_conn, user["user_id"])[0][5] == week

    response = auth.post(f"/searches/{search_id}/resume", page="/searches", headers=HX)
    assert "Alerts on" in visible(response)
    assert stored(db_conn, user["user_id"])[0][5] is None


def test_pausing_for_a_month_lands_on_the_same_day_next_month():
    from webapp.searches.service import add_months

    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2025, 12, 15), 1) == date(2026, 1, 15)


def test_pausing_until_a_picked_date(auth, signed_in, db_conn, frozen_today):
    user = signed_in()
    save(auth, SPEC_QUERY)
    [(search_id, *_)] = stored(db_conn, user["user_id"])
    day = frozen_today + timedelta(days=10)
    response = auth.post(f"/searches/{search_id}/pause", {"until": day.isoformat()}, page="/searches")
    assert response.status_code == 303
    assert stored(db_conn, user["user_id"])[0][5] == day


def test_a_past_date_is_refused(auth, signed_in, db_conn, frozen_today):
    user = signed_in()
    save(auth, SPEC_QUERY)
    [(search_id, *_)] = stored(db_conn, user["user_id"])
    yesterday = frozen_today - timedelta(days=1)
    response = auth.post(f"/searches/{search_id}/pause", {"until": yesterday.isoformat()}, page="/searches",
                         headers=HX)
    assert response.status_code == 422
    assert "That date is in the past" in page_text(response)
    assert stored(db_conn, user["user_id"])[0][5] is None


def test_a_date_that_is_not_a_date_is_refused(auth, signed_in, db_conn):
    user = signed_in()
    save(auth, SPEC_QUERY)
    [(search_id, *_)] = stored(db_conn, user["user_id"])
    response = auth.post(f"/searches/{search_id}/pause", {"until": "soon"}, page="/searches", headers=HX)
    assert response.status_code == 422 and "isn't valid" in page_text(response)


def test_a_refused_pause_without_javascript_shows_the_list_with_the_message_at_its_search(auth, signed_in,
                                                                                         db_conn):
    user = signed_in()
    save(auth, SPEC_QUERY, name="Crew")
    [(search_id, *_)] = stored(db_conn, user["user_id"])
    response = auth.post(f"/searches/{search_id}/pause", {"until": ""}, page="/searches")
    assert response.status_code == 422
    body = page_text(response)
    assert "<html" in body and "Crew" in body
    assert f'id="pause-{search_id}-error">Choose the date alerts should pause until.</p>' in body
    assert stored(db_conn, user["user_id"])[0][5] is None


def test_the_list_shows_the_last_alert_date(client, auth, signed_in, db_conn):
    user = signed_in()
    save(auth, SPEC_QUERY)
    db_conn.execute("update saved_search set last_alert_dt = '2025-03-04' where user_id = %s", (user["user_id"],))
    assert "last alert on 4 Mar 2025" in visible(client.get("/searches"))


def test_an_empty_list_says_how_to_start(client, signed_in):
    signed_in()
    assert "No saved searches yet" in visible(client.get("/searches"))


# --- someone else's search: 404 on every route -------------------------------

@pytest.fixture
def others_search(make_user, db_conn):
    owner = make_user(email="owner@example.test")
    db_conn.execute("insert into saved_search (search_id, user_id, scope, query_json, city) values"
                    " ('ssv_theirs', %s, 'people', '{\"all\": [], \"any\": []}', 'berlin')", (owner["user_id"],))
    return "ssv_theirs"


@pytest.mark.parametrize("method, path, data", [
    ("get", "/searches/{id}/edit", None),
    ("post", "/searches/{id}", {"city": "berlin", "query_json": "{}"}),
    ("post", "/searches/{id}/delete", {}),
    ("post", "/searches/{id}/pause", {"quick": "week"}),
    ("post", "/searches/{id}/resume", {}),
    ("get", "/people?edit={id}", None),
])
def test_another_users_search_is_a_404_everywhere(client, auth, signed_in, others_search, db_conn, method, path,
                                                   data):
    signed_in()
    target = path.format(id=others_search)
    response = client.get(target) if method == "get" else auth.post(target, data, page="/searches")
    assert response.status_code == 404
    row = db_conn.execute("select paused_until, city from saved_search where search_id = %s",
                          (others_search,)).fetchone()
    assert row == (None, "berlin")


def test_another_users_searches_are_not_listed(client, signed_in, others_search):
    signed_in()
    assert "ssv_theirs" not in page_text(client.get("/searches"))


@pytest.mark.parametrize("path", ["/searches", "/people", "/studios"])
def test_pages_need_a_login(client, path):
    assert client.get(path).status_code == 302


def test_the_list_counts_each_search_by_its_own_scope_city_and_conditions(client, auth, signed_in, make_profile,
                                                                           make_studio):
    signed_in()
    make_profile("Ada Frame", roles=("photographer",))
    make_profile("Bo Lens", roles=("photographer",))
    make_profile("Cy Face", roles=("model",))
    make_profile("Dee Paris", city="paris", roles=("photographer",))
    make_studio("Nord", amenities=("cyclorama",))
    photographers = {"all": [{"field": "role_tags", "op": "has", "value": "photographer"}], "any": []}
    save(auth, photographers, name="Berlin photographers")
    save(auth, photographers, city="paris", name="Paris photographers")
    save(auth, {"all": [{"field": "amenity_tags", "op": "has", "value": "cyclorama"}], "any": []}, scope="studios",
         name="Cyc walls")
    save(auth, {"all": [{"field": "amenity_tags", "op": "has", "value": "kitchen"}], "any": []}, scope="studios",
         name="Kitchens")
    text = visible(client.get("/searches"))
    assert "Berlin photographers" in text and "2 people now" in text
    assert "Paris photographers" in text and "1 person now" in text
    assert "Cyc walls" in text and "1 studio now" in text
    assert "Kitchens" in text and "0 studios now" in text


def test_counts_past_the_cap_say_so(make_profile, app):
    from webapp.directory.catalogue import PEOPLE
    from webapp.directory.query import Condition, Query
    from webapp.searches.queries import match_counts

    for name in ("Ada", "Bo", "Cy"):
        make_profile(name)
    everyone, models = Query(), Query(all=(Condition("role_tags", "has", "model"),))
    with app.app_context():
        assert match_counts([(PEOPLE, "berlin", everyone), (PEOPLE, "berlin", models)], cap=2) == [3, 0]
        assert match_counts([], cap=2) == []
