"""The axe audit of the journeys (conftest.AxeAudit) sees what it should: a page's violations on
load, the violations an htmx swap brings in, and nothing it was told is known.

The probe pages are served by Playwright on the live server's origin (so the app's own htmx loads),
and audited by an AxeAudit of the test's own, so the violations they carry on purpose are looked at
here instead of failing the test at teardown.
"""
from __future__ import annotations

import tests.browser.conftest as browser_conftest
from tests.browser.conftest import ROOT, AxeAudit

HTMX = next((ROOT / "static" / "js").glob("htmx-*.js"))  # the app's own copy, whatever its name

PROBE = """<!doctype html><html lang="en"><head><title>Probe</title>
<script src="/axe-probe/htmx.js"></script></head>
<body><main><h1>Probe</h1>{body}</main></body></html>"""


def _serve(html: str):
    return lambda route: route.fulfill(content_type="text/html", body=html)


def _probe(browser, live_server, body: str, parts: dict[str, str] | None = None):
    audit = AxeAudit()
    context = browser._browser.new_context(base_url=live_server)  # not the test's audit: this one
    audit.watch(context)
    page = context.new_page()
    page.route(f"{live_server}/axe-probe", lambda route: route.fulfill(
        content_type="text/html", body=PROBE.format(body=body)))
    page.route(f"{live_server}/axe-probe/htmx.js", lambda route: route.fulfill(path=HTMX))
    for path, html in (parts or {}).items():
        page.route(f"{live_server}{path}", _serve(html))
    page.goto("/axe-probe")
    return audit, context, page


def test_a_violation_on_load_is_reported_with_its_rule_target_and_address(browser, live_server):
    audit, context, _page = _probe(browser, live_server, '<img src="data:," id="no-alt">')
    audit.close(context)
    assert any("critical image-alt" in p and "#no-alt" in p and "/axe-probe, load" in p for p in audit.problems())


def test_a_violation_an_htmx_swap_brings_in_is_reported(browser, live_server):
    audit, context, page = _probe(
        browser, live_server,
        '<button hx-get="/axe-probe/part" hx-target="#slot">Load</button><div id="slot"></div>',
        {"/axe-probe/part": '<img src="data:," id="swapped">'})
    page.get_by_role("button", name="Load").click()
    page.locator("#swapped").wait_for(state="attached")
    audit.close(context)  # waits for the run the swap started
    assert any("#swapped" in p and "after an htmx swap into #slot" in p for p in audit.problems())


def test_a_known_violation_is_left_out_and_only_that_one(browser, live_server, monkeypatch):
    monkeypatch.setattr(browser_conftest, "KNOWN_VIOLATIONS",
                        [("image-alt", r"^/axe-probe$", r"^#known$", "a test's own")])
    audit, context, _page = _probe(browser, live_server,
                                   '<img src="data:," id="known"><img src="data:," id="other">')
    audit.close(context)
    assert [p for p in audit.problems() if "#known" in p] == []
    assert any("#other" in p for p in audit.problems())
