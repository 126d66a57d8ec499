"""What caches may keep: nothing of a page or partial; static files and generated art as before."""


def test_a_signed_in_page_is_kept_by_no_cache(signed_in, client):
    signed_in()
    assert client.get("/settings").headers["Cache-Control"] == "private, no-store"


def test_an_htmx_partial_is_kept_by_no_cache(signed_in, client):
    signed_in()
    response = client.get("/people", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"


def test_the_log_in_form_with_its_token_is_kept_by_no_cache(client):
    assert client.get("/login").headers["Cache-Control"] == "private, no-store"


def test_a_json_error_is_kept_by_no_cache(client):
    response = client.get("/no-such-page", headers={"Accept": "application/json"})
    assert response.headers["Cache-Control"] == "private, no-store"


def test_generated_art_keeps_its_year_long_cache(client):
    response = client.get("/media/scene/demo-1.svg")
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_a_static_file_asked_for_by_its_plain_name_is_revalidated_each_time(signed_in, client):
    # Pages name static files by their content, kept a year (tests/test_compression.py); the plain
    # name stays served for anything that still asks for it, and is never stale.
    signed_in()
    with client.get("/static/css/app.css") as response:
        assert response.headers["Cache-Control"] == "no-cache" and response.headers["ETag"]
    with client.get("/static/css/app.css", headers={"If-None-Match": response.headers["ETag"]}) as again:
        assert again.status_code == 304

