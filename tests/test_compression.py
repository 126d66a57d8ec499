"""What a browser downloads: pages compressed when it asks, static files under names that change with
their content, compressed and kept a year; streamed exports still streamed."""
from __future__ import annotations

import gzip
import hashlib
import re

import brotli

try:
    from compression import zstd  # Python 3.14
except ImportError:
    from backports import zstd

from tests.growth.factories import make_program
from webapp.core.config import PROJECT_ROOT

STATIC = PROJECT_ROOT / "static"
CHROMIUM = "gzip, deflate, br, zstd"  # what the browsers send
SAFARI = "gzip, deflate, br"


def static_url(client, pattern: str) -> str:
    """The URL the log-in page gives a static file (its <link>/<script> line)."""
    return re.search(rf'"(/static/{pattern})"', client.get("/login").get_data(as_text=True)).group(1)


def test_a_page_comes_zstd_encoded_to_a_browser_that_takes_it(client):
    response = client.get("/login", headers={"Accept-Encoding": CHROMIUM})
    assert response.headers["Content-Encoding"] == "zstd"
    assert "<h1>Log in</h1>" in zstd.decompress(response.data).decode()


def test_a_page_comes_brotli_encoded_to_a_browser_that_takes_brotli_but_not_zstd(client):
    response = client.get("/login", headers={"Accept-Encoding": SAFARI})
    assert response.headers["Content-Encoding"] == "br"
    assert "<h1>Log in</h1>" in brotli.decompress(response.data).decode()


def test_a_page_comes_gzip_encoded_to_a_client_that_takes_only_gzip(client):
    response = client.get("/login", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert "<h1>Log in</h1>" in gzip.decompress(response.data).decode()


def test_a_page_comes_plain_to_a_client_that_asks_for_no_encoding(client):
    response = client.get("/login")
    assert "Content-Encoding" not in response.headers
    assert "<h1>Log in</h1>" in response.get_data(as_text=True)


def test_caches_keep_encodings_and_htmx_partials_apart(signed_in, client):
    signed_in()
    response = client.get("/people", headers={"HX-Request": "true", "Accept-Encoding": CHROMIUM})
    assert response.headers["Content-Encoding"] == "zstd"
    assert "HX-Request" in response.vary and "Accept-Encoding" in response.vary


def test_the_stylesheet_is_named_after_its_content(client):
    digest = hashlib.sha256((STATIC / "css/app.css").read_bytes()).hexdigest()[:12]
    assert static_url(client, r"css/app\.[^\"]+") == f"/static/css/app.{digest}.css"


def test_a_hashed_static_file_is_kept_a_year_without_revalidation(client):
    with client.get(static_url(client, r"css/app\.[^\"]+")) as response:
        cache = response.cache_control
        assert response.status_code == 200
        assert cache.public and cache.immutable and cache.max_age == 365 * 24 * 3600


def test_htmx_comes_brotli_encoded_from_its_prepared_copy(client):
    with client.get(static_url(client, r"js/htmx-[^\"]+"), headers={"Accept-Encoding": CHROMIUM}) as response:
        assert response.headers["Content-Encoding"] == "br"
        assert "Accept-Encoding" in response.vary
        assert brotli.decompress(response.data) == (STATIC / "js/htmx-2.0.11.min.js").read_bytes()


def test_a_hashed_name_that_was_never_built_is_not_found(client):
    # (The unhashed name still works, revalidated each time: tests/test_cache_headers.py.)
    assert client.get("/static/css/app.000000000000.css").status_code == 404


def test_a_csv_export_still_streams_uncompressed_when_the_browser_takes_brotli(client, signed_in, db_conn):
    make_program(db_conn)
    signed_in("growth")
    response = client.get("/growth/export/invites.csv?range=custom&start=2026-01-01&end=2026-01-31",
                          headers={"Accept-Encoding": CHROMIUM})
    assert response.status_code == 200 and response.is_streamed
    assert "Content-Encoding" not in response.headers
    assert next(iter(response.response)).startswith("\ufeffcreated_at".encode())
    response.close()
