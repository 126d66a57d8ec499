"""Sensitive media: band 0 shown, band 1 blurred with no URL until an opted-in reveal, band 2 never served."""
import pytest

from tests.conftest import page_text
from tests.feed.factories import make_creator, make_media, make_post, make_profile, make_studio, sensitive_post

HX = {"HX-Request": "true"}
BAND2_TITLE = "BAND-TWO-TITLE"
BAND2_SECRET = "/media/scene/bandtwo.svg?label=BAND-TWO-PICTURE"
BAND1_SECRET = "/media/scene/bandone.svg?label=BAND-ONE-PICTURE"


@pytest.fixture
def world(make_user, db_conn):
    """A person, a fan-sub creator and a studio owner, each with a band-0, band-1 and band-2 post."""
    person = make_user("provider", name="Pia Person")
    make_profile(db_conn, person)
    creator_user = make_user("provider", name="Cora Creator")
    creator_id = make_creator(db_conn, creator_user)
    owner = make_user("provider", name="Otto Owner")
    make_profile(db_conn, owner)
    studio_id = make_studio(db_conn, owner)
    for n, author in enumerate((person, creator_user, owner)):
        sensitive_post(db_conn, author["user_id"], band=0, title=f"Safe {n}", secret=f"/media/scene/safe{n}.svg",
                       minutes_ago=n * 3)
        sensitive_post(db_conn, author["user_id"], band=1, title=f"Blurred {n}", secret=BAND1_SECRET,
                       minutes_ago=n * 3 + 1)
        sensitive_post(db_conn, author["user_id"], band=2, title=BAND2_TITLE, secret=BAND2_SECRET,
                       minutes_ago=n * 3 + 2)
    return {"person": person, "creator": creator_user, "creator_id": creator_id, "owner": owner,
            "studio_id": studio_id}


def routes_showing_posts(world) -> list[str]:
    return [
        "/feed", "/feed?kind=case_study", "/feed?city=berlin", "/feed?role=photographer", "/feed?following=1",
        f"/people/{world['person']['user_id']}", f"/people/{world['owner']['user_id']}",
        f"/creators/{world['creator_id']}", f"/studios/{world['studio_id']}", "/following", "/",
    ]


def follow_everyone(db_conn, user, world):
    db_conn.execute(
        "insert into follow (follower_user_id, target_id, target_kind) values (%s, %s, 'service_profile'),"
        " (%s, %s, 'fansub_creator'), (%s, %s, 'service_profile')",
        (user["user_id"], world["person"]["user_id"], user["user_id"], world["creator_id"], user["user_id"],
         world["owner"]["user_id"]),
    )


@pytest.mark.parametrize("opted_in", [False, True])
@pytest.mark.parametrize("role", ["member", "provider", "growth"])
def test_band_two_is_in_no_page_or_partial_for_anyone(client, signed_in, db_conn, world, role, opted_in):
    user = signed_in(role, sensitive_opt_in=opted_in)
    follow_everyone(db_conn, user, world)
    for path in routes_showing_posts(world):
        for headers in ({}, HX):
            response = client.get(path, headers=headers)
            assert response.status_code == 200, path
            body = page_text(response)
            assert BAND2_TITLE not in body and "bandtwo" not in body, f"band 2 leaked on {path} {headers}"
    for path in ("/people", "/studios", "/searches", "/notifications"):  # directory cards and the rest
        body = page_text(client.get(path))
        assert BAND2_TITLE not in body and "bandtwo" not in body, f"band 2 leaked on {path}"


def test_band_two_authors_do_not_see_it_in_their_own_lists(client, auth, db_conn, world):
    auth.login(world["person"]["email"])
    for path in ("/feed/mine", f"/people/{world['person']['user_id']}", "/feed"):
        body = page_text(client.get(path))
        assert BAND2_TITLE not in body and "bandtwo" not in body
    assert "marked explicit by the growth team" in page_text(client.get("/feed/mine"))


def test_band_two_media_reveal_and_edit_urls_are_not_found(client, auth, signed_in, db_conn, world):
    feed_id, media_id = db_conn.execute(
        "select p.feed_id, m.media_id from feed_post p join feed_media m using (feed_id)"
        " where p.author_id = %s and p.nsfw_band = 2", (world["person"]["user_id"],)).fetchone()
    signed_in("member", sensitive_opt_in=True)
    assert client.get(f"/feed/{feed_id}/media/0/reveal").status_code == 404
    assert client.get(f"/feed/media/{media_id}").status_code == 404
    auth.logout()
    auth.login(world["person"]["email"])
    assert client.get(f"/feed/{feed_id}/edit").status_code == 404
    assert client.get(f"/feed/media/{media_id}").status_code == 404


