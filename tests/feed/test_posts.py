"""Providers write, preview, publish, unpublish and edit their own posts; the growth team re-bands."""
import io
import json

from PIL import Image
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from tests.conftest import page_text
from tests.feed.factories import make_post, make_profile
from webapp.feed.catalogue import MAX_BODY_CHARS, MAX_TITLE_CHARS

HX = {"HX-Request": "true"}


def png(width=800, height=500, color=(200, 80, 120)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, "PNG")
    return out.getvalue()


def upload(auth, path: str, form: dict, page: str = "/feed/new"):
    """POST a multipart form, encoded up front (the test client's own encoder leaks a temp file for big bodies).

    `pictures` is a list of (bytes, file name, alt text), sent in the editor's picture slots.
    """
    form = dict(form)
    for slot, (data, filename, alt) in enumerate(form.pop("pictures", [])):
        form[f"images-{slot}-file"], form[f"images-{slot}-alt"] = (data, filename), alt
    fields = MultiDict()
    for name, value in {**form, "csrf_token": auth.token(page)}.items():
        if isinstance(value, tuple):
            fields.add(name, FileStorage(io.BytesIO(value[0]), value[1]))
        else:
            for item in value if isinstance(value, list) else [value]:
                fields.add(name, item)
    boundary, body = encode_multipart(fields)
    return auth.client.post(path, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def post_form(**overrides) -> dict:
    form = {"title": "Rooftop editorial", "kind": "case_study", "role_tags": ["photographer", "model"],
            "city": "berlin", "body_md": "Shot at **golden hour**.", "band": "0", "action": "publish"}
    form.update(overrides)
    return form


def provider(signed_in, db_conn, **kwargs):
    user = signed_in("provider", name="Pat Provider", **kwargs)
    make_profile(db_conn, user, verified=kwargs.pop("verified", False))
    return user


def count_posts(db_conn) -> int:
    return db_conn.execute("select count(*) from feed_post").fetchone()[0]


def test_a_provider_publishes_a_post_that_shows_in_the_feed(client, signed_in, auth, db_conn):
    provider(signed_in, db_conn)
    response = auth.post("/feed/new", post_form(), page="/feed/new")
    assert response.status_code == 303 and response.headers["Location"] == "/feed/mine"
    feed = page_text(client.get("/feed"))
    assert "Rooftop editorial" in feed and "<strong>golden hour</strong>" in feed and "Pat Provider" in feed


def test_a_draft_stays_out_of_the_feed_until_published(client, signed_in, auth, db_conn):
    provider(signed_in, db_conn)
    auth.post("/feed/new", post_form(action="draft", title="Half-done"), page="/feed/new")
    assert "Half-done" not in page_text(client.get("/feed"))
    mine = page_text(client.get("/feed/mine"))
    assert "Half-done" in mine and "Draft" in mine
    feed_id = db_conn.execute("select feed_id from feed_post").fetchone()[0]
    assert auth.post(f"/feed/{feed_id}/publish", page="/feed/mine").status_code == 303
    assert "Half-done" in page_text(client.get("/feed"))


def test_publishing_a_draft_puts_it_at_the_top_of_the_feed(client, signed_in, auth, db_conn, make_user):
    me = provider(signed_in, db_conn)
    old_draft = make_post(db_conn, me["user_id"], title="Old draft", published=False)  # created long ago
    other = make_user("provider")
    make_post(db_conn, other["user_id"], title="Yesterday's post")
    auth.post(f"/feed/{old_draft}/publish", page="/feed/mine")
    body = page_text(client.get("/feed"))
    assert body.index("Old draft") < body.index("Yesterday's post")


def test_unpublishing_takes_a_post_out_of_the_feed(client, signed_in, auth, db_conn):
    me = provider(signed_in, db_conn)
    feed_id = make_post(db_conn, me["user_id"], title="Going away")
    auth.post(f"/feed/{feed_id}/unpublish", page="/feed/mine")
    assert "Going away" not in page_text(client.get("/feed"))
    assert "Going away" in page_text(client.get("/feed/mine"))


def test_editing_a_post_changes_it(client, signed_in, auth, db_conn):
    me = provider(signed_in, db_conn)
    feed_id = make_post(db_conn, me["user_id"], title="Typo titel")
    assert "Typo titel" in page_text(client.get(f"/feed/{feed_id}/edit"))
    response = auth.post(f"/feed/{feed_id}/edit", post_form(title="Fixed title", action="save"), page="/feed/mine")
    assert response.status_code == 303
    assert "Fixed title" in page_text(client.get("/feed"))


def test_other_peoples_posts_are_not_found(client, signed_in, auth, db_conn, make_user):
    provider(signed_in, db_conn)
    other = make_user("provider")
    feed_id = make_post(db_conn, other["user_id"], title="Not yours")
    assert client.get(f"/feed/{feed_id}/edit").status_code == 404
    assert auth.post(f"/feed/{feed_id}/edit", post_form(title="Hijack"), page="/feed/mine").status_code == 404
    assert auth.post(f"/feed/{feed_id}/unpublish", page="/feed/mine").status_code == 404
    assert db_conn.execute("select title, is_published from feed_post").fetchone() == ("Not yours", True)


def test_members_cannot_write_posts(client, signed_in, auth):
    signed_in("member")
    assert client.get("/feed/new").status_code == 403
    assert auth.post("/feed/new", post_form()).status_code == 403


def test_posting_needs_the_csrf_token(client, signed_in, db_conn):
    provider(signed_in, db_conn)
    response = client.post("/feed/new", data=post_form())
    assert response.status_code == 400 and count_posts(db_conn) == 0


def test_the_preview_button_works_without_javascript(client, signed_in, auth, db_conn):
    provider(signed_in, db_conn)
    response = auth.post("/feed/new", post_form(action="preview", body_md="## Call sheet"), page="/feed/new")
    assert response.status_code == 200 and "<h2>Call sheet</h2>" in page_text(response)
    assert count_posts(db_conn) == 0


def test_the_live_preview_address_posted_without_htmx_says_where_the_preview_is(signed_in, auth, db_conn):
    provider(signed_in, db_conn)
    response = auth.post("/feed/preview", {"body_md": "## Call sheet"}, page="/feed/new")
    assert response.status_code == 400
    assert "use its “Preview text” button" in page_text(response)


def test_bad_input_gets_clear_messages_and_saves_nothing(client, signed_in, auth, db_conn):
    provider(signed_in, db_conn)
    cases = [
        (post_form(kind="gossip"), "“gossip” is not a kind of post."),
        (post_form(title="x" * (MAX_TITLE_CHARS + 1)), f"Keep the title to {MAX_TITLE_CHARS} characters or fewer"),
        (post_form(title="  "), "Give the post a title."),
        (post_form(body_md="y" * (MAX_BODY_CHARS + 1)), f"Keep the text to {MAX_BODY_CHARS:,} characters or fewer"),
        (post_form(role_tags=[]), "Choose at least one role"),
        (post_form(band="2"), "Choose whether the pictures are safe for everyone or sensitive."),
        (post_form(city="atlantis"), "Choose a city from the list."),
    ]
    for form, message in cases:
        response = auth.post("/feed/new", form, page="/feed/new")
        assert response.status_code == 422, form
        assert message in page_text(response), message
    assert count_posts(db_conn) == 0


def test_each_message_is_told_beside_its_field_and_what_was_typed_stays(client, signed_in, auth, db_conn):
    provider(signed_in, db_conn)
    body = page_text(auth.post("/feed/new", post_form(kind="gossip", title="Keep me"), page="/feed/new"))
    assert 'id="kind-error">“gossip” is not a kind of post. Choose one from the list.</p>' in body
    assert 'value="Keep me"' in body


def test_the_editor_states_the_limits_the_service_enforces(client, signed_in, db_conn):
    from webapp.feed.catalogue import MAX_BODY_CHARS, MAX_IMAGE_MB, MAX_IMAGES

    provider(signed_in, db_conn)
    body = page_text(client.get("/feed/new"))
    assert f"up to {MAX_IMAGE_MB} MB each, at most {MAX_IMAGES} per post" in body
    assert f"Up to {MAX_BODY_CHARS:,} characters" in body
    assert f'id="images-{MAX_IMAGES - 1}-file"' in body and f'id="images-{MAX_IMAGES}-file"' not in body


def test_an_uploaded_picture_is_re_encoded_and_shown_with_its_alt_text(client, signed_in, auth, db_conn,
                                                                      upload_dir):
    provider(signed_in, db_conn)
    form = post_form(pictures=[(png(), "shoot.png", "Model on a rooftop at dusk")])
    response = upload(auth, "/feed/new", form, page="/feed/new")
    assert response.status_code == 303, page_text(response)[:2000]
    media_id, mime, width, height, key = db_conn.execute(
        "select media_id, mime, width, height, storage_key from feed_media").fetchone()
    assert (mime, width, height) == ("image/webp", 800, 500)
    assert (upload_dir / key).read_bytes()[8:12] == b"WEBP"
    body = client.get("/feed").get_data(as_text=True)
    assert f'<img src="/feed/media/{media_id}" alt="Model on a rooftop at dusk" width="800" height="500"' in body
    image = client.get(f"/feed/media/{media_id}")
    assert image.status_code == 200 and image.mimetype == "image/webp" and image.get_data()[8:12] == b"WEBP"
    image.close()


def test_big_pictures_are_scaled_down(client, signed_in, auth, db_conn):
    provider(signed_in, db_conn)
    form = post_form(pictures=[(png(4000, 2000), "huge.png", "Wide studio")])
    upload(auth, "/feed/new", form, page="/feed/new")
    assert db_conn.execute("select width, height from feed_media").fetchone() == (1600, 800)


def test_a_disk_failure_half_way_through_the_pictures_leaves_no_post_and_no_half_written_file(
        client, signed_in, auth, db_conn, upload_dir, monkeypatch):
    from webapp.feed import uploads

    real_save, calls = uploads.save, []

    def save_then_fail(key, image):  # the second picture hits a full disk after the first is written
        calls.append(key)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real_save(key, image)

    monkeypatch.setattr(uploads, "save", save_then_fail)
    provider(signed_in, db_conn)
    form = post_form(pictures=[(png(), "a.png", "First"), (png(color=(0, 90, 200)), "b.png", "Second")])
    response = upload(auth, "/feed/new", form, page="/feed/new")
    assert response.status_code == 500 and "Something went wrong on our side" in page_text(response)
    assert count_posts(db_conn) == 0
    assert db_conn.execute("select count(*) from feed_media").fetchone()[0] == 0
    # The first picture waits for the draft as a pending one (choose again, it is still there); the
    # second left nothing behind.
    pending = [row[0] for row in db_conn.execute("select storage_key from feed_pending_media")]
    assert sorted(p.name for p in upload_dir.glob("*.webp")) == pending == [calls[0]]


def test_a_file_that_is_not_an_image_is_refused(client, signed_in, auth, db_conn, upload_dir):
    provider(signed_in, db_conn)
    form = post_form(pictures=[(b"<script>alert(1)</script>", "evil.png", "Evil")])
    response = upload(auth, "/feed/new", form, page="/feed/new")
    assert response.status_code == 422
    assert "evil.png is not an image we can read" in page_text(response)
    assert count_posts(db_conn) == 0 and not list(upload_dir.glob("*"))


def test_an_image_format_we_do_not_take_is_refused(client, signed_in, auth, db_conn):
    provider(signed_in, db_conn)
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "BMP")
    form = post_form(pictures=[(out.getvalue(), "old.bmp", "Old")])
    response = upload(auth, "/feed/new", form, page="/feed/new")
    assert response.status_code == 422 and "old.bmp is not a JPEG, PNG, WebP or GIF image." in page_text(response)
    assert count_posts(db_conn) == 0


