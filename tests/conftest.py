"""Test harness: a real PostgreSQL, CSRF on, a clean database for every test that uses one.

The server is TEST_DATABASE_URL or DATABASE_URL when set (CI: the machine's
PostgreSQL), else an embedded PostgreSQL under .data/test-pg. Either way the
suite creates its own database, migrates it once, and empties every table
after each test that used it. Tests that ask for no database fixture (the
query canonicaliser, cursors, Markdown) never reach a server at all.
"""
from __future__ import annotations

import os
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from psycopg import sql

from bench.common import free_port
from webapp import create_app
from webapp.core.config import DATA_DIR, libpq_url, sqlalchemy_url
from webapp.core.extensions import db, limiter
from webapp.core.ids import new_id
from webapp.core.migrations import upgrade
from webapp.core.security import hash_password

# Parallel runs (several developers on one server) each set their own name.
TEST_DB_NAME = os.environ.get("TEST_DB_NAME", "growthdesk_test")
TEST_PASSWORD = "correct-horse-battery"
_TEST_PASSWORD_HASH = hash_password(TEST_PASSWORD)  # hashing once keeps fixtures fast


def _server_url() -> str:
    url = os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL")
    if url:
        return libpq_url(url)
    from webapp.core.embedded import embedded_url

    return embedded_url(DATA_DIR / "test-pg", dbname="postgres")


def _with_dbname(url: str, dbname: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + dbname))


def fresh_database(name: str) -> str:
    """Drop and re-create database `name` on the test server; returns its URL."""
    admin_url = _server_url()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
    return _with_dbname(admin_url, name)


def drop_database(name: str) -> None:
    with psycopg.connect(_server_url(), autocommit=True) as conn:
        conn.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name)))


@pytest.fixture(scope="session")
def database_url() -> str:
    """A freshly created, fully migrated database for this test session."""
    url = fresh_database(TEST_DB_NAME)
    upgrade(url)
    return url


def dispose_engines(app) -> None:
    """Close an app's pooled connections (so no test leaves sessions open on the server)."""
    with app.app_context():
        for engine in db.engines.values():
            engine.dispose()


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    # Uploads go to a folder of the session's, never to the developer's .data/uploads.
    # Search counts are not remembered: tests change rows behind the app's back between two
    # looks. The tests of that cache turn it on.
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": sqlalchemy_url(database_url),
                      "DIRECTORY_COUNT_CACHE_SECONDS": 0,
                      "UPLOAD_DIR": str(tmp_path_factory.mktemp("uploads"))})
    yield app
    dispose_engines(app)


@pytest.fixture
def make_app(database_url):
    """make_app(config) -> another app for one test, on the test database unless `config` names
    another; its connections are closed when the test ends."""
    made = []

    def make(config: dict):
        made.append(create_app({"SQLALCHEMY_DATABASE_URI": sqlalchemy_url(database_url), **config}))
        return made[-1]

    yield make
    for other in made:
        dispose_engines(other)
    # Flask-Limiter keeps the limits an app's config sets on its one Limiter for every app after it:
    # an app made with RATELIMIT_DEFAULT would go on limiting every page of the session.
    if any(other.config.get("RATELIMIT_DEFAULT") for other in made):
        limiter.limit_manager.set_default_limits([])
    if any(other.config.get("RATELIMIT_APPLICATION") for other in made):
        limiter.limit_manager.set_application_limits([])


@pytest.fixture(autouse=True)
def _clean_database(request):
    """Every test that uses the database starts from empty tables and fresh rate-limit counters.

    Only tests whose fixtures reach `database_url` are cleaned up after; the others never
    connect, so the pure tests run with no PostgreSQL at all."""
    if "database_url" not in request.fixturenames:
        yield
        return
    database_url = request.getfixturevalue("database_url")
    if "app" in request.fixturenames:
        # Flask-Limiter's extension is one object per process, counting in the store of the app
        # bound last (another test's second host, a production configuration's Redis): bound to
        # the suite's app again, it counts from zero in a memory store of its own.
        limiter.init_app(request.getfixturevalue("app"))
    yield
    with psycopg.connect(database_url, autocommit=True) as conn:
        tables = [r[0] for r in conn.execute(
            "select tablename from pg_tables where schemaname = 'public' and tablename <> 'schema_migration'"
        )]
        # Only the tables the test wrote to: TRUNCATE costs new files per table, and most tests touch
        # a few of the fifty. Measured on this 2-core machine: the whole suite 10 min 57 s → 8 min 14 s.
        tables = [r[0] for r in conn.execute(sql.SQL(" union all ").join(
            sql.SQL("select {} where exists (select from {})").format(sql.Literal(t), sql.Identifier(t))
            for t in tables))] if tables else []
        if tables:
            # The append-only tables' triggers refuse TRUNCATE (migration 070); as a superuser the
            # suite may set the one switch that skips them, for its own clean-up only.
            conn.execute("set session_replication_role = replica")
            conn.execute(sql.SQL("truncate {} restart identity cascade").format(
                sql.SQL(", ").join(sql.Identifier(t) for t in tables)))


