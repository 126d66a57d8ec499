"""The URL map, read for the harness: every route, its access rule, and the forms and links pages offer.

Every harness test is generated from `app.url_map`, so a route added later joins
them all by itself. What a route accepts is learned from the rendered pages (their
<form> elements and the query strings of their links), so a new form or filter
joins the hostile-input test the day it is drawn.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map

from webapp import create_app
from webapp.accounts.access import Access

STATE_CHANGING = ("POST", "PUT", "PATCH", "DELETE")
IGNORED_METHODS = {"HEAD", "OPTIONS"}
FLASK_OWN = {"static"}  # Flask's static files: no view of ours, no access marker to carry
# Routes that end the caller's session: a sweep as one user runs them after every other route.
ENDS_SESSION = {"accounts.logout", "accounts.sign_out_everywhere"}


@dataclass(frozen=True)
class Route:
    endpoint: str
    rule: str
    method: str
    arguments: tuple[str, ...]
    converters: tuple[tuple[str, str], ...]  # (argument, converter name), e.g. ("position", "IntegerConverter")
    rules: tuple[Access, ...]  # the access markers on the view (exactly one, the access test insists)

    def __str__(self) -> str:
        return f"{self.method} {self.rule}"

    @property
    def access(self) -> Access:
        assert len(self.rules) == 1, f"{self} carries {len(self.rules)} access rules"
        return self.rules[0]

    @property
    def changes_state(self) -> bool:
        return self.method in STATE_CHANGING

    @property
    def ends_session(self) -> bool:
        return self.endpoint in ENDS_SESSION

    def string_arguments(self) -> list[str]:
        """The URL variables that take any text (the ones a hostile path segment can reach)."""
        return [name for name, conv in self.converters if conv in ("UnicodeConverter", "PathConverter")]

    def int_arguments(self) -> list[str]:
        return [name for name, conv in self.converters if conv == "IntegerConverter"]


@cache
def url_map_app():
    """An app built only to read its URL map (it never connects to a database)."""
    return create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://unused@127.0.0.1/unused"})


def access_rules(view) -> tuple[Access, ...]:
    return tuple(getattr(view, "access_rules", ()))


def all_routes(app=None, *, include_flask_own: bool = False) -> list[Route]:
    """One Route per (rule, method) of the app, sorted by path then method."""
    app = app or url_map_app()
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in FLASK_OWN and not include_flask_own:
            continue
        view = app.view_functions[rule.endpoint]
        converters = tuple((name, type(conv).__name__) for name, conv in rule._converters.items())
        for method in sorted(rule.methods - IGNORED_METHODS):
            found.append(Route(rule.endpoint, rule.rule, method, tuple(sorted(rule.arguments)), converters,
                               access_rules(view)))
    return sorted(found, key=lambda r: (r.rule, r.method))


def routes_where(predicate) -> list[Route]:
    return [r for r in all_routes() if predicate(r)]


def build_path(app, route: Route, values: dict) -> str:
    """The route's path with its URL variables filled (percent-encoded, so hostile values travel as sent)."""
    adapter = app.url_map.bind("localhost")
    return adapter.build(route.endpoint, {k: values[k] for k in route.arguments}, method=route.method)


def param_ids(routes: list[Route]) -> list[str]:
    return [str(r) for r in routes]


# --- pages: forms and links --------------------------------------------------------------------


@dataclass
class Field:
    name: str
    kind: str  # text, textarea, select, checkbox, radio, hidden, file, submit…
    values: list[str] = field(default_factory=list)  # the values the page offers (options, defaults)


@dataclass
class Form:
    targets: list[tuple[str, str]]  # (METHOD, url) the form can send to: action, hx-*, a button's formaction
    fields: list[Field]


