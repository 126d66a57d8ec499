"""A post's own page follows the feed's band rules; its author, and only its author, can delete it."""
import re

from tests.conftest import page_text
from tests.feed.factories import make_media, make_post, make_profile, sensitive_post

HX = {"HX-Request": "true"}
SECRET = "/media/scene/bandone.svg?label=BAND-ONE-PICTURE"


def test_a_published_post_has_its_own_page_with_the_feeds_card(client, signed_in, make_user, db_conn):
    signed_in()
    author = make_user("provider", name="Ada Frame")
    make_profile(db_conn, author)
    feed_id = make_post(db_conn, author["user_id"], title="Rooftop editorial", body_md="At **dusk**.")
    feed = page_text(client.get("/feed"))
    assert f'href="/feed/posts/{feed_id}"' in feed  # the card's date links to it
    response = client.get(f"/feed/posts/{feed_id}")
    body = page_text(response)
    assert response.status_code == 200
    assert "Rooftop editorial" in body and "<strong>dusk</strong>" in body
    assert '>Follow<span class="visually-hidden"> Ada Frame</span>' in body
    assert 'role="feed"' not in body and "aria-posinset" not in body  # a post alone, not a feed


def test_a_sensitive_post_is_blurred_on_its_page_exactly_as_in_the_feed(client, signed_in, make_user, db_conn):
    signed_in()
    author = make_user("provider")
    feed_id, _ = sensitive_post(db_conn, author["user_id"], band=1, title="Boudoir set", secret=SECRET)
    body = page_text(client.get(f"/feed/posts/{feed_id}"))
    assert "Sensitive media" in body and "BAND-ONE-PICTURE" not in body and "bandone" not in body
    assert "Turn on sensitive media in" in body  # no reveal control before opting in


def test_posts_the_feed_does_not_show_have_no_page(client, signed_in, make_user, db_conn):
    signed_in()
    author = make_user("provider")
    explicit, _ = sensitive_post(db_conn, author["user_id"], band=2, title="NEVER", secret="/media/scene/x.svg")
    draft = make_post(db_conn, author["user_id"], title="Draft", published=False)
    for feed_id in (explicit, draft, "fdp_nothing"):
        response = client.get(f"/feed/posts/{feed_id}")
        assert response.status_code == 404 and "NEVER" not in page_text(response)


def test_an_author_opens_her_own_draft_on_its_page_marked_as_one(client, signed_in, db_conn):
    author = signed_in("provider")
    draft = make_post(db_conn, author["user_id"], title="Not yet out", published=False)
    body = page_text(client.get(f"/feed/posts/{draft}"))
    assert "Not yet out" in body and "A draft: only you can see it" in body


def test_an_author_s_own_post_in_band_two_still_has_no_page(client, signed_in, db_conn):
    author = signed_in("provider")
    explicit, _ = sensitive_post(db_conn, author["user_id"], band=2, title="NEVER", secret="/media/scene/x.svg")
    assert client.get(f"/feed/posts/{explicit}").status_code == 404


def test_a_post_page_needs_a_signed_in_member(client, make_user, db_conn):
    feed_id = make_post(db_conn, make_user("provider")["user_id"])
    assert client.get(f"/feed/posts/{feed_id}").status_code == 302


def test_the_author_is_asked_before_a_delete(client, signed_in, db_conn):
    me = signed_in("provider")
    feed_id = make_post(db_conn, me["user_id"], title="Old news")
    response = client.get(f"/feed/posts/{feed_id}/delete?next=/feed")
    body = page_text(response)
    assert response.status_code == 200 and "Delete “Old news”?" in body
    assert 'name="next" value="/feed"' in body and "Keep it" in body
    assert db_conn.execute("select count(*) from feed_post").fetchone()[0] == 1  # asking deletes nothing


def test_the_author_deletes_a_post_and_its_pictures(client, signed_in, auth, db_conn, upload_dir):
    me = signed_in("provider")
    feed_id = make_post(db_conn, me["user_id"], title="Old news")
    upload_dir.mkdir(parents=True)
    (upload_dir / "fdm_old.webp").write_bytes(b"pixels")
    make_media(db_conn, feed_id, storage_key="fdm_old.webp")
    response = auth.post(f"/feed/posts/{feed_id}/delete", {"next": "/feed"}, page=f"/feed/posts/{feed_id}/delete")
    assert response.status_code == 303 and response.headers["Location"] == "/feed"
    assert db_conn.execute("select count(*) from feed_post").fetchone()[0] == 0
    assert not (upload_dir / "fdm_old.webp").exists()
    assert "Post deleted." in page_text(client.get("/feed"))


def test_deleting_from_the_posts_own_page_returns_to_my_posts(client, signed_in, auth, db_conn):
    me = signed_in("provider")
    feed_id = make_post(db_conn, me["user_id"], title="Old news")
    response = auth.post(f"/feed/posts/{feed_id}/delete", {"next": f"/feed/posts/{feed_id}"},
                         page=f"/feed/posts/{feed_id}/delete")
    assert response.headers["Location"] == "/feed/mine"


def test_a_card_deleted_with_htmx_leaves_the_list_and_says_so(client, signed_in, auth, db_conn):
    me = signed_in("provider")
    feed_id = make_post(db_conn, me["user_id"], title="Old news")
    feed = page_text(client.get("/feed"))
    assert f'hx-post="/feed/posts/{feed_id}/delete" hx-confirm=' in feed
    response = auth.post(f"/feed/posts/{feed_id}/delete", page="/feed", headers=HX)
    body = page_text(response)
    assert response.status_code == 200 and "<article" not in body and "Post deleted." in body


def test_nobody_else_can_delete_a_post(client, signed_in, auth, make_user, db_conn):
    author = make_user("provider")
    feed_id = make_post(db_conn, author["user_id"], title="Not yours")
    signed_in("provider")
    assert client.get(f"/feed/posts/{feed_id}/delete").status_code == 404
    response = auth.post(f"/feed/posts/{feed_id}/delete", page="/feed")
    assert response.status_code == 404
    assert db_conn.execute("select count(*) from feed_post").fetchone()[0] == 1
    assert "Delete" not in re.sub(r"<script.*?</script>", "", page_text(client.get(f"/feed/posts/{feed_id}")))


def test_only_the_author_sees_delete_on_a_card(client, signed_in, make_user, db_conn):
    me = signed_in("provider")
    other = make_user("provider", name="Other One")
    make_profile(db_conn, other)
    mine = make_post(db_conn, me["user_id"], title="Mine")
    theirs = make_post(db_conn, other["user_id"], title="Theirs", minutes_ago=1)
    body = page_text(client.get("/feed"))
    assert f"/feed/posts/{mine}/delete" in body and f"/feed/posts/{theirs}/delete" not in body
