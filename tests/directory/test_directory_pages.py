"""The people and studios directories: filters in the URL, the builder, the live results."""
import re
from datetime import UTC, datetime

import pytest

from tests.conftest import page_text
from tests.directory.helpers import HX, chosen, url, visible
from webapp.core.taxonomy import AMENITY_TAGS, CITIES, LANGUAGES, ROLE_TAGS, STYLE_TAGS


def test_the_directory_needs_a_login(client):
    response = client.get("/people")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_people_in_the_city_are_listed_with_their_card(client, signed_in, make_profile):
    signed_in()
    make_profile("Ada Frame", roles=("photographer",), styles=("editorial",), rate_cents=15000, verified=True)
    make_profile("Bo Paris", city="paris")
    text = visible(client.get(url()))
    assert "Ada Frame" in text and "Bo Paris" not in text
    assert "Verified" in text and "$150/h" in text and "Editorial" in text
    assert "1 person matches" in text


def test_the_card_photo_is_a_generated_avatar(client, signed_in, make_profile):
    signed_in()
    user_id = make_profile("Ada Frame")
    assert f"/media/avatar/{user_id}.svg?name=Ada+Frame" in page_text(client.get(url()))


def test_a_card_name_leads_to_the_profile_page(client, signed_in, make_profile, make_studio):
    signed_in()
    user_id = make_profile("Ada Frame")
    studio_id = make_studio("Studio Nord")
    assert f'href="/people/{user_id}"' in page_text(client.get(url()))
    assert f'href="/studios/{studio_id}"' in page_text(client.get("/studios?city=berlin"))
    assert "Ada Frame" in page_text(client.get(f"/people/{user_id}"))


def test_all_conditions_must_all_hold(client, signed_in, make_profile):
    signed_in()
    make_profile("Cheap Photographer", roles=("photographer",), rate_cents=9000)
    make_profile("Dear Photographer", roles=("photographer",), rate_cents=30000)
    make_profile("Cheap Model", roles=("model",), rate_cents=9000)
    text = page_text(client.get(url(all=[("role_tags", "has", "photographer"), ("rate_cents", "lte", "100")])))
    assert "Cheap Photographer" in text
    assert "Dear Photographer" not in text and "Cheap Model" not in text


def test_any_conditions_need_one_to_hold(client, signed_in, make_profile):
    signed_in()
    make_profile("Editorial Eve", styles=("editorial",))
    make_profile("Fashion Fay", styles=("fashion",))
    make_profile("Wedding Will", styles=("wedding",))
    text = page_text(client.get(url(any=[("style_tags", "has", "editorial"), ("style_tags", "has", "fashion")])))
    assert "Editorial Eve" in text and "Fashion Fay" in text and "Wedding Will" not in text
    assert "People in Berlin · editorial or fashion" in text


def test_htmx_gets_only_the_live_count_and_matches(client, signed_in, make_profile):
    signed_in()
    make_profile("Ada Frame")
    response = client.get(url(all=[("role_tags", "has", "photographer")]), headers=HX)
    body = page_text(response)
    assert response.status_code == 200
    assert body.lstrip().startswith('<section id="results"') and "<html" not in body
    assert "1 person matches" in visible(response)
    assert "HX-Request" in response.headers["Vary"]


def test_a_plain_get_of_a_pushed_url_is_the_whole_page(client, signed_in, make_profile):
    signed_in()
    response = client.get(url(all=[("role_tags", "has", "model")]))
    body = page_text(response)
    assert "<html" in body and 'id="search-form"' in body
    assert chosen(body, "all-0-value") == "model"  # the builder is back as it was


def test_adding_a_row_without_javascript_lands_on_a_clean_url(client, signed_in):
    signed_in()
    response = client.get(url(add="any"))
    assert response.status_code == 303
    location = response.headers["Location"]
    assert "add=" not in location and "any_field=role_tags" in location
    assert "Any of these, condition 1: field" in page_text(client.get(location))


