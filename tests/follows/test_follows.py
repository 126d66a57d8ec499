"""Follow and unfollow people and fan-sub creators: htmx toggle or plain form; the Following page."""
import re

from tests.conftest import page_text
from tests.feed.factories import make_creator, make_profile

HX = {"HX-Request": "true"}


def follows(db_conn, user_id):
    return db_conn.execute("select target_id, target_kind from follow where follower_user_id = %s",
                           (user_id,)).fetchall()


def test_following_with_htmx_swaps_the_clicked_control_with_its_button_focused(client, signed_in, auth, make_user,
                                                                              db_conn):
    me = signed_in()
    person = make_user("provider", name="Ada Frame")
    make_profile(db_conn, person)
    response = auth.post(f"/follows/service_profile/{person['user_id']}", {"name": "Ada Frame", "show_count": "1"},
                         headers=HX)
    assert response.status_code == 200
    body = page_text(response)
    control = body[:body.index("<template>")]
    assert control.lstrip().startswith('<div class="follow-toggle"') and "1 follower" in control
    assert re.search(r'<button [^>]*autofocus>Following<span class="visually-hidden"> Ada Frame, unfollow', control)
    assert f"/follows/service_profile/{person['user_id']}/unfollow" in control
    assert follows(db_conn, me["user_id"]) == [(person["user_id"], "service_profile")]


def test_the_follow_answer_updates_every_control_and_count_of_that_person(client, signed_in, auth, make_user,
                                                                          db_conn):
    signed_in()
    person = make_user("provider", name="Ada Frame")
    make_profile(db_conn, person)
    key = f"service_profile:{person['user_id']}"
    # Followed from a post card, which shows no count: the profile head's count on the page changes too.
    body = page_text(auth.post(f"/follows/service_profile/{person['user_id']}", {"name": "Ada Frame"}, headers=HX))
    oob = body[body.index("<template>"):]
    assert f"hx-swap-oob=\"outerHTML:form.follow-toggle__form[data-follows='{key}']\"" in oob
    assert "follow-toggle--on" in oob and "autofocus" not in oob
    assert f"""<span hx-swap-oob="innerHTML:[data-follower-count='{key}']">1 follower</span>""" in oob


def test_the_follow_answer_carries_the_message(client, signed_in, auth, make_user, db_conn):
    signed_in()
    person = make_user("provider", name="Hannah Seidel")
    make_profile(db_conn, person)
    body = page_text(auth.post(f"/follows/service_profile/{person['user_id']}", headers=HX))
    assert 'hx-swap-oob="innerHTML:#messages"' in body and "You follow Hannah Seidel." in body
    body = page_text(auth.post(f"/follows/service_profile/{person['user_id']}/unfollow", headers=HX))
    assert "You no longer follow Hannah Seidel." in body


def _followed_long_ago(db_conn, make_user, me, name="Hannah Seidel"):
    person = make_user("provider", name=name)
    make_profile(db_conn, person)
    db_conn.execute("insert into follow (follower_user_id, target_id, target_kind, created_at)"
                    " values (%s, %s, 'service_profile', '2025-03-04T10:00Z')", (me["user_id"], person["user_id"]))
    return person


def test_unfollow_from_the_following_list_without_javascript_asks_first(client, signed_in, auth, make_user, db_conn):
    me = signed_in()
    person = _followed_long_ago(db_conn, make_user, me)
    response = auth.post(f"/follows/service_profile/{person['user_id']}/unfollow",
                         {"listed": "1", "next": "/following"})
    assert response.status_code == 303
    assert follows(db_conn, me["user_id"]) == [(person["user_id"], "service_profile")]  # nothing lost yet
    page = page_text(client.get(response.headers["Location"]))
    assert "Stop following Hannah Seidel?" in page and "Keep following" in page
    response = auth.post(f"/follows/service_profile/{person['user_id']}/unfollow", {"next": "/following"})
    assert response.headers["Location"] == "/following" and follows(db_conn, me["user_id"]) == []
    assert "You no longer follow Hannah Seidel." in page_text(client.get("/following"))