def test_an_oversized_picture_is_refused(client, signed_in, auth, db_conn, upload_dir):
    provider(signed_in, db_conn)
    form = post_form(pictures=[(b"\x89PNG" + b"0" * (5 * 1024 * 1024 + 10), "big.png", "Big")])
    response = upload(auth, "/feed/new", form, page="/feed/new")
    assert response.status_code == 422 and "big.png is larger than 5 MB" in page_text(response)
    assert count_posts(db_conn) == 0 and not list(upload_dir.glob("*"))


def test_an_upload_beyond_the_request_limit_gets_the_too_large_page(client, signed_in, auth, db_conn):
    provider(signed_in, db_conn)
    form = post_form(pictures=[(b"0" * (9 * 1024 * 1024), "huge.png", "Huge")])
    response = upload(auth, "/feed/new", form, page="/feed/new")
    assert response.status_code == 413 and "That upload is too large" in page_text(response)
    assert count_posts(db_conn) == 0


def test_a_picture_needs_a_description(client, signed_in, auth, db_conn):
    provider(signed_in, db_conn)
    form = post_form(pictures=[(png(), "a.png", " ")])
    response = upload(auth, "/feed/new", form, page="/feed/new")
    assert response.status_code == 422 and "Describe picture 1" in page_text(response)
    assert count_posts(db_conn) == 0