class PinnedClock:
    """The app's clock held at `now`; `advance(days=…)` moves it on."""

    def __init__(self, now: datetime):
        self.now = now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def pinned_clock(monkeypatch) -> PinnedClock:
    """Pins the app's clock (webapp.core.clock) to 10:00 UTC on a fixed day, until the test moves it."""
    from webapp.core import clock

    pinned = PinnedClock(datetime(2026, 3, 18, 10, 0, tzinfo=UTC))
    monkeypatch.setattr(clock, "now", lambda: pinned.now)
    return pinned


@pytest.fixture
def frozen_today(pinned_clock):
    """The pinned clock's date. For tests that compare dates: "today" is then the same for the
    app and the test, at any hour the suite runs and in any time zone."""
    return pinned_clock.now.date()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def db_conn(database_url):
    """A plain psycopg connection, for checking what the app wrote."""
    with psycopg.connect(database_url, autocommit=True) as conn:
        yield conn


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf-token" content="([^"]+)"', html)
    assert match, "page has no CSRF token"
    return match.group(1)


def insert_user(conn, role: str = "member", *, email: str | None = None, name: str = "Test User",
                city: str = "berlin", sensitive_opt_in: bool = False, email_alerts: bool = True) -> dict:
    """Insert an account directly on `conn` (fast); returns its id, e-mail and password."""
    user_id = new_id("usr")
    email = email or f"{user_id}@example.test"
    conn.execute(
        "insert into app_user (user_id, email, password_hash, display_name, role, city, sensitive_opt_in,"
        " email_alerts) values (%s, %s, %s, %s, %s, %s, %s, %s)",
        (user_id, email, _TEST_PASSWORD_HASH, name, role, city, sensitive_opt_in, email_alerts),
    )
    return {"user_id": user_id, "email": email, "password": TEST_PASSWORD, "name": name, "role": role}


@pytest.fixture
def make_user(db_conn):
    """insert_user on the test database."""
    return lambda role="member", **details: insert_user(db_conn, role, **details)


class Auth:
    """Log in and out through the real forms, CSRF token and all."""

    def __init__(self, client):
        self.client = client

    def token(self, path: str = "/login") -> str:
        return csrf_token(self.client.get(path).get_data(as_text=True))

    def login(self, email: str, password: str = TEST_PASSWORD):
        return self.client.post("/login", data={"email": email, "password": password, "csrf_token": self.token()})

    def logout(self):
        return self.client.post("/logout", data={"csrf_token": self.token("/settings")})

    def post(self, path: str, data: dict | None = None, *, page: str = "/", **kwargs):
        """POST with the CSRF token from `page`, as a signed-in browser would."""
        return self.client.post(path, data={**(data or {}), "csrf_token": self.token(page)}, **kwargs)


@pytest.fixture
def auth(client):
    return Auth(client)


@pytest.fixture
def signed_in(make_user, auth):
    """A member who is logged in; returns the user dict."""

    def sign_in(role: str = "member", **kwargs) -> dict:
        user = make_user(role, **kwargs)
        response = auth.login(user["email"])
        assert response.status_code == 303, response.get_data(as_text=True)[:500]
        return user

    return sign_in


def page_text(response) -> str:
    """The response body with HTML entities decoded, as a reader sees it."""
    import html

    return html.unescape(response.get_data(as_text=True))


class _Inbox:
    """What a real SMTP server (aiosmtpd) received, parsed."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        from email import policy
        from email.parser import BytesParser

        self.messages.append(BytesParser(policy=policy.default).parsebytes(envelope.original_content))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(app):
    """A real SMTP server on a free local port; the app sends to it while the test runs."""
    from aiosmtpd.controller import Controller

    port = free_port()
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    previous = app.config.get("SMTP_URL")
    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{port}"
    yield inbox
    app.config["SMTP_URL"] = previous
    controller.stop()


def in_own_thread(work, *args, **kwargs):
    """Run `work` in a thread of its own and return its result (or raise what it raised). A job-queue
    worker starts an event loop of its own, which cannot be done where one runs already: in the main
    thread, once the browser tests' Playwright has started its loop there."""
    import threading

    outcome = {}

    def run():
        try:
            outcome["result"] = work(*args, **kwargs)
        except BaseException as exc:  # handed to the caller's thread
            outcome["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("result")


def work_off(queue, **options) -> None:
    """A real worker (procrastinate, on the test database) takes every job due now, then stops."""
    in_own_thread(queue.run_worker, wait=False, install_signal_handlers=False, **options)
