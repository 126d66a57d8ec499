"""Profile pages of people, studios and fan-sub creators: who they are, followers, their posts."""
import re

from tests.conftest import page_text
from tests.feed.factories import make_creator, make_post, make_profile, make_studio

HX = {"HX-Request": "true"}


def test_a_persons_page_shows_them_their_followers_and_posts(client, signed_in, make_user, db_conn):
    me = signed_in()
    person = make_user("provider", name="Ada Frame")
    make_profile(db_conn, person, verified=True, headline="Editorial photographer")
    fan = make_user("member")
    db_conn.execute("insert into follow (follower_user_id, target_id, target_kind) values (%s, %s, 'service_profile')",
                    (fan["user_id"], person["user_id"]))
    make_post(db_conn, person["user_id"], title="Ada's shoot")
    make_post(db_conn, person["user_id"], title="Ada's draft", published=False)
    body = page_text(client.get(f"/people/{person['user_id']}"))
    assert "Ada Frame" in body and "Editorial photographer" in body and "✓ Verified" in body
    assert "1 follower" in body and "Follow<span" in body
    assert "Ada's shoot" in body and "Ada's draft" not in body
    assert me["user_id"]


def test_your_own_page_has_no_follow_button(client, signed_in, db_conn):
    me = signed_in("provider", name="Me Myself")
    make_profile(db_conn, me)
    body = page_text(client.get(f"/people/{me['user_id']}"))
    assert "this is you" in body and "Follow<span" not in body


def test_a_creators_page_shows_their_posts_and_follow_toggle(client, signed_in, make_user, db_conn):
    signed_in()
    creator_user = make_user("provider", name="Cleo Creator")
    creator_id = make_creator(db_conn, creator_user)
    make_post(db_conn, creator_user["user_id"], title="Behind the scenes")
    body = page_text(client.get(f"/creators/{creator_id}"))
    assert "Cleo Creator" in body and "Fan-sub creator" in body and "Behind the scenes" in body
    assert f"/follows/fansub_creator/{creator_id}" in body and "0 followers" in body


def test_a_studios_page_shows_the_owners_posts(client, signed_in, make_user, db_conn):
    signed_in()
    owner = make_user("provider", name="Otto Owner")
    make_profile(db_conn, owner)
    studio_id = make_studio(db_conn, owner, name="North Light")
    make_post(db_conn, owner["user_id"], title="Open slot Friday", kind="studio_slot", role_tags=["studio"])
    body = page_text(client.get(f"/studios/{studio_id}"))
    assert "North Light" in body and "Otto Owner" in body and "Open slot Friday" in body
    assert f"/follows/service_profile/{owner['user_id']}" in body


def test_unknown_profiles_are_not_found(client, signed_in):
    signed_in()
    for path in ("/people/usr_nobody", "/creators/fsc_nobody", "/studios/std_nobody"):
        assert client.get(path).status_code == 404


def test_profile_posts_page_with_infinite_scroll(client, signed_in, make_user, db_conn):
    signed_in()
    person = make_user("provider")
    make_profile(db_conn, person)
    for n in range(23):
        make_post(db_conn, person["user_id"], title=f"Post {n:02d}", minutes_ago=n)
    first = client.get(f"/people/{person['user_id']}").get_data(as_text=True)
    link = re.search(r'hx-get="([^"]+)" hx-trigger="revealed"', first).group(1).replace("&amp;", "&")
    partial = page_text(client.get(link, headers=HX))
    assert "<html" not in partial
    assert re.findall(r"Post \d\d", partial) == ["Post 20", "Post 21", "Post 22"]
    assert "Post 20" in page_text(client.get(link))  # the plain link works too


def test_follower_counts_follow_the_toggle(client, signed_in, auth, make_user, db_conn):
    signed_in()
    person = make_user("provider", name="Ada Frame")
    make_profile(db_conn, person)
    page = f"/people/{person['user_id']}"
    response = auth.post(f"/follows/service_profile/{person['user_id']}", {"show_count": "1"}, page=page, headers=HX)
    assert "1 follower" in page_text(response)
    assert "1 follower" in page_text(client.get(page))