def test_a_sensitive_upload_is_blurred_and_its_file_refused_without_opt_in(client, signed_in, auth, db_conn,
                                                                         make_user):
    provider(signed_in, db_conn)
    form = post_form(band="1", pictures=[(png(), "s.png", "Sensitive shot")])
    upload(auth, "/feed/new", form, page="/feed/new")
    media_id, preview = db_conn.execute(
        "select m.media_id, p.media_preview from feed_media m join feed_post p using (feed_id)").fetchone()
    assert "src" not in json.dumps(preview) and media_id not in json.dumps(preview)
    auth.logout()
    viewer = make_user("member")
    auth.login(viewer["email"])
    assert media_id not in client.get("/feed").get_data(as_text=True)
    assert client.get(f"/feed/media/{media_id}").status_code == 403


def test_removing_a_picture_deletes_it(client, signed_in, auth, db_conn, upload_dir):
    provider(signed_in, db_conn)
    upload(auth, "/feed/new", post_form(pictures=[(png(), "a.png", "A")]), page="/feed/new")
    feed_id, media_id, key = db_conn.execute("select feed_id, media_id, storage_key from feed_media").fetchone()
    upload(auth, f"/feed/{feed_id}/edit", post_form(action="save", remove_media=[media_id]), page="/feed/mine")
    assert db_conn.execute("select count(*) from feed_media").fetchone()[0] == 0
    assert not (upload_dir / key).exists()


