"""Real-browser fixtures: the app served from a thread, the system Chromium via Playwright.

Chromium comes from the OS (`apt-get install chromium`); Playwright never
downloads a browser here. Without Chromium the journeys skip locally, and fail
in CI (REQUIRE_BROWSER=1), where a skipped journey would prove nothing.

Every page of every journey is audited by axe-core (npm, pinned in package-lock.json;
`npm ci` installs it): after each load and after each htmx swap, in every browser
context a journey opens. A serious or critical violation fails the test at teardown.
"""
from __future__ import annotations

import contextlib
import os
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_RUNNER = Path(__file__).with_name("axe_runner.js")

# A violation accepted for a while, with the issue that removes it: (rule id, URL path regex, target
# regex, why). Precise on purpose: the same rule anywhere else still fails. Empty: every page passes.
KNOWN_VIOLATIONS: list[tuple[str, str, str, str]] = []


def _known(rule: str, url: str, target: str) -> bool:
    path = re.sub(r"^https?://[^/]+", "", url)
    return any(rule == k_rule and re.search(k_path, path) and re.search(k_target, target)
               for k_rule, k_path, k_target, _point in KNOWN_VIOLATIONS)


@dataclass
class AxeAudit:
    """The axe results of one test: every context it opens reports here through a binding."""
    contexts: list = field(default_factory=list)
    violations: dict = field(default_factory=dict)  # (rule, url, target) -> line of the report
    errors: list = field(default_factory=list)
    runs: int = 0

    def watch(self, context) -> None:
        if not AXE.exists():
            pytest.fail(f"{AXE.relative_to(ROOT)} is missing: run `npm ci` at the repository root")
        context.expose_binding("__axeReport", self._report)
        context.add_init_script(path=str(AXE))
        context.add_init_script(path=str(AXE_RUNNER))
        self.contexts.append(context)

    def _report(self, _source, payload) -> None:
        self.runs += 1
        if "error" in payload:
            self.errors.append(f"axe could not run on {payload['url']} ({payload['state']}): {payload['error']}")
        for v in payload.get("violations", []):
            for target in v["targets"]:
                if not _known(v["id"], payload["url"], target):
                    self.violations.setdefault((v["id"], payload["url"], target),
                                               f"{v['impact']} {v['id']} ({v['help']}): {target} "
                                               f"on {payload['url']}, {payload['state']}")

    def settle(self, context) -> None:
        """Wait for the runs still going in the context's pages, so that none is lost at close."""
        for page in context.pages:
            # A page already closed or crashed has nothing left to report.
            with contextlib.suppress(PlaywrightError):
                page.evaluate("() => window.__axeIdle && Promise.race("
                              "[window.__axeIdle(), new Promise((r) => setTimeout(r, 15000))])")

    def close(self, context) -> None:
        if context in self.contexts:
            self.settle(context)
            self.contexts.remove(context)
        context.close()

    def problems(self) -> list[str]:
        return self.errors + sorted(self.violations.values())


class AuditedBrowser:
    """The session's Browser, whose every new context is audited by axe for the running test."""

    def __init__(self, browser):
        self._browser = browser
        self.audit: AxeAudit | None = None

    def new_context(self, **options):
        context = self._browser.new_context(**options)
        if self.audit is not None:
            self.audit.watch(context)
        return context

    def new_page(self, **options):
        return self.new_context(**options).new_page()

    def __getattr__(self, name):
        return getattr(self._browser, name)


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
        yield AuditedBrowser(browser)
        browser.close()


@pytest.fixture(autouse=True)
def axe_audit(request):
    """Audits every context the test opens; fails it on any serious or critical axe violation."""
    if "browser" not in request.fixturenames:
        yield None
        return
    browser = request.getfixturevalue("browser")
    audit = browser.audit = AxeAudit()
    yield audit
    browser.audit = None
    for context in list(audit.contexts):  # contexts the journey opened itself and left open
        audit.close(context)
    problems = audit.problems()
    assert not problems, "axe found serious or critical violations:\n  " + "\n  ".join(problems)


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
def page(browser, live_server, axe_audit):
    """Desktop size; errors on the page fail the test."""
    context, page, errors = _watched_page(browser, live_server, viewport={"width": 1280, "height": 900})
    yield page
    axe_audit.close(context)
    assert not errors, f"the page reported errors: {errors}"


@pytest.fixture
def phone_page(browser, live_server, axe_audit):
    """A 375-px-wide phone viewport; errors on the page fail the test."""
    context, page, errors = _watched_page(browser, live_server, viewport={"width": 375, "height": 812},
                                          device_scale_factor=2, is_mobile=True, has_touch=True)
    yield page
    axe_audit.close(context)
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
