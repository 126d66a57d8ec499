"""Saving, listing, editing, deleting, pausing and resuming saved searches."""
import json
import re
from datetime import date, timedelta

import pytest

from tests.conftest import page_text
from tests.directory.helpers import HX, chosen, visible

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


def test_saving_from_htmx_flashes_the_outcome_and_links_to_the_list(auth, signed_in):
    signed_in()
    body = page_text(save(auth, SPEC_QUERY, headers=HX))
    next_step, out_of_band = body.split("<template>")
    assert '<a href="/searches">See your saved searches</a>' in next_step and "Search saved" not in next_step
    assert '<div hx-swap-oob="innerHTML:#messages"><p class="message message--success">Search saved.' in out_of_band


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
    assert 'name="all_value" value="200"' in page and chosen(page, "any-0-value") == "editorial"
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


def test_delete_removes_the_search_and_says_so_through_a_flash(auth, client, signed_in, db_conn):
    user = signed_in()
    save(auth, SPEC_QUERY, name="Gone soon")
    [(search_id, *_)] = stored(db_conn, user["user_id"])
    response = auth.post(f"/searches/{search_id}/delete", page="/searches")
    assert response.status_code == 303 and response.headers["Location"] == "/searches"
    assert stored(db_conn, user["user_id"]) == []
    assert "Deleted “Gone soon”." in visible(client.get("/searches"))


def test_an_htmx_delete_keeps_the_rows_place_and_carries_the_message_out_of_band(auth, signed_in, db_conn):
    user = signed_in()
    save(auth, SPEC_QUERY, name="Gone soon")
    [(search_id, *_)] = stored(db_conn, user["user_id"])
    response = auth.post(f"/searches/{search_id}/delete", page="/searches", headers=HX)
    body = page_text(response)
    assert response.status_code == 200 and stored(db_conn, user["user_id"]) == []
    assert body.lstrip().startswith(f'<li class="card search-card search-card--deleted" id="search-{search_id}">')
    assert ('<template><div hx-swap-oob="innerHTML:#messages"><p class="message message--success">'
            'Deleted “Gone soon”.</p>') in body
    assert "hx-swap-oob" not in body.split("<template>")[0]  # no hand-written out-of-band message


def test_the_delete_control_leads_to_a_question_not_a_delete(client, auth, signed_in, db_conn):
    user = signed_in()
    save(auth, SPEC_QUERY, name="Crew")
    [(search_id, *_)] = stored(db_conn, user["user_id"])
    body = page_text(client.get("/searches"))
    assert f'href="/searches/{search_id}/delete"' in body and "hx-confirm" not in body


def test_the_delete_question_is_a_page_of_its_own_without_javascript(client, auth, signed_in, db_conn):
    user = signed_in()
    save(auth, SPEC_QUERY, name="Crew")
    [(search_id, *_)] = stored(db_conn, user["user_id"])
    response = client.get(f"/searches/{search_id}/delete")
    body = page_text(response)
    assert response.status_code == 200 and "<html" in body
    assert "<h1>Delete “Crew”?</h1>" in body
    assert f'<form method="post" action="/searches/{search_id}/delete"' in body
    assert f'href="/searches#search-{search_id}">Cancel</a>' in body
    assert len(stored(db_conn, user["user_id"])) == 1  # asking deletes nothing


def test_the_delete_question_takes_the_rows_place_for_htmx(client, auth, signed_in, db_conn):
    user = signed_in()
    save(auth, SPEC_QUERY, name="Crew")
    [(search_id, *_)] = stored(db_conn, user["user_id"])
    body = page_text(client.get(f"/searches/{search_id}/delete", headers=HX))
    assert body.lstrip().startswith(f'<li class="card search-card search-card--question" id="search-{search_id}"')
    assert "<html" not in body and "Delete “Crew”?" in body
    assert re.search(r'<button type="submit"[^>]*autofocus>Delete</button>', body)


def test_cancelling_the_question_brings_the_row_back_with_its_delete_control_focused(client, auth, signed_in,
                                                                                   db_conn):
    user = signed_in()
    save(auth, SPEC_QUERY, name="Crew")
    [(search_id, *_)] = stored(db_conn, user["user_id"])
    body = page_text(client.get(f"/searches?kept={search_id}", headers=HX))
    assert re.search(rf'<a id="delete-{search_id}"[^>]*autofocus>', body)


