"""Directory cards come from a fragment cache keyed by the whole row: never stale, never another reader's."""
import pytest

from tests.conftest import Auth, page_text
from tests.directory.helpers import chosen, url
from webapp.directory.cards import directory_cards


@pytest.fixture
def second(app):
    return Auth(app.test_client())


def test_a_changed_profile_shows_at_once(client, signed_in, make_profile, db_conn):
    signed_in()
    user_id = make_profile("Ada Frame", headline="Old headline", rate_cents=10000)
    assert "Old headline" in page_text(client.get(url()))
    db_conn.execute("update service_profile set display_name = 'Ada Lens', headline = 'New headline',"
                    " rate_cents = 15000, verified = true where user_id = %s", (user_id,))
    text = page_text(client.get(url()))
    assert "Ada Lens" in text and "New headline" in text and "Verified" in text
    assert "Ada Frame" not in text and "Old headline" not in text


def test_each_reader_sees_their_own_follow_state_on_a_shared_card(client, signed_in, make_profile, db_conn, second,
                                                                   make_user):
    target = make_profile("Ada Frame")
    me = signed_in()
    db_conn.execute("insert into follow (follower_user_id, target_id, target_kind) values (%s, %s, 'service_profile')",
                    (me["user_id"], target))
    other = make_user()
    assert second.login(other["email"]).status_code == 303
    for _ in range(2):
        mine = client.get(url()).get_data(as_text=True)
        theirs = second.client.get(url()).get_data(as_text=True)
        assert "Following<span" in mine and f'/follows/service_profile/{target}/unfollow' in mine
        assert "Following<span" not in theirs and "Follow<span" in theirs
        assert f'/follows/service_profile/{target}/unfollow' not in theirs


def test_cards_are_served_from_the_cache_on_the_second_look(client, signed_in, make_profile):
    signed_in()
    for n in range(3):
        make_profile(f"Person {n}")
    first = client.get(url()).get_data(as_text=True)
    hits = directory_cards.hits
    again = client.get(url()).get_data(as_text=True)
    assert directory_cards.hits >= hits + 3
    assert first.count('class="card dir-card"') == again.count('class="card dir-card"') == 3


def test_follow_buttons_carry_each_readers_own_csrf_token(client, signed_in, make_profile, second, make_user):
    import re

    make_profile("Ada Frame")
    signed_in()
    other = make_user()
    assert second.login(other["email"]).status_code == 303
    for c in (client, second.client, client):
        html = c.get(url()).get_data(as_text=True)
        own = re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)
        assert set(re.findall(r'name="csrf_token" value="([^"]*)"', html)) == {own}
        assert "csrf-token-slot" not in html


def test_the_builder_always_shows_the_rows_of_this_search(client, signed_in):
    signed_in()
    first = client.get(url(all=[("role_tags", "has", "photographer")])).get_data(as_text=True)
    second = client.get(url(all=[("role_tags", "has", "stylist")], any=[("travels", "is", "true")]))
    again = client.get(url(all=[("role_tags", "has", "photographer")])).get_data(as_text=True)
    html = second.get_data(as_text=True)
    assert chosen(html, "all-0-value") == "stylist"
    assert 'name="any_field"' in html
    for page in (first, again):
        assert chosen(page, "all-0-value") == "photographer" and 'name="any_field"' not in page