def test_the_growth_team_changes_a_posts_band(client, signed_in, auth, db_conn, make_user):
    author = make_user("provider")
    feed_id = make_post(db_conn, author["user_id"], title="Borderline", media_preview=[
        {"src": "/media/scene/x.svg", "alt": "Borderline picture", "width": 640, "height": 400}])
    signed_in("growth")
    response = auth.post(f"/feed/{feed_id}/band", {"band": "1"}, page="/feed", headers=HX)
    assert response.status_code == 200 and "Band set to 1" in page_text(response)
    assert "/media/scene/x.svg" not in page_text(response)
    preview, band, floor = db_conn.execute(
        "select media_preview, nsfw_band, band_floor from feed_post").fetchone()
    assert (band, floor) == (1, 1) and "src" not in json.dumps(preview)
    # the picture is kept server-side, for opted-in viewers to reveal
    assert db_conn.execute("select src from feed_media").fetchone()[0] == "/media/scene/x.svg"
    auth.post(f"/feed/{feed_id}/band", {"band": "2"}, page="/feed")
    assert "Borderline" not in page_text(client.get("/feed"))


def test_a_band_change_without_javascript_returns_to_the_feed_page_it_came_from(signed_in, auth, db_conn, make_user):
    feed_id = make_post(db_conn, make_user("provider")["user_id"], title="Borderline")
    signed_in("growth")
    response = auth.post(f"/feed/{feed_id}/band", {"band": "1", "next": "/feed?kind=touring"}, page="/feed")
    assert response.status_code == 303 and response.headers["Location"] == "/feed?kind=touring"
    response = auth.post(f"/feed/{feed_id}/band", {"band": "0", "next": "/\\evil.example"}, page="/feed")
    assert response.headers["Location"] == "/feed"


def test_an_author_cannot_lower_the_band_the_growth_team_set(client, signed_in, auth, db_conn):
    me = provider(signed_in, db_conn)
    feed_id = make_post(db_conn, me["user_id"], title="Flagged")
    db_conn.execute("update feed_post set nsfw_band = 1, band_floor = 1 where feed_id = %s", (feed_id,))
    auth.post(f"/feed/{feed_id}/edit", post_form(band="0", action="save"), page="/feed/mine")
    assert db_conn.execute("select nsfw_band from feed_post").fetchone()[0] == 1


def test_only_the_growth_team_changes_bands(client, signed_in, auth, db_conn):
    me = provider(signed_in, db_conn)
    feed_id = make_post(db_conn, me["user_id"], title="Mine")
    db_conn.execute("update feed_post set nsfw_band = 1 where feed_id = %s", (feed_id,))
    assert auth.post(f"/feed/{feed_id}/band", {"band": "0"}, page="/feed").status_code == 403
    assert db_conn.execute("select nsfw_band from feed_post").fetchone()[0] == 1
