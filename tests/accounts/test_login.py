"""Logging in and out, and the session cookie that carries it."""
import pytest

from tests.conftest import page_text


def test_the_right_password_signs_in(auth, make_user, client):
    user = make_user(name="Mia Model")
    response = auth.login(user["email"])
    assert response.status_code == 303
    assert "Hello, Mia Model" in client.get("/").get_data(as_text=True)


def test_email_case_does_not_matter_at_login(auth, make_user):
    make_user(email="mia@example.test")
    assert auth.login("MIA@example.TEST").status_code == 303


def test_a_wrong_password_says_so_and_does_not_sign_in(auth, make_user, client):
    user = make_user()
    response = auth.login(user["email"], "wrong-password")
    assert response.status_code == 422
    assert "don't match an account" in page_text(response)
    assert client.get("/").status_code == 302


def test_the_session_cookie_is_httponly_and_samesite_lax(auth, make_user):
    user = make_user()
    response = auth.login(user["email"])
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("growthdesk_session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_logging_in_starts_a_fresh_session(auth, make_user, client):
    user = make_user()
    client.get("/login")
    with client.session_transaction() as session:
        session["planted"] = "by-an-attacker"
    auth.login(user["email"])
    with client.session_transaction() as session:
        assert "planted" not in session


def test_logout_ends_the_session(auth, make_user, client):
    user = make_user()
    auth.login(user["email"])
    assert auth.logout().status_code == 303
    assert client.get("/").status_code == 302


def test_logout_is_a_post_only(client):
    assert client.get("/logout").status_code == 405


# `next` values that would send the browser to another host (the full list: tests/core/test_urls.py).
HOSTILE_NEXT = ["//evil.example/x", "/\\evil.example", "https://evil.example/", "javascript:alert(1)",
                "/\t/evil.example", "/%5Cevil.example", "/%2F%2Fevil.example"]


def _login_with_next(client, auth, user, next_value, *, htmx=False):
    return client.post("/login", query_string={"next": next_value},
                       data={"email": user["email"], "password": user["password"], "csrf_token": auth.token()},
                       headers={"HX-Request": "true"} if htmx else {})


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_a_next_off_this_site_lands_on_the_dashboard(target, auth, make_user, client):
    response = _login_with_next(client, auth, make_user(), target)
    assert response.status_code == 303
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_a_next_off_this_site_lands_on_the_dashboard_after_an_htmx_login(target, auth, make_user, client):
    response = _login_with_next(client, auth, make_user(), target, htmx=True)
    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == "/"


def test_a_next_on_this_site_is_where_the_login_lands(auth, make_user, client):
    response = _login_with_next(client, auth, make_user(), "/people?x=1")
    assert response.headers["Location"] == "/people?x=1"


def test_a_next_on_this_site_is_where_the_htmx_login_lands(auth, make_user, client):
    response = _login_with_next(client, auth, make_user(), "/people?x=1", htmx=True)
    assert response.headers["HX-Redirect"] == "/people?x=1"


def test_repeated_failed_logins_are_rate_limited(auth, make_user):
    user = make_user()
    statuses = [auth.login(user["email"], "wrong-password").status_code for _ in range(11)]
    assert statuses[:10] == [422] * 10
    assert statuses[10] == 429


def test_htmx_login_redirects_through_hx_redirect(auth, make_user, client):
    user = make_user()
    response = client.post("/login", data={"email": user["email"], "password": user["password"],
                                           "csrf_token": auth.token()}, headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == "/"


def test_a_configured_default_rate_limit_applies_to_every_page(make_app):
    # Only route decorators limit today; an app-wide limit set in config must still bite.
    client = make_app({"TESTING": True, "RATELIMIT_DEFAULT": "2 per minute"}).test_client()
    assert [client.get("/healthz").status_code for _ in range(3)] == [200, 200, 429]