def test_the_pause_date_picker_runs_from_today_to_the_longest_pause(client, auth, signed_in, db_conn,
                                                                    frozen_today):
    from webapp.searches.service import MAX_PAUSE_DAYS

    user = signed_in()
    save(auth, SPEC_QUERY)
    [(search_id, *_)] = stored(db_conn, user["user_id"])
    last = frozen_today + timedelta(days=MAX_PAUSE_DAYS)
    date_input = re.search(rf'<input [^>]*id="pause-{search_id}"[^>]*>', page_text(client.get("/searches"))).group(0)
    assert f'min="{frozen_today.isoformat()}"' in date_input and f'max="{last.isoformat()}"' in date_input
    assert 'type="date"' in date_input


def test_a_pause_past_the_longest_says_the_limit_and_the_last_day(auth, signed_in, db_conn, frozen_today):
    from webapp.searches.service import MAX_PAUSE_DAYS

    user = signed_in()
    save(auth, SPEC_QUERY)
    [(search_id, *_)] = stored(db_conn, user["user_id"])
    too_far = frozen_today + timedelta(days=MAX_PAUSE_DAYS + 1)
    response = auth.post(f"/searches/{search_id}/pause", {"until": too_far.isoformat()}, page="/searches", headers=HX)
    last = frozen_today + timedelta(days=MAX_PAUSE_DAYS)
    assert response.status_code == 422
    assert f"A pause lasts at most {MAX_PAUSE_DAYS} days: choose {last:%-d %b %Y} or an earlier date." in page_text(
        response)
    date_input = re.search(rf'<input [^>]*id="pause-{search_id}"[^>]*>', page_text(response)).group(0)
    assert " autofocus " in date_input and 'aria-invalid="true"' in date_input  # the focus goes back to the date


def test_pausing_puts_the_focus_on_resume_and_resuming_on_pause(auth, signed_in, db_conn):
    user = signed_in()
    save(auth, SPEC_QUERY)
    [(search_id, *_)] = stored(db_conn, user["user_id"])
    paused = page_text(auth.post(f"/searches/{search_id}/pause", {"quick": "week"}, page="/searches", headers=HX))
    assert re.search(rf'<button type="submit" id="resume-{search_id}"[^>]*autofocus>Resume alerts', paused)
    assert "Alerts paused until" in paused.split("<template>")[1]  # the message, flashed
    resumed = page_text(auth.post(f"/searches/{search_id}/resume", page="/searches", headers=HX))
    assert re.search(rf'<summary id="pause-toggle-{search_id}"[^>]*autofocus>Pause alerts', resumed)
    assert "Alerts resumed." in resumed.split("<template>")[1]


def test_the_email_toggle_keeps_the_focus_on_the_toggle(auth, signed_in, db_conn):
    user = signed_in()
    save(auth, SPEC_QUERY)
    [(search_id, *_)] = stored(db_conn, user["user_id"])
    body = page_text(auth.post(f"/searches/{search_id}/email", {"email": "off"}, page="/searches", headers=HX))
    assert re.search(rf'<button type="submit" name="email" value="on" id="email-{search_id}"[^>]*autofocus>', body)


def test_the_list_itself_focuses_nothing(client, auth, signed_in):
    signed_in()
    save(auth, SPEC_QUERY)
    assert "autofocus" not in page_text(client.get("/searches"))


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
    message = f"{yesterday:%-d %b %Y} is in the past: choose {frozen_today:%-d %b %Y} or a later date."
    assert message in visible(response)
    assert stored(db_conn, user["user_id"])[0][5] is None


def test_a_date_that_is_not_a_date_is_refused(auth, signed_in, db_conn):
    user = signed_in()
    save(auth, SPEC_QUERY)
    [(search_id, *_)] = stored(db_conn, user["user_id"])
    response = auth.post(f"/searches/{search_id}/pause", {"until": "soon"}, page="/searches", headers=HX)
    assert response.status_code == 422 and "“soon” is not a date: use the date picker" in page_text(response)


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
    ("get", "/searches/{id}/delete", None),
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
