"""The database going away: stopped and started again, or frozen and thawed, under a running app.

The server is the test's own (tests/outage.py), so stopping it disturbs nothing else. The app
waits on it briefly (a 1 s statement timeout, so the client gives up after 2 s; connections
time out after 2 s, libpq's least): the bounds under test are those of production, only shorter.
While the database is gone, signed-in pages and htmx requests are the clear 503 page or partial
within seconds, /healthz says 503 within its 2 s, and pages that need no database keep working;
once it is back, the very next requests succeed.
"""
from __future__ import annotations

import threading
import time

import psycopg
import pytest

from tests.conftest import Auth, insert_user, page_text
from tests.outage import ThrowawayServer
from webapp.core.config import sqlalchemy_url
from webapp.core.embedded import ensure_database
from webapp.core.extensions import db
from webapp.core.migrations import upgrade

DBNAME = "outage"
HTMX = {"HX-Request": "true"}
UNAVAILABLE = "briefly unavailable"


@pytest.fixture(scope="module")
def server():
    server = ThrowawayServer()
    ensure_database(server.url(), DBNAME)
    upgrade(server.url(DBNAME))
    yield server
    server.close()


@pytest.fixture(scope="module")
def member(server):
    with psycopg.connect(server.url(DBNAME), autocommit=True) as conn:
        return insert_user(conn, name="Outage Tester")["email"]


@pytest.fixture
def app(server, make_app):
    """An app on the throwaway server, with small bounds; the server is running again after the test."""
    app = make_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": sqlalchemy_url(server.url(DBNAME)),
                    "DB_CONNECT_TIMEOUT": 2, "DB_STATEMENT_TIMEOUT": 1,
                    "DB_POOL_TIMEOUT": 1})
    yield app
    server.thaw()
    server.start()


@pytest.fixture
def browser(app, member):
    """A signed-in member's browser, after pages have left several connections idle in both pools."""
    client = app.test_client()
    assert Auth(client).login(member).status_code == 303
    with app.app_context():
        for engine in db.engines.values():
            held = [engine.raw_connection() for _ in range(4)]
            for connection in held:
                connection.close()
    return client


def timed(request, server, give_up_after: float = 20):
    """The response to `request()` and the seconds it took, while `server` is frozen.

    Should the app hang, the test fails (after thawing the server so the request can end)
    instead of waiting for ever."""
    answer = {}

    def run():
        started = time.monotonic()
        answer["response"] = request()
        answer["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(give_up_after)
    if thread.is_alive():
        server.thaw()
        thread.join()
        pytest.fail(f"no answer within {give_up_after} s: the request hung on the frozen database")
    return answer["response"], answer["seconds"]


# --- stopped -----------------------------------------------------------------------------------

def test_while_the_database_is_stopped_a_signed_in_page_is_the_503_page(server, browser):
    server.stop()
    response = browser.get("/")
    assert response.status_code == 503
    assert UNAVAILABLE in page_text(response) and "<html" in response.get_data(as_text=True)


def test_while_the_database_is_stopped_an_htmx_request_is_the_503_partial(server, browser):
    server.stop()
    response = browser.get("/people", headers=HTMX)
    assert response.status_code == 503
    assert response.headers["HX-Retarget"] == "#messages"
    body = response.get_data(as_text=True)
    assert UNAVAILABLE in page_text(response) and "<html" not in body


def test_while_the_database_is_stopped_healthz_is_503(server, app):
    server.stop()
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "down"


def test_while_the_database_is_stopped_the_log_in_form_still_opens(server, app):
    server.stop()
    response = app.test_client().get("/login")
    assert response.status_code == 200
    assert "Log in" in page_text(response)


def test_after_a_restart_no_request_fails_on_a_connection_of_the_old_server(server, browser):
    assert browser.get("/").status_code == 200
    server.stop()
    server.start()
    # More requests than the pools hold connections from before the restart, so each one comes up.
    statuses = [browser.get(path).status_code for path in ("/", "/people") * 6]
    assert statuses == [200] * 12


def test_after_a_restart_healthz_is_200_again(server, app):
    client = app.test_client()
    server.stop()
    assert client.get("/healthz").status_code == 503
    server.start()
    assert client.get("/healthz").status_code == 200


# --- frozen --------------------------------------------------------------------------------------

def test_while_the_database_is_frozen_healthz_is_503_within_two_seconds(server, app):
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    server.freeze()
    response, seconds = timed(lambda: client.get("/healthz"), server)
    assert response.status_code == 503
    assert seconds < 2
    server.thaw()
    assert client.get("/healthz").status_code == 200  # the probe that was waiting gets its answer


def test_while_the_database_is_frozen_a_signed_in_page_is_the_503_page_within_seconds(server, browser):
    server.freeze()
    response, seconds = timed(lambda: browser.get("/"), server)
    assert response.status_code == 503
    assert UNAVAILABLE in page_text(response)
    assert seconds < 10  # the client gives up 1 s after the 1 s statement timeout, not never


def test_while_the_database_is_frozen_an_htmx_request_is_the_503_partial_within_seconds(server, browser):
    server.freeze()
    response, seconds = timed(lambda: browser.get("/people", headers=HTMX), server)
    assert response.status_code == 503
    assert response.headers["HX-Retarget"] == "#messages"
    assert seconds < 10


def test_while_the_database_is_frozen_pages_that_need_no_database_still_answer(server, app):
    client = app.test_client()
    server.freeze()
    statuses = {}
    for path in ("/login", "/static/css/app.css", "/media/avatar/u1.svg?name=Ann"):
        response, _ = timed(lambda path=path: client.get(path), server)
        statuses[path] = response.status_code
        response.close()  # a static file is streamed: closed once read
    assert statuses == {"/login": 200, "/static/css/app.css": 200, "/media/avatar/u1.svg?name=Ann": 200}


def test_after_a_thaw_the_next_requests_succeed(server, browser):
    server.freeze()
    assert timed(lambda: browser.get("/"), server)[0].status_code == 503
    server.thaw()
    statuses = [browser.get(path).status_code for path in ("/", "/people") * 6]
    assert statuses == [200] * 12
    assert browser.get("/healthz").status_code == 200
