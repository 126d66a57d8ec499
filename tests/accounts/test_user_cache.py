"""With the per-process user cache on (as in production), account changes still reach the pages."""
import re
import time

import pytest

from tests.conftest import page_text
from webapp.accounts import loader

CACHE_SECONDS = 60


@pytest.fixture
def user_cache(app, monkeypatch):
    """The cache on, as in production (the test app runs with it off)."""
    monkeypatch.setitem(app.config, "USER_CACHE_SECONDS", CACHE_SECONDS)
    loader.forget_all()
    yield
    loader.forget_all()


def test_a_saved_settings_change_shows_on_the_next_page(user_cache, signed_in, auth, client):
    signed_in(name="Old Name")
    assert "Old Name" in page_text(client.get("/settings"))
    response = auth.post("/settings", {"display_name": "New Name", "email_alerts": "y"}, page="/settings")
    assert response.status_code == 303
    page = page_text(client.get("/feed"))
    assert "New Name" in page and "Old Name" not in page


def test_turning_sensitive_media_off_takes_effect_at_once(user_cache, signed_in, auth, client):
    signed_in(sensitive_opt_in=True)
    client.get("/settings")
    auth.post("/settings", {"display_name": "Test User", "email_alerts": "y", "sensitive_opt_in": ""},
              page="/settings")
    checkbox = re.search(r'<input[^>]*name="sensitive_opt_in"[^>]*>', client.get("/settings").get_data(as_text=True))
    assert "checked" not in checkbox.group(0)


def test_a_role_given_elsewhere_reaches_the_session_once_the_cache_time_is_over(user_cache, signed_in, client,
                                                                                 db_conn):
    user = signed_in("member")
    assert client.get("/growth").status_code == 403
    db_conn.execute("update app_user set role = 'growth' where user_id = %s", (user["user_id"],))
    assert client.get("/growth").status_code == 403  # the remembered account, within the cache time
    loader._cache.expire(time.monotonic() + CACHE_SECONDS)  # what the cache holds, as of its lifetime from now
    assert client.get("/growth").status_code == 200


def test_logging_in_again_reads_the_account_afresh(user_cache, signed_in, auth, client, db_conn):
    user = signed_in("member")
    client.get("/settings")
    db_conn.execute("update app_user set role = 'growth' where user_id = %s", (user["user_id"],))
    auth.logout()
    auth.login(user["email"])
    assert client.get("/growth").status_code == 200