def test_keep_following_on_the_confirm_page_keeps_the_first_date(client, signed_in, auth, make_user, db_conn):
    me = signed_in()
    person = _followed_long_ago(db_conn, make_user, me)
    location = auth.post(f"/follows/service_profile/{person['user_id']}/unfollow",
                         {"listed": "1", "next": "/following"}).headers["Location"]
    assert 'href="/following">Keep following' in page_text(client.get(location))
    assert "following since 4 Mar 2025" in page_text(client.get("/following"))


def test_unfollow_in_the_following_list_with_htmx_keeps_the_row_and_follow_again_shows_the_new_date(
        client, signed_in, auth, make_user, db_conn):
    me = signed_in()
    person = _followed_long_ago(db_conn, make_user, me)
    since = f"following-since-service_profile-{person['user_id']}"
    assert f'<span id="{since}">following since 4 Mar 2025</span>' in page_text(client.get("/following"))
    body = page_text(auth.post(f"/follows/service_profile/{person['user_id']}/unfollow",
                               {"listed": "1", "show_count": "1", "name": "Hannah Seidel"}, headers=HX))
    assert ">Follow again<" in body and f'hx-swap-oob="innerHTML:#{since}">unfollowed</span>' in body
    assert follows(db_conn, me["user_id"]) == []
    body = page_text(auth.post(f"/follows/service_profile/{person['user_id']}",
                               {"listed": "1", "show_count": "1", "name": "Hannah Seidel"}, headers=HX))
    today = db_conn.execute("select to_char(now(), 'FMDD Mon YYYY')").fetchone()[0]
    assert f'hx-swap-oob="innerHTML:#{since}">following since {today}</span>' in body
    assert f"following since {today}" in page_text(client.get("/following"))


def test_the_toggle_works_as_a_plain_form_without_javascript(client, signed_in, auth, make_user, db_conn):
    me = signed_in()
    creator_user = make_user("provider", name="Cleo Creator")
    creator_id = make_creator(db_conn, creator_user)
    response = auth.post(f"/follows/fansub_creator/{creator_id}", {"next": "/feed?kind=touring"})
    assert response.status_code == 303 and response.headers["Location"] == "/feed?kind=touring"
    assert follows(db_conn, me["user_id"]) == [(creator_id, "fansub_creator")]
    assert "You follow Cleo Creator." in page_text(client.get("/feed"))
    response = auth.post(f"/follows/fansub_creator/{creator_id}/unfollow", {"next": "https://evil.example/"})
    assert response.headers["Location"] == f"/creators/{creator_id}"
    assert follows(db_conn, me["user_id"]) == []


def test_following_twice_is_harmless(client, signed_in, auth, make_user, db_conn):
    me = signed_in()
    person = make_user("provider")
    make_profile(db_conn, person)
    for _ in range(2):
        assert auth.post(f"/follows/service_profile/{person['user_id']}", headers=HX).status_code == 200
    assert len(follows(db_conn, me["user_id"])) == 1


def test_an_unknown_target_is_not_found(client, signed_in, auth, make_user):
    signed_in()
    member = make_user("member")  # a user without a profile is not followable
    assert auth.post(f"/follows/service_profile/{member['user_id']}").status_code == 404
    assert auth.post("/follows/fansub_creator/fsc_nope").status_code == 404
    assert auth.post("/follows/studio/std_nope").status_code == 404


def test_following_yourself_is_refused(client, signed_in, auth, db_conn):
    me = signed_in("provider", name="Self Regard")
    make_profile(db_conn, me)
    creator_id = make_creator(db_conn, me)
    for kind, target in (("service_profile", me["user_id"]), ("fansub_creator", creator_id)):
        response = auth.post(f"/follows/{kind}/{target}", headers=HX)
        assert response.status_code == 400
        assert "You can't follow yourself." in page_text(response)
        assert response.headers["HX-Retarget"] == "#messages"
    assert follows(db_conn, me["user_id"]) == []


def test_following_needs_the_csrf_token(client, signed_in, make_user, db_conn):
    me = signed_in()
    person = make_user("provider")
    make_profile(db_conn, person)
    assert client.post(f"/follows/service_profile/{person['user_id']}").status_code == 400
    assert follows(db_conn, me["user_id"]) == []


