"""Hostile input is refused cleanly: never a 500, never a half-written change.

Hypothesis drives every route of the URL map with hostile values (huge, empty, NUL,
wrong types, unicode, markup, SQL, malformed cursors, bad dates) in every form field
and query parameter the rendered pages send it (tests/harness/routes.py, Catalogue),
and in its URL variables. Each request is made by someone the route is for, with a valid
CSRF token, so the input reaches the view (a signed route's: its fields as a JSON body, signed
with the secret; tests/internal/test_bodies.py fuzzes every field of the events it takes).
Before and after each one the world's tables are checksummed: a request that did not succeed
(2xx or 3xx) must have changed nothing.

NUL bytes get a sweep of their own: each field, parameter and path segment of each route,
one at a time, answers a clear 400 (PostgreSQL refuses NUL in text; one rule at the edge
says so before any view runs).
"""
from __future__ import annotations

import io
import json
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict
from werkzeug.routing import BuildError

from tests.harness.integrity import changed, snapshot
from tests.harness.routes import all_routes, browser_form, param_ids
from webapp.core.extensions import limiter

EXAMPLES_PER_ROUTE = 15
NUL = "nul\x00here"

HOSTILE = [
    "", " ", "\t\n", "\x00", NUL, "\x00" * 8, "x" * 100_000, "9" * 500,
    # wrong types and numbers at and past every limit
    "-1", "0", "2147483648", "-9223372036854775809", "1e309", "NaN", "Infinity", "0x1F", "true", "null",
    "[]", "{}", '{"all": "x"}', '{"all": [{"field": "rate_cents", "op": "lte", "value": "cheap"}]}',
    '{"all": [' + ",".join(['{"field": "role_tags", "op": "has", "value": "model"}'] * 200) + '], "any": []}',
    # SQL, markup, templates, paths and redirects
    "' OR '1'='1", "'; drop table app_user; --", "1) or (1=1", "%' and pg_sleep(0) is null --",
    "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "{{7*7}}", "${7*7}", "javascript:alert(1)",
    "//evil.example/", "/\\evil.example", "https://evil.example/", "../../../../etc/passwd", "%00", "%2e%2e%2f",
    "\r\nSet-Cookie: owned=1", "\\", "'", '"',
    # unicode
    "\u202egnp.exe", "\u200b\u200d\ufeff", "👩🏽\u200d🎨" * 40, "e\u0301" * 200, "ﷺ" * 100, "Ω≈ç√∫", "\uffff",
    # malformed cursors
    "!", "AAAA", "eyJ4IjoxfQ", "MjAyNC0wMS0wMXxmZHBfeA", "a" * 2000, "2024-01-01T00:00:00|fdp_x", "fdp_" + "0" * 26,
    # bad dates
    "2024-02-30", "0000-00-00", "9999-12-31", "10000-01-01", "-2024-01-01", "2024-13-45", "1970-01-01T25:61:61",
    "yesterday",
]
HUGE_INTS = [2**31, 2**63, 10**30]


def hostile_text():
    return st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40), st.integers().map(str),
                     st.binary(max_size=24).map(lambda b: b.decode("latin-1")))


def hostile_file():
    contents = st.one_of(st.binary(max_size=256), st.sampled_from([
        b"", b"GIF89a" + b"\x00" * 64, b"\x89PNG\r\n\x1a\n" + b"\xff" * 64, b"<svg onload=alert(1)>", b"%PDF-1.4"]))
    names = st.one_of(st.sampled_from(["x.png", "", "../../x.gif", "a\x00.png", "x" * 300 + ".jpg"]),
                      st.text(max_size=20))
    return st.tuples(contents, names)


class Request:
    """One request as the route's own user would send it, with some inputs replaced by hostile values."""

    def __init__(self, world, route, form: MultiDict, query: list, path_values: dict, htmx: bool,
                 raw_query: str = ""):
        self.route, self.world, self.htmx = route, world, htmx
        self.user = world.actor(route)
        self.path = world.path(route, **path_values)
        self.form = form
        self.query = urlencode(query) + raw_query
        self.signed = route.access.kind == "signed"
        if route.changes_state and not self.signed:
            self.form.add("csrf_token", world.token(self.user))

    def send(self):
        client = self.world.client(self.user)
        if self.signed:  # a program's request: JSON, signed, no session
            body = json.dumps(self.form.to_dict(flat=False), default=repr).encode()
            headers = {**self.world.signed_headers(body), **({"HX-Request": "true"} if self.htmx else {})}
            return client.open(self.path, method=self.route.method, query_string=self.query, data=body,
                               headers=headers, buffered=True)
        form = MultiDict([(k, (io.BytesIO(v[0]), v[1]) if isinstance(v, tuple) else v)
                          for k, v in self.form.items(multi=True)])
        return client.open(self.path, method=self.route.method, query_string=self.query,
                           data=form if self.route.changes_state else None,
                           headers={"HX-Request": "true"} if self.htmx else {}, buffered=True)

    def __str__(self) -> str:
        shown = {k: (v if len(repr(v)) < 200 else repr(v)[:200] + "…") for k, v in self.form.items(multi=True)
                 if not k.endswith("csrf_token")}
        return (f"{self.route.method} {self.path[:300]!r} query={self.query[:300]!r} form={shown}"
                f"{' (htmx)' if self.htmx else ''}")