def test_removing_a_row_without_javascript(client, signed_in):
    signed_in()
    response = client.get(url(all=[("role_tags", "has", "model"), ("verified", "is", "true")], remove="all-0"))
    location = response.headers["Location"]
    assert "role_tags" not in location and "verified" in location


def test_the_builder_partial_redraws_rows_and_refreshes_results_out_of_band(client, signed_in, make_profile):
    signed_in()
    make_profile("Ada Frame")
    response = client.get(url("/people/builder", all=[("role_tags", "has", "photographer")], add="all"), headers=HX)
    body = page_text(response)
    assert 'id="builder"' in body and 'hx-swap-oob="true"' in body
    assert "All of these, condition 2: field" in body
    assert response.headers["HX-Push-Url"].startswith("/people?city=berlin")
    assert "add=" not in response.headers["HX-Push-Url"]


def test_changing_a_rows_field_fits_the_operator_and_value_to_it(client, signed_in):
    signed_in()
    # The row was "role_tags has model"; the person switched its field to the hourly rate.
    body = page_text(client.get(url("/people/builder", all=[("rate_cents", "has", "model")]), headers=HX))
    assert 'name="all_op"' in body and '<option value="lte" selected>' in body
    assert 'inputmode="decimal" name="all_value" value=""' in body


def test_a_boolean_row_is_a_yes_no_choice(client, signed_in):
    signed_in()
    body = page_text(client.get(url(all=[("verified", "is", "false")])))
    assert '<option value="false" selected>No</option>' in body


def test_a_tag_value_is_chosen_from_the_catalogues_values(client, signed_in):
    signed_in()
    body = page_text(client.get(url(all=[("style_tags", "has", "")])))
    select = re.search(r'<select id="all-0-value" name="all_value"[^>]*>(.*?)</select>', body, re.S).group(1)
    assert re.findall(r'<option value="([^"]*)"', select) == ["", *STYLE_TAGS]
    assert '<option value="" selected>Choose a style…</option>' in select
    assert 'for="all-0-value">All of these, condition 1: style</label>' in body
    assert "<datalist" not in body


@pytest.mark.parametrize("path, field, label, values", [
    ("/people", "role_tags", "role", ROLE_TAGS),
    ("/people", "languages", "language", LANGUAGES),
    ("/studios", "amenity_tags", "amenity", AMENITY_TAGS),
])
def test_every_closed_value_set_is_a_select_of_its_values(client, signed_in, path, field, label, values):
    signed_in()
    body = page_text(client.get(url(path, any=[(field, "has", "")])))
    select = re.search(r'<select id="any-0-value" name="any_value"[^>]*>(.*?)</select>', body, re.S).group(1)
    assert re.findall(r'<option value="([^"]*)"', select) == ["", *values]
    assert f'for="any-0-value">Any of these, condition 1: {label}</label>' in body


def test_a_label_typed_into_the_url_shows_as_its_tag(client, signed_in):
    signed_in()
    body = page_text(client.get(url(all=[("role_tags", "has", "Makeup artist")])))
    assert chosen(body, "all-0-value") == "makeup-artist"


def test_the_city_is_chosen_from_the_catalogues_cities_by_country(client, signed_in):
    signed_in()
    body = page_text(client.get(url()))
    select = re.search(r'<select id="city" name="city"[^>]*>(.*?)</select>', body, re.S).group(1)
    assert sorted(re.findall(r'<option value="([^"]*)"', select)) == sorted(c.slug for c in CITIES)
    assert '<optgroup label="Germany"><option value="berlin" selected>Berlin</option>' in select


def test_a_number_says_its_unit_and_range(client, signed_in):
    signed_in()
    body = visible(client.get(url(all=[("rate_cents", "lte", "")])))
    assert "$ per hour (0–10,000)" in body


def test_keyset_pages_go_on_from_the_last_card(client, signed_in, make_profile):
    signed_in()
    for i in range(15):
        make_profile(f"Person {i:02d}")
    first = page_text(client.get(url()))
    assert "Person 14" in first and "Person 02" not in first  # newest first, 12 a page
    next_url = first.split('rel="next" href="')[1].split('"')[0]
    second = page_text(client.get(next_url))
    assert "Person 02" in second and "Person 00" in second and "Person 14" not in second
    assert 'rel="next"' not in second