def test_the_following_page_lists_whom_you_follow_with_unfollow(client, signed_in, auth, make_user, db_conn):
    signed_in()
    person = make_user("provider", name="Ada Frame")
    make_profile(db_conn, person, role_tags=["photographer"])
    creator_user = make_user("provider", name="Cleo Creator")
    creator_id = make_creator(db_conn, creator_user)
    auth.post(f"/follows/service_profile/{person['user_id']}")
    auth.post(f"/follows/fansub_creator/{creator_id}")
    body = page_text(client.get("/following"))
    assert "Ada Frame" in body and "Cleo Creator" in body and "Fan-sub creator" in body
    assert body.count("Following<span") == 2 and "1 follower" in body
    auth.post(f"/follows/service_profile/{person['user_id']}/unfollow", {"next": "/following"})
    body = page_text(client.get("/following"))
    assert "You no longer follow Ada Frame." in body
    assert f'href="/people/{person["user_id"]}"' not in body and "Cleo Creator" in body


def test_the_following_page_when_you_follow_nobody(client, signed_in):
    signed_in()
    assert "You don't follow anyone yet" in page_text(client.get("/following"))


def test_following_needs_a_signed_in_user(client):
    assert client.get("/following").status_code == 302
    assert client.post("/follows/service_profile/usr_x").status_code in (302, 400)


def _follows_people(db_conn, make_user, me, count):
    """`me` follows `count` people named Person 00, 01, …, the lowest number the newest follow."""
    for n in range(count):
        person = make_user("provider", name=f"Person {n:02d}")
        make_profile(db_conn, person)
        db_conn.execute("insert into follow (follower_user_id, target_id, target_kind, created_at)"
                        " values (%s, %s, 'service_profile', now() - make_interval(secs => %s))",
                        (me["user_id"], person["user_id"], n))


def test_the_following_page_shows_fifty_at_a_time_and_then_the_rest(client, signed_in, make_user, db_conn):
    _follows_people(db_conn, make_user, signed_in(), 53)
    first = page_text(client.get("/following"))
    assert "(53)" in first and "Person 00" in first and "Person 49" in first and "Person 50" not in first
    more = re.search(r'href="(/following\?after=[^"]+)"', first).group(1)
    rest = page_text(client.get(more))
    assert "Person 50" in rest and "Person 52" in rest and "Person 49" not in rest and "Show more" not in rest


def test_follows_made_at_the_same_moment_are_paged_without_gaps_or_repeats(client, signed_in, make_user, db_conn):
    me = signed_in()
    ids = []
    for n in range(53):
        person = make_user("provider", name=f"Twin {n:02d}")
        make_profile(db_conn, person)
        ids.append(person["user_id"])
    db_conn.execute("insert into follow (follower_user_id, target_id, target_kind, created_at)"
                    " select %s, unnest(%s::text[]), 'service_profile', '2025-06-01T00:00Z'", (me["user_id"], ids))
    first = page_text(client.get("/following"))
    rest = page_text(client.get(re.search(r'href="(/following\?after=[^"]+)"', first).group(1)))
    shown = re.findall(r'action="/follows/service_profile/(usr_\w+)/unfollow"', first + rest)
    assert shown == sorted(ids, reverse=True)  # ties: the newest id first, as on every list


def test_show_more_with_htmx_returns_just_the_next_rows(client, signed_in, make_user, db_conn):
    _follows_people(db_conn, make_user, signed_in(), 51)
    more = re.search(r'href="(/following\?after=[^"]+)"', page_text(client.get("/following"))).group(1)
    partial = page_text(client.get(more, headers={"HX-Request": "true"}))
    assert partial.lstrip().startswith("<li") and "<html" not in partial and "Person 50" in partial


def test_a_broken_following_page_link_is_a_400(client, signed_in):
    signed_in()
    response = client.get("/following?after=not-a-cursor")
    assert response.status_code == 400 and "That page link is broken" in page_text(response)


def test_the_following_total_counts_only_whom_the_page_lists(client, signed_in, make_user, db_conn):
    me = signed_in()
    _follows_people(db_conn, make_user, me, 2)
    gone = db_conn.execute("select target_id from follow where follower_user_id = %s limit 1",
                           (me["user_id"],)).fetchone()[0]
    db_conn.execute("delete from service_profile where user_id = %s", (gone,))  # the follow row stays
    page = page_text(client.get("/following"))
    assert "(1)" in page and "(2)" not in page
