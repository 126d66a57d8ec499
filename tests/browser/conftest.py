"""Real-browser fixtures: the app served from a thread, the system Chromium via Playwright.

Chromium comes from the OS (`apt-get install chromium`); Playwright never
downloads a browser here. Without Chromium the journeys skip locally, and fail
in CI (REQUIRE_BROWSER=1), where a skipped journey would prove nothing.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"


@pytest.fixture(scope="session")
def live_server(app):
    """The test app on a free port on 127.0.0.1, for the length of the session."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium")
        pytest.skip(f"{CHROMIUM} is missing: run `apt-get install -y chromium` to run the browser journeys")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


def _watched_page(browser, live_server, **context_options):
    """A page in a fresh context (no cookies) that collects what went wrong on it.

    Script errors, console errors and any 5xx answer count: htmx swaps nothing on a 5xx,
    so a partial that crashed would otherwise leave the page as it was and go unseen.
    4xx answers are part of some journeys (a refused form) and count only through the
    console errors the page itself reports."""
    context = browser.new_context(base_url=live_server, **context_options)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text)
            if msg.type == "error" and not msg.text.startswith("Failed to load resource") else None)
    page.on("response", lambda response: errors.append(
        f"{response.status} from {response.request.method} {response.url}") if response.status >= 500 else None)
    return context, page, errors


@pytest.fixture
def page(browser, live_server):
    """Desktop size; errors on the page fail the test."""
    context, page, errors = _watched_page(browser, live_server, viewport={"width": 1280, "height": 900})
    yield page
    context.close()
    assert not errors, f"the page reported errors: {errors}"


@pytest.fixture
def phone_page(browser, live_server):
    """A 375-px-wide phone viewport; errors on the page fail the test."""
    context, page, errors = _watched_page(browser, live_server, viewport={"width": 375, "height": 812},
                                          device_scale_factor=2, is_mobile=True, has_touch=True)
    yield page
    context.close()
    assert not errors, f"the page reported errors: {errors}"


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under artifacts/ (CI keeps it)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    # caret="initial": otherwise Playwright leaves style="" on inputs, which htmx then
    # copies onto swapped elements and the CSP (rightly) reports.
    page.screenshot(path=str(path), full_page=True, caret="initial")
    return path


def log_in(page, email: str, password: str) -> None:
    page.goto("/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/")