def test_profiles_made_at_the_same_moment_are_paged_without_gaps_or_repeats(client, signed_in, make_profile):
    signed_in()
    moment = datetime(2025, 6, 1, tzinfo=UTC)
    ids = [make_profile(f"Twin {i:02d}", created_at=moment) for i in range(15)]
    first = page_text(client.get(url()))
    second = page_text(client.get(first.split('rel="next" href="')[1].split('"')[0]))
    shown = re.findall(r'href="/people/(usr_\w+)"', first) + re.findall(r'href="/people/(usr_\w+)"', second)
    assert shown == sorted(ids, reverse=True)  # ties: the newest id first, as on every list


def test_studios_filter_by_amenity_and_capacity(client, signed_in, make_studio):
    signed_in()
    make_studio("Cyc Hall", amenities=("cyclorama", "parking"), capacity=20)
    make_studio("Small Cyc", amenities=("cyclorama",), capacity=4)
    make_studio("Loft", amenities=("natural-light",), capacity=30)
    text = page_text(client.get(url("/studios", all=[("amenity_tags", "has", "cyclorama"), ("capacity", "gte", "10")])))
    assert "Cyc Hall" in text and "Small Cyc" not in text and "Loft" not in text
    assert "Studios in Berlin · with cyclorama · room for 10+" in text


def test_the_people_card_leaves_room_for_the_follow_button(client, signed_in, make_profile):
    signed_in()
    make_profile("Ada Frame")
    assert 'class="dir-card__actions"' in page_text(client.get(url()))


def test_two_readers_of_the_same_search_each_see_their_own_follow_state(client, signed_in, make_profile, auth,
                                                                         db_conn):
    ada = make_profile("Ada Frame")
    follower = signed_in()
    db_conn.execute("insert into follow (follower_user_id, target_id, target_kind) values (%s, %s, 'service_profile')",
                    (follower["user_id"], ada))
    assert f'action="/follows/service_profile/{ada}/unfollow"' in page_text(client.get(url()))
    auth.logout()
    signed_in()  # someone else, the same search (its SQL now comes from the per-process cache)
    page = page_text(client.get(url()))
    assert f'action="/follows/service_profile/{ada}"' in page and "/unfollow" not in page


# --- bad input: a 400 with the message in the builder ------------------------

def test_an_unknown_field_is_a_400_with_a_message(client, signed_in):
    signed_in()
    response = client.get(url(all=[("height", "lte", "3")]))
    assert response.status_code == 400
    assert "Unknown field “height” for people" in page_text(response)


def test_an_unknown_operator_is_a_400(client, signed_in):
    signed_in()
    response = client.get(url(all=[("role_tags", "lte", "model")]))
    assert response.status_code == 400 and "can't use the operator “lte”" in page_text(response)


def test_a_wrong_value_in_a_shared_link_is_a_400_with_the_hint_beside_its_row(client, signed_in):
    signed_in()
    response = client.get(url(all=[("rate_cents", "lte", "cheap")]))
    assert response.status_code == 400
    assert '<p class="cond__hint" id="all-0-hint">Hourly rate needs a number, not “cheap”.</p>' in page_text(response)


def test_a_half_typed_number_keeps_the_last_results_and_answers_with_a_hint(client, signed_in, make_profile):
    signed_in()
    make_profile("Ada Frame")
    response = client.get(url(all=[("role_tags", "has", "photographer"), ("rate_cents", "lte", "1e")]), headers=HX)
    assert response.status_code == 200  # not an error: htmx logs nothing, the page keeps its matches
    assert response.headers["HX-Reswap"] == "none" and response.headers["HX-Push-Url"] == "false"
    body = page_text(response)
    assert 'id="results"' not in body and "match" not in body  # the count and the matches stay as they were
    assert '<p class="cond__hint" id="all-1-hint" hx-swap-oob="true">Hourly rate needs a number, not “1e”.</p>' in body
    assert '<p class="cond__hint" id="all-0-hint" hx-swap-oob="true"></p>' in body


