"""Errors are clear pages or partials, never a stack trace; every answer carries security headers."""
import re

import pytest
from flask import abort

from tests.conftest import page_text


def test_an_unknown_page_is_a_friendly_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in page_text(response)
    assert "<html" in response.get_data(as_text=True)


def test_an_htmx_error_is_a_message_partial_for_the_alert_region(client):
    response = client.get("/no-such-page", headers={"HX-Request": "true"})
    assert response.status_code == 404
    assert response.headers["HX-Retarget"] == "#messages"
    body = response.get_data(as_text=True)
    assert "<html" not in body and "Page not found" in body


@pytest.fixture
def failing_app(make_app):
    app = make_app({"TESTING": False})

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals")

    @app.get("/unavailable")
    def unavailable():
        abort(503)

    def rule(outcome):
        from webapp.core.errors import Invalid, NotFound, Refused

        raise {"missing": NotFound("x"), "refused": Refused("Only the owner may do that."),
               "invalid": Invalid("Choose a date in the future."),
               "fields": Invalid(fields={"until": "Choose a date in the future."})}[outcome]

    app.add_url_rule("/rule/<outcome>", view_func=rule)
    # A route of the events endpoint's blueprint ("internal": the endpoint names its blueprint).
    app.add_url_rule("/internal/rule/<outcome>", endpoint="internal.rule", view_func=rule)

    return app


def test_a_crash_shows_a_500_page_without_internals(failing_app):
    response = failing_app.test_client().get("/boom")
    assert response.status_code == 500
    body = page_text(response)
    assert "Something went wrong on our side" in body
    assert "secret internals" not in body and "Traceback" not in body


def test_a_503_page_explains_the_outage(failing_app):
    response = failing_app.test_client().get("/unavailable")
    assert response.status_code == 503
    assert "briefly unavailable" in page_text(response)


def test_a_post_without_csrf_token_gets_a_clear_400(signed_in, client):
    signed_in()
    response = client.post("/settings", data={"display_name": "x"})
    assert response.status_code == 400
    assert "Reload the page and try again" in page_text(response)


def test_security_headers_are_on_every_response(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_pages_vary_on_hx_request(client):
    assert "HX-Request" in client.get("/login").headers["Vary"]


def test_htmx_gets_a_partial_and_a_plain_get_the_whole_page(client):
    full = client.get("/login").get_data(as_text=True)
    partial = client.get("/login", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" in full and "<html" not in partial and 'id="login-form"' in partial


def test_no_page_loads_anything_from_another_host(client):
    body = client.get("/login").get_data(as_text=True)
    assert re.search(r'src="/static/js/htmx-2\.0\.11\.min\.[0-9a-f]{12}\.js"', body)  # our own copy, content-hashed
    assert "http://" not in body.replace("http://www.w3.org", "") and "https://" not in body


def test_a_service_saying_not_found_is_the_404_page(failing_app):
    response = failing_app.test_client().get("/rule/missing")
    assert response.status_code == 404 and "Page not found" in page_text(response)


def test_a_service_refusal_is_a_403_with_its_message(failing_app):
    response = failing_app.test_client().get("/rule/refused")
    assert response.status_code == 403 and "Only the owner may do that." in page_text(response)


def test_invalid_input_from_a_service_is_a_400_with_its_message(failing_app):
    response = failing_app.test_client().get("/rule/invalid", headers={"HX-Request": "true"})
    assert response.status_code == 400 and response.headers["HX-Retarget"] == "#messages"
    assert "Choose a date in the future." in page_text(response)


def test_a_client_that_prefers_json_gets_the_outcome_as_json(failing_app):
    response = failing_app.test_client().get("/rule/fields", headers={"Accept": "application/json"})
    assert response.status_code == 400 and response.is_json
    assert response.get_json() == {"error": "Something in that request was not right",
                                   "message": "Choose a date in the future.",
                                   "fields": {"until": "Choose a date in the future."}}


def test_the_internal_api_answers_json_whatever_the_client_accepts(failing_app):
    response = failing_app.test_client().get("/internal/rule/missing", headers={"Accept": "text/html"})
    assert response.status_code == 404 and response.get_json()["error"] == "Page not found"


def test_a_browser_asking_for_anything_gets_the_page_not_json(failing_app):
    response = failing_app.test_client().get("/rule/refused", headers={"Accept": "*/*"})
    assert response.status_code == 403 and "<html" in response.get_data(as_text=True)


def test_a_wrong_method_says_which_methods_the_address_takes(client):
    response = client.put("/login")
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "POST"}