class PageParser(HTMLParser):
    """Forms (with their controls) and the URLs a page links to or fetches with htmx."""

    def __init__(self, base: str):
        super().__init__(convert_charrefs=True)
        self.base = base
        self.forms: list[Form] = []
        self.links: list[tuple[str, str]] = []  # (METHOD, url) outside forms: links, hx-get, hx-post…
        self._form: Form | None = None
        self._select: Field | None = None

    def _url(self, value: str) -> str:
        return urljoin(self.base, value)

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        hx = [(m.upper(), self._url(a[f"hx-{m}"])) for m in ("get", "post", "put", "patch", "delete") if f"hx-{m}" in a]
        if tag == "form":
            method = (a.get("method") or "get").upper()
            targets = [(method, self._url(a.get("action") or self.base))] + hx
            self._form = Form(targets, [])
            return
        if tag == "a" and a.get("href"):
            self.links.append(("GET", self._url(a["href"])))
        if self._form is not None:
            if tag in ("button", "input") and (a.get("formaction") or hx):
                method = (a.get("formmethod") or self._form.targets[0][0]).upper()
                if a.get("formaction"):
                    self._form.targets.append((method, self._url(a["formaction"])))
                self._form.targets.extend(hx)
            if tag == "input" and a.get("name"):
                kind = (a.get("type") or "text").lower()
                self._form.fields.append(Field(a["name"], kind, [a.get("value", "")]))
            elif tag == "textarea" and a.get("name"):
                self._form.fields.append(Field(a["name"], "textarea", []))
            elif tag == "button" and a.get("name"):
                self._form.fields.append(Field(a["name"], "submit", [a.get("value", "")]))
            elif tag == "select" and a.get("name"):
                self._select = Field(a["name"], "select", [])
                self._form.fields.append(self._select)
            elif tag == "option" and self._select is not None:
                self._select.values.append(a.get("value", ""))
        else:
            self.links.extend(hx)
            if tag in ("input", "select", "textarea") and a.get("name"):
                for method, url in hx:  # a lone control that sends itself (hx-get on a select…)
                    self.forms.append(Form([(method, url)], [Field(a["name"], tag, [])]))

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        elif tag == "select":
            self._select = None


def parse_page(html: str, base: str) -> PageParser:
    parser = PageParser(base)
    parser.feed(html)
    parser.close()
    return parser


def same_site_path(url: str) -> str | None:
    """The path and query of a same-site URL, or None for another site (or a fragment-only link)."""
    parts = urlsplit(url)
    if parts.scheme not in ("", "http") or parts.netloc not in ("", "localhost"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def match(url_map: Map, method: str, url: str) -> str | None:
    """The endpoint serving `method url`, or None."""
    path = same_site_path(url)
    if path is None:
        return None
    try:
        endpoint, _ = url_map.bind("localhost").match(urlsplit(path).path, method=method)
    except HTTPException:
        return None
    return endpoint


class Catalogue:
    """What the pages send to each (endpoint, method): form fields and query parameters, by name."""

    def __init__(self):
        self.fields: dict[tuple[str, str], dict[str, Field]] = {}
        self.query: dict[tuple[str, str], set[str]] = {}

    def __repr__(self) -> str:  # short, for Hypothesis's report of a failing example
        return f"Catalogue({len(self.fields)} forms, {len(self.query)} link targets)"

    def add_page(self, url_map: Map, html: str, base: str) -> list[str]:
        """Learn a page's forms and links; returns the same-site GET URLs it points to."""
        page = parse_page(html, base)
        for form in page.forms:
            for method, url in form.targets:
                endpoint = match(url_map, method, url)
                if endpoint is None:
                    continue
                self._query(endpoint, method, url)
                known = self.fields.setdefault((endpoint, method), {})
                for f in form.fields:
                    if f.name in known:
                        known[f.name].values.extend(v for v in f.values if v not in known[f.name].values)
                    else:
                        known[f.name] = Field(f.name, f.kind, list(f.values))
        gets = []
        for method, url in page.links:
            endpoint = match(url_map, method, url)
            if endpoint is None:
                continue
            self._query(endpoint, method, url)
            if method == "GET":
                gets.append(same_site_path(url))
        return gets

    def _query(self, endpoint: str, method: str, url: str) -> None:
        names = {name for name, _ in parse_qsl(urlsplit(url).query, keep_blank_values=True)}
        self.query.setdefault((endpoint, method), set()).update(names)

    def form_fields(self, route: Route) -> dict[str, Field]:
        return self.fields.get((route.endpoint, route.method), {})

    def all_query_names(self) -> set[str]:
        """Every query parameter any page sends to any GET route."""
        return {n for (_, method), names in self.query.items() if method == "GET" for n in names} | {
            n for (_, method), fields in self.fields.items() if method == "GET" for n in fields}

    def query_names(self, route: Route) -> set[str]:
        names = set(self.query.get((route.endpoint, route.method), set()))
        if route.method == "GET":  # a GET form's fields are query parameters
            names |= set(self.form_fields(route))
        return names


PLAIN = {"email": "someone@example.com", "password": "a-harness-password", "date": "2030-01-01", "number": "1"}


def browser_form(fields: dict[str, Field]) -> dict[str, str]:
    """Every field filled as a browser would send it (an offered value, else a plain one of its type), so a
    hostile value in one field meets the code behind the form instead of a "required" message."""
    def plain(f):
        offered = [v for v in f.values if v]
        return offered[0] if offered else PLAIN.get(f.kind, "harness")

    return {name: plain(f) for name, f in fields.items() if f.kind != "file" and not name.endswith("csrf_token")}
