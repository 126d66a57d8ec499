"""`flask feed blocked` and `flask feed set-band`: the growth team's way back for band-2 posts."""
from tests.conftest import page_text
from tests.feed.factories import make_media, make_post, make_profile


def test_blocked_lists_band_2_posts_by_id_and_author_without_their_content(runner, make_user, db_conn):
    author = make_user("provider", email="ada@example.test")
    blocked = make_post(db_conn, author["user_id"], band=2, title="Secret title")
    make_post(db_conn, author["user_id"], band=1, title="Blurred but shown")
    result = runner.invoke(args=["feed", "blocked"])
    assert result.exit_code == 0
    assert blocked in result.output and "ada@example.test" in result.output
    assert "Secret title" not in result.output and "1 post(s) in band 2." in result.output


def test_moving_a_post_out_of_band_2_brings_it_back_to_the_feed(runner, make_user, db_conn, signed_in, client):
    author = make_user("provider", name="Ada Frame")
    make_profile(db_conn, author)
    feed_id = make_post(db_conn, author["user_id"], band=2, title="Back from review")
    make_user("growth", email="gina@example.test")
    result = runner.invoke(args=["feed", "set-band", feed_id, "1", "--by", "GINA@example.test"])
    assert result.exit_code == 0 and f"{feed_id} is now in band 1." in result.output
    signed_in()
    assert "Back from review" in page_text(client.get("/feed"))


def test_only_the_growth_team_may_set_a_band(runner, make_user, db_conn):
    author = make_user("provider")
    feed_id = make_post(db_conn, author["user_id"], band=2)
    make_user("member", email="max@example.test")
    result = runner.invoke(args=["feed", "set-band", feed_id, "0", "--by", "max@example.test"])
    assert result.exit_code != 0 and "Only the growth team" in result.output
    assert db_conn.execute("select nsfw_band from feed_post where feed_id = %s", (feed_id,)).fetchone()[0] == 2


def test_set_band_says_when_there_is_no_such_post_or_account(runner, make_user):
    make_user("growth", email="gina@example.test")
    assert "No post fdp_nothing." in runner.invoke(
        args=["feed", "set-band", "fdp_nothing", "1", "--by", "gina@example.test"]).output
    assert "No account with e-mail nobody@example.test." in runner.invoke(
        args=["feed", "set-band", "fdp_nothing", "1", "--by", "nobody@example.test"]).output


def test_moving_an_uploaded_picture_back_to_band_0_links_it_through_the_media_route(runner, make_user, db_conn):
    author = make_user("provider")
    feed_id = make_post(db_conn, author["user_id"], band=2)
    media_id = make_media(db_conn, feed_id, storage_key="upload.webp")
    make_user("growth", email="gina@example.test")
    result = runner.invoke(args=["feed", "set-band", feed_id, "0", "--by", "gina@example.test"])
    assert result.exit_code == 0, result.output
    preview = db_conn.execute("select media_preview from feed_post where feed_id = %s", (feed_id,)).fetchone()[0]
    assert [item["src"] for item in preview] == [f"/feed/media/{media_id}"]