def checked(world, db, request: Request):
    """Send `request`; a 5xx, or a refused request that changed a table, fails the test."""
    limiter.reset()  # the fuzz is about input, not about how many attempts an address may make
    before = snapshot(db)
    response = request.send()
    assert response.status_code < 500, f"{response.status_code} for {request}"
    if response.status_code >= 400:
        assert changed(before, snapshot(db)) == [], f"{response.status_code} yet tables changed, for {request}"
    return response


ROUTES = all_routes()


@pytest.mark.parametrize("route", ROUTES, ids=param_ids(ROUTES))
@settings(max_examples=EXAMPLES_PER_ROUTE, deadline=None, derandomize=True, database=None,
          phases=(Phase.explicit, Phase.generate), report_multiple_bugs=False,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large, HealthCheck.large_base_example])
@given(data=st.data())
def test_hostile_input_never_breaks_a_route(route, world, world_db, catalogue, data):
    fields = dict(catalogue.form_fields(route)) if route.changes_state else {}
    # Query parameters this route's links use, and those any page uses (a profile reads the feed's cursor).
    query_names = sorted(catalogue.query_names(route) | catalogue.all_query_names())
    names = sorted(n for n in fields if not n.endswith("csrf_token")) + [f"?{n}" for n in query_names]

    form = MultiDict(browser_form(fields) if data.draw(st.booleans(), label="start from the page's form") else {})
    query = []
    chosen = data.draw(st.lists(st.sampled_from(names), unique=True, max_size=4), label="hostile inputs") \
        if names else []
    for name in chosen:
        many = data.draw(st.booleans(), label=f"several values for {name}")
        if not name.startswith("?") and fields[name].kind == "file":
            form.setlist(name, [data.draw(hostile_file(), label=name)])
            continue
        values = data.draw(st.lists(hostile_text(), min_size=2, max_size=3) if many else
                           hostile_text().map(lambda v: [v]), label=name)
        if name.startswith("?"):
            query += [(name[1:], v) for v in values]
        else:
            form.setlist(name, values)
    path_values = {}
    for name in route.string_arguments():
        if data.draw(st.integers(0, 3), label=f"hostile {name}?") == 0:
            path_values[name] = data.draw(hostile_text(), label=name)
    for name in route.int_arguments():
        if data.draw(st.booleans(), label=f"huge {name}?"):
            path_values[name] = data.draw(st.sampled_from(HUGE_INTS), label=name)
    raw = data.draw(st.sampled_from(["", "&x=%ff%fe", "&%c0%af=%00"]), label="undecodable bytes")
    try:
        request = Request(world, route, form, query, path_values, data.draw(st.booleans(), label="htmx"), raw)
    except BuildError:
        assume(False)  # a value the route's own converter cannot put in a URL: not a request anyone can send
    checked(world, world_db, request)


def nul_requests(world, route, catalogue):
    """(what, request) with NUL in one input at a time: each form field, query parameter and path segment."""
    fields = dict(catalogue.form_fields(route)) if route.changes_state else {}
    base = browser_form(fields)
    for name in sorted(n for n in fields if not n.endswith("csrf_token") and fields[n].kind != "file"):
        yield f"form field {name}", Request(world, route, MultiDict({**base, name: NUL}), [], {}, False)
    for name in sorted(catalogue.query_names(route) | {"next"}):  # next=: a parameter many routes read
        yield f"query parameter {name}", Request(world, route, MultiDict(base), [(name, NUL)], {}, False)
    for name in route.string_arguments():
        yield f"path segment {name}", Request(world, route, MultiDict(base), [], {name: NUL}, False)


@pytest.mark.parametrize("route", ROUTES, ids=param_ids(ROUTES))
def test_a_nul_byte_anywhere_is_a_clear_400(route, world, world_db, catalogue):
    wrong = []
    for what, request in nul_requests(world, route, catalogue):
        limiter.reset()
        before = snapshot(world_db)
        response = request.send()
        if response.status_code != 400:
            wrong.append(f"{what}: {response.status_code}")
        elif tables := changed(before, snapshot(world_db)):
            wrong.append(f"{what}: 400, yet {tables} changed")
    assert wrong == [], "\n".join(wrong)
