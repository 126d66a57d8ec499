"""redirect_to: a plain request is redirected; htmx is told where to go, or to reload the page it is
on when that is where the redirect leads (a new #fragment alone would only scroll the stale page)."""
from flask import Flask

from webapp.core.htmx import redirect_to

app = Flask(__name__)
HX = {"HX-Request": "true"}


def answer(location: str, headers: dict | None = None):
    with app.test_request_context("/growth/users/usr_1/entries/crl_1/claw-back", method="POST", headers=headers):
        return redirect_to(location)


def test_a_plain_request_is_redirected():
    response = answer("/growth/users/usr_1#ledger-heading")
    assert response.status_code == 303 and response.headers["Location"] == "/growth/users/usr_1#ledger-heading"


def test_htmx_is_sent_to_another_page():
    response = answer("/growth/review", {**HX, "HX-Current-URL": "http://example.test/growth/users/usr_1"})
    assert response.status_code == 204 and response.headers["HX-Redirect"] == "/growth/review"


def test_htmx_reloads_the_page_it_is_on_instead_of_only_scrolling_it():
    response = answer("/growth/users/usr_1#ledger-heading",
                      {**HX, "HX-Current-URL": "http://example.test/growth/users/usr_1#invites-heading"})
    assert response.headers["HX-Refresh"] == "true"


def test_htmx_reloads_at_the_part_of_the_page_the_redirect_names():
    response = answer("/growth/users/usr_1#ledger-heading",
                      {**HX, "HX-Current-URL": "http://example.test/growth/users/usr_1"})
    assert response.headers["HX-Redirect"] == "/growth/users/usr_1#ledger-heading"


def test_htmx_reloads_the_same_page_without_a_fragment_without_going_anywhere():
    response = answer("/growth/users/usr_1", {**HX, "HX-Current-URL": "http://example.test/growth/users/usr_1"})
    assert response.headers["HX-Refresh"] == "true" and "HX-Redirect" not in response.headers


def test_the_same_path_with_another_query_is_another_page():
    response = answer("/growth/users/usr_1?after=abc", {**HX, "HX-Current-URL": "http://example.test/growth/users/usr_1"})
    assert response.headers["HX-Redirect"] == "/growth/users/usr_1?after=abc"
