"""The side panel beside the feed and profile pages: people you might follow, your saved searches,
your invite link."""
import json
import re

import pytest

from tests.conftest import page_text
from tests.feed.factories import make_creator, make_profile
from tests.invites.helpers import make_program

HX = {"HX-Request": "true"}


def follow(db_conn, follower: dict, target_id: str, kind: str = "service_profile") -> None:
    db_conn.execute("insert into follow (follower_user_id, target_id, target_kind) values (%s, %s, %s)",
                    (follower["user_id"], target_id, kind))


def part(response, heading_id: str) -> str:
    """The text of one part of the panel (its <section>), as a reader sees it."""
    match = re.search(rf'<section[^>]*aria-labelledby="{heading_id}".*?</section>', page_text(response), re.S)
    assert match, f"no {heading_id} part on the page"
    return match.group(0)


def suggested(client, path: str = "/feed") -> list[str]:
    """The names under "People you might follow", in order."""
    return re.findall(r'<a href="[^"]+">([^<]+)</a>\s*<span class="side-list__meta',
                      part(client.get(path), "side-suggested"))


@pytest.fixture
def popular(make_user, db_conn):
    """Three people with 3, 2 and 1 followers (the followers are other accounts)."""
    people = {}
    for name, followers in (("Ada Most", 3), ("Bo Middle", 2), ("Cy Least", 1)):
        person = make_user("provider", name=name)
        make_profile(db_conn, person)
        for n in range(followers):
            follow(db_conn, make_user(name=f"Fan {n} of {name}"), person["user_id"])
        people[name] = person
    return people


def test_the_most_followed_people_are_suggested_most_followed_first(client, signed_in, popular):
    signed_in()
    assert suggested(client) == ["Ada Most", "Bo Middle", "Cy Least"]


def test_someone_you_follow_is_not_suggested(client, signed_in, popular, db_conn):
    me = signed_in()
    follow(db_conn, me, popular["Ada Most"]["user_id"])
    assert "Ada Most" not in suggested(client)


def test_you_are_not_suggested_to_yourself(client, signed_in, popular, make_user, db_conn):
    me = signed_in("provider", name="Me Myself")
    make_profile(db_conn, me)
    for n in range(5):
        follow(db_conn, make_user(name=f"My fan {n}"), me["user_id"])
    assert "Me Myself" not in suggested(client)


def test_a_followed_creator_is_suggested_with_a_link_to_their_page(client, signed_in, make_user, db_conn):
    signed_in()
    creator_id = make_creator(db_conn, make_user("provider", name="Cleo Creator"))
    follow(db_conn, make_user(name="A fan"), creator_id, "fansub_creator")
    assert f'href="/creators/{creator_id}">Cleo Creator</a>' in part(client.get("/feed"), "side-suggested")


def test_nobody_to_suggest_points_to_the_directory(client, signed_in):
    signed_in()
    assert 'href="/people">Find more people</a>' in part(client.get("/feed"), "side-suggested")


def test_the_panel_is_on_profile_pages_too(client, signed_in, popular):
    signed_in()
    assert suggested(client, f"/people/{popular['Bo Middle']['user_id']}")[0] == "Ada Most"


def test_saved_searches_are_listed_with_links_to_their_matches(client, signed_in, auth):
    signed_in()
    query = {"all": [{"field": "role_tags", "op": "has", "value": "photographer"}], "any": []}
    auth.post("/searches", {"scope": "people", "city": "berlin", "query_json": json.dumps(query),
                            "name": "Berlin shooters"}, page="/searches")
    searches = part(client.get("/feed"), "side-searches")
    link = re.search(r'<a href="([^"]+)">Berlin shooters</a>', searches)
    assert link and link.group(1).startswith("/people?city=berlin")


def test_no_saved_search_says_how_to_make_one(client, signed_in):
    signed_in()
    assert "Build a search</a> and save it" in part(client.get("/feed"), "side-searches")


def test_your_invite_link_is_shown_once_you_have_one(client, signed_in, db_conn):
    signed_in()
    make_program(db_conn, "Friends")
    client.get("/invites")  # the first visit gives the user their code
    code = db_conn.execute("select code from referral_code").fetchone()[0]
    assert f"/r/{code}?s=copy</code>" in part(client.get("/feed"), "side-invite")


def test_without_an_invite_code_the_panel_links_to_invites(client, signed_in, db_conn):
    signed_in()
    make_program(db_conn, "Friends")
    invite = part(client.get("/feed"), "side-invite")
    assert 'href="/invites">Get your invite link</a>' in invite
    assert db_conn.execute("select count(*) from referral_code").fetchone()[0] == 0  # reading wrote nothing


def test_the_feeds_htmx_partials_leave_the_panel_out(client, signed_in):
    signed_in()
    assert 'id="side-panel"' not in client.get("/feed?kind=case_study", headers=HX).get_data(as_text=True)