def test_band_one_is_blurred_with_a_label_and_no_picture_url(client, signed_in, world):
    signed_in("member", sensitive_opt_in=False)
    body = page_text(client.get("/feed"))
    assert "Blurred 0" in body and "Sensitive media" in body
    assert "bandone" not in body
    assert "Turn on sensitive media in" in body and "/reveal" not in body


def test_band_one_offers_reveal_to_those_who_opted_in_still_without_the_url(client, signed_in, world):
    signed_in("member", sensitive_opt_in=True)
    body = page_text(client.get("/feed"))
    assert "bandone" not in body
    assert "/media/0/reveal" in body and "Reveal" in body


def _band1_post(db_conn, world):
    return db_conn.execute("select p.feed_id, m.media_id from feed_post p join feed_media m using (feed_id)"
                           " where p.author_id = %s and p.nsfw_band = 1", (world["person"]["user_id"],)).fetchone()


def test_the_reveal_url_refuses_users_who_did_not_opt_in(client, signed_in, db_conn, world):
    feed_id, media_id = _band1_post(db_conn, world)
    signed_in("member", sensitive_opt_in=False)
    response = client.get(f"/feed/{feed_id}/media/0/reveal", headers=HX)
    assert response.status_code == 403
    assert "bandone" not in page_text(response)
    assert "Turn on “Let me reveal blurred sensitive media” in Settings" in page_text(response)
    assert client.get(f"/feed/media/{media_id}").status_code == 403


def test_the_reveal_url_needs_a_signed_in_user(client, db_conn, world):
    feed_id, _ = _band1_post(db_conn, world)
    response = client.get(f"/feed/{feed_id}/media/0/reveal")
    assert response.status_code == 302 and "bandone" not in page_text(response)


def test_opted_in_users_reveal_the_picture(client, signed_in, db_conn, world):
    feed_id, media_id = _band1_post(db_conn, world)
    signed_in("member", sensitive_opt_in=True)
    response = client.get(f"/feed/{feed_id}/media/0/reveal", headers=HX)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert body.lstrip().startswith("<figure") and f'src="/feed/media/{media_id}"' in body
    assert response.headers["Cache-Control"] == "private, no-store"
    assert f"/feed/media/{media_id}" in client.get(f"/feed/{feed_id}/media/0/reveal").get_data(as_text=True)
    assert client.get(f"/feed/media/{media_id}").headers["Location"] == BAND1_SECRET


def test_a_revealed_picture_goes_through_the_checked_route_not_its_source(client, signed_in, db_conn, world):
    feed_id, _ = _band1_post(db_conn, world)
    signed_in("member", sensitive_opt_in=True)
    assert "bandone" not in page_text(client.get(f"/feed/{feed_id}/media/0/reveal"))


@pytest.mark.parametrize("source", ["/\\evil.example/x.png", "/dev/outbox", "/logout", "/feed/media/fdm_other"])
def test_a_picture_row_pointing_anywhere_but_our_art_is_never_followed(source, client, signed_in, make_user,
                                                                       db_conn):
    author = make_user("provider")
    feed_id = make_post(db_conn, author["user_id"], title="Imported")
    media_id = make_media(db_conn, feed_id, src=source)
    signed_in("member", sensitive_opt_in=True)
    response = client.get(f"/feed/media/{media_id}")
    assert response.status_code == 404 and "Location" not in response.headers


@pytest.mark.parametrize("source", ["https://evil.example/x.png", "//evil.example/x.png", "/\\evil.example/x.png",
                                    "/settings?from=import", "javascript:alert(1)"])
def test_a_preview_source_that_is_not_ours_never_reaches_the_page(source, client, signed_in, make_user, db_conn):
    author = make_user("provider")
    make_post(db_conn, author["user_id"], title="Careless import", band=0,
              media_preview=[{"src": source, "alt": "x", "width": 10, "height": 10}])
    signed_in("member")
    page = page_text(client.get("/feed"))
    assert "Careless import" in page and source not in page