def test_an_out_of_range_number_says_the_catalogues_range(client, signed_in):
    signed_in()
    response = client.get(url(all=[("rate_cents", "lte", "20000")]), headers=HX)
    assert response.status_code == 200
    assert "Hourly rate must be between $0 and $10,000." in page_text(response)


def test_good_results_clear_the_rows_hints(client, signed_in):
    signed_in()
    body = page_text(client.get(url(all=[("rate_cents", "lte", "200")]), headers=HX))
    assert 'id="results"' in body and '<p class="cond__hint" id="all-0-hint" hx-swap-oob="true"></p>' in body


def test_the_live_count_is_announced_in_the_status_region_and_the_results_are_not_live(client, signed_in,
                                                                                      make_profile):
    signed_in()
    make_profile("Ada Frame")
    make_profile("Ben Shutter")
    body = page_text(client.get(url(all=[("role_tags", "has", "photographer")]), headers=HX))
    results, out_of_band = body.split("<template>")
    assert '<p class="message message--info">2 people match</p>' in out_of_band
    assert "aria-live" not in results


def test_more_than_twenty_conditions_is_a_400(client, signed_in):
    signed_in()
    response = client.get(url(all=[("role_tags", "has", "model")] * 21))
    assert response.status_code == 400 and "at most 20" in page_text(response)


def test_an_unknown_city_is_a_400(client, signed_in):
    signed_in()
    response = client.get(url(city="atlantis"))
    assert response.status_code == 400 and "Unknown city “atlantis”" in page_text(response)


def test_a_broken_page_link_is_a_400(client, signed_in):
    signed_in()
    response = client.get(url(after="not-a-cursor"))
    assert response.status_code == 400 and "page link is broken" in page_text(response)


def test_a_twenty_first_row_is_refused_in_the_builder(client, signed_in):
    signed_in()
    response = client.get(url("/people/builder", all=[("verified", "is", "true")] * 20, add="any"), headers=HX)
    assert response.status_code == 400 and "at most 20 conditions" in page_text(response)


# --- focus after a builder edit (htmx keeps the rest by stable ids) ------------

def _focused(body: str) -> list[str]:
    return re.findall(r'<(?:select|button)[^>]*\bid="([^"]+)"[^>]*\bautofocus', body)


def test_an_added_row_takes_the_focus_on_its_first_control(client, signed_in):
    signed_in()
    body = page_text(client.get(url("/people/builder", all=[("verified", "is", "true")], add="all"), headers=HX))
    assert _focused(body) == ["all-1-field"]


def test_removing_a_row_focuses_the_previous_rows_remove_button(client, signed_in):
    signed_in()
    rows = [("verified", "is", "true"), ("travels", "is", "true"), ("role_tags", "has", "model")]
    body = page_text(client.get(url("/people/builder", all=rows, remove="all-2"), headers=HX))
    assert _focused(body) == ["all-1-remove"]


def test_removing_the_first_row_focuses_its_groups_add_button(client, signed_in):
    signed_in()
    body = page_text(client.get(url("/people/builder", any=[("verified", "is", "true")], remove="any-0"), headers=HX))
    assert _focused(body) == ["add-any"]


def test_a_whole_page_focuses_nothing(client, signed_in):
    signed_in()
    assert "autofocus" not in page_text(client.get(url(all=[("verified", "is", "true")])))


def test_removing_a_condition_announces_the_new_count(client, signed_in, make_profile):
    signed_in()
    make_profile("Ada Frame", roles=("photographer",))
    make_profile("Mo Del", roles=("model",))
    body = page_text(client.get(url("/people/builder", all=[("role_tags", "has", "model")], remove="all-0"),
                                headers=HX))
    assert '<p class="message message--info">2 people match</p>' in body.split("<template>")[1]
