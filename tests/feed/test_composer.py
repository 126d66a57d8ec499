"""The post editor never drops chosen pictures: they wait as pending pictures of the draft, shown as
thumbnails with their alt text, in an order the author sets, until the post is saved."""
import re

from tests.conftest import page_text
from tests.feed.factories import make_profile
from tests.feed.test_posts import count_posts, png, post_form, provider, upload
from webapp.core import limits

HX = {"HX-Request": "true"}
BLUE, ORANGE = (png(color=(0, 90, 200)), "blue.png", "Blue backdrop"), (png(color=(230, 120, 0)), "orange.png",
                                                                        "Orange backdrop")


def pending_in(response) -> list[tuple[str, str]]:
    """(pending id, alt text) of the editor's pending pictures, in the page's order."""
    body = response.get_data(as_text=True)
    ids = re.findall(r'name="pending_id" value="([^"]+)"', body)
    alts = re.findall(r'name="pending_alt" value="([^"]*)"', body)
    return list(zip(ids, alts, strict=True))


def preview_with_two_pictures(auth):
    return upload(auth, "/feed/new", post_form(action="preview", pictures=[BLUE, ORANGE]))


def test_a_preview_without_javascript_keeps_the_chosen_pictures(client, signed_in, auth, db_conn, upload_dir):
    provider(signed_in, db_conn)
    response = preview_with_two_pictures(auth)
    assert response.status_code == 200 and "<strong>golden hour</strong>" in page_text(response)
    assert [alt for _, alt in pending_in(response)] == ["Blue backdrop", "Orange backdrop"]
    assert count_posts(db_conn) == 0
    assert len(list(upload_dir.glob("fdu_*.webp"))) == 2


def test_pending_pictures_show_as_thumbnails_only_their_author_can_load(client, signed_in, auth, db_conn,
                                                                        make_user):
    provider(signed_in, db_conn)
    (first, _), _ = pending_in(preview_with_two_pictures(auth))
    thumbnail = client.get(f"/feed/pending/{first}")
    assert thumbnail.status_code == 200 and thumbnail.mimetype == "image/webp"
    assert "no-store" in thumbnail.headers["Cache-Control"]
    thumbnail.close()
    auth.logout()
    signed_in("provider", name="Someone Else")
    assert client.get(f"/feed/pending/{first}").status_code == 404


def test_the_preview_shows_each_pending_picture_with_its_description_field(client, signed_in, auth, db_conn):
    provider(signed_in, db_conn)
    body = page_text(preview_with_two_pictures(auth))
    assert re.search(r'<img src="/feed/pending/fdu_\w+" alt="Blue backdrop"', body)
    assert "Description of picture 1 (alt text)" in body and "Description of picture 2 (alt text)" in body
    assert "Picture 3" in body and "Picture 5" not in body  # the free slots continue the numbering


def test_move_down_reorders_and_keeps_the_focus_on_the_picture_moved(client, signed_in, auth, db_conn):
    provider(signed_in, db_conn)
    pictures = pending_in(preview_with_two_pictures(auth))
    (blue, _), (orange, _) = pictures
    response = upload(auth, "/feed/new", post_form(action=f"down:{blue}", pending_id=[blue, orange],
                                                   pending_alt=["Blue backdrop", "Orange backdrop"]))
    assert [pid for pid, _ in pending_in(response)] == [orange, blue]
    # At the bottom now: its "Move up" button takes the focus ("Move down" is gone).
    assert re.search(rf'id="move-up-{blue}"[^>]*autofocus', response.get_data(as_text=True))


def test_remove_forgets_the_picture_and_its_file(client, signed_in, auth, db_conn, upload_dir):
    provider(signed_in, db_conn)
    (blue, _), (orange, _) = pending_in(preview_with_two_pictures(auth))
    response = upload(auth, "/feed/new", post_form(action=f"remove:{blue}", pending_id=[blue, orange],
                                                   pending_alt=["Blue backdrop", "Orange backdrop"]))
    assert pending_in(response) == [(orange, "Orange backdrop")]
    assert re.search(rf'id="remove-{orange}"[^>]*autofocus', response.get_data(as_text=True))
    assert [p.name for p in upload_dir.glob("fdu_*.webp")] == [f"{orange}.webp"]
    assert db_conn.execute("select count(*) from feed_pending_media").fetchone()[0] == 1


def test_publishing_posts_the_pending_pictures_in_the_order_and_words_given(client, signed_in, auth, db_conn,
                                                                            upload_dir):
    provider(signed_in, db_conn)
    (blue, _), (orange, _) = pending_in(preview_with_two_pictures(auth))
    response = upload(auth, "/feed/new", post_form(pending_id=[orange, blue],
                                                   pending_alt=["Orange, described again", "Blue backdrop"]))
    assert response.status_code == 303
    rows = db_conn.execute("select position, alt, storage_key from feed_media order by position").fetchall()
    assert rows == [(0, "Orange, described again", f"{orange}.webp"), (1, "Blue backdrop", f"{blue}.webp")]
    assert db_conn.execute("select count(*) from feed_pending_media").fetchone()[0] == 0
    assert sorted(p.name for p in upload_dir.glob("*.webp")) == sorted([f"{orange}.webp", f"{blue}.webp"])


def test_a_pending_picture_without_a_description_is_not_posted(client, signed_in, auth, db_conn):
    provider(signed_in, db_conn)
    (blue, _), _ = pending_in(preview_with_two_pictures(auth))
    response = upload(auth, "/feed/new", post_form(pending_id=[blue], pending_alt=[""]))
    assert response.status_code == 422
    assert "Describe picture 1 in a few words" in page_text(response)
    assert pending_in(response) == [(blue, "")]  # still there, to describe
    assert count_posts(db_conn) == 0


def test_a_mistake_elsewhere_on_the_form_keeps_the_chosen_pictures(client, signed_in, auth, db_conn):
    provider(signed_in, db_conn)
    response = upload(auth, "/feed/new", post_form(title="", pictures=[BLUE]))
    assert response.status_code == 422 and "Give the post a title." in page_text(response)
    assert [alt for _, alt in pending_in(response)] == ["Blue backdrop"]


def test_nobody_posts_another_members_pending_picture(client, signed_in, auth, db_conn, make_user):
    provider(signed_in, db_conn)
    (blue, _), _ = pending_in(preview_with_two_pictures(auth))
    auth.logout()
    other = signed_in("provider", name="Other Provider")
    make_profile(db_conn, other)
    response = upload(auth, "/feed/new", post_form(pending_id=[blue], pending_alt=["Mine now"]))
    assert response.status_code == 422
    assert "no longer waiting for this post" in page_text(response)
    assert count_posts(db_conn) == 0


def test_the_text_preview_renders_sanitized_html_and_leaves_files_alone(client, signed_in, auth, db_conn,
                                                                        upload_dir):
    provider(signed_in, db_conn)
    response = upload(auth, "/feed/preview", {"body_md": "**hi** <script>alert(1)</script>", "pictures": [BLUE]})
    assert response.status_code == 400  # without htmx: the editor's own button is the way
    response = auth.client.post("/feed/preview", headers={**HX, "X-CSRFToken": auth.token("/feed/new")},
                                data={"body_md": "**hi** <script>alert(1)</script>",
                                      "images-0-file": (BLUE[0], "blue.png")},
                                content_type="multipart/form-data")
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<strong>hi</strong>" in body
    assert "<script>" not in body and "<html" not in body and "<form" not in body
    assert db_conn.execute("select count(*) from feed_pending_media").fetchone()[0] == 0
    assert not upload_dir.exists() or not list(upload_dir.iterdir())


def test_no_more_pictures_are_kept_than_a_post_can_have(client, signed_in, auth, db_conn):
    provider(signed_in, db_conn)
    pictures = pending_in(preview_with_two_pictures(auth))
    response = upload(auth, "/feed/new", post_form(
        action="preview", pending_id=[p for p, _ in pictures], pending_alt=[a for _, a in pictures],
        pictures=[BLUE, ORANGE, BLUE]))
    assert response.status_code == 422 and "at most 4 pictures" in page_text(response)
    assert len(pending_in(response)) == 4


def test_arranging_the_editor_does_not_count_against_the_posting_limit(client, signed_in, auth, db_conn):
    provider(signed_in, db_conn)
    posts_an_hour = int(limits.POST_NEW.split()[0])
    statuses = {upload(auth, "/feed/new", post_form(action="preview")).status_code for _ in range(posts_an_hour + 1)}
    assert statuses == {200}
