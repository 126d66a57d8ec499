"""safe_next: a `next` a request names is followed only to a path on this site."""
import pytest

from webapp.core.urls import is_site_path, safe_next

FALLBACK = "/"

HOSTILE = [
    "//evil.example",  # another host, scheme-relative
    "///evil.example",
    "/\\evil.example",  # browsers read a backslash as a slash
    "\\\\evil.example",
    "/a\\b",
    "https://evil.example/",
    "http:evil.example",
    "javascript:alert(1)",
    "data:text/html,hi",
    "evil.example",  # not a path at all
    "people",
    " /people",
    "/\t/evil.example",  # browsers drop tabs and newlines inside URLs
    "/\n/evil.example",
    "/\r\n/evil.example",
    "\x00/evil.example",
    "/\x7f",
    "/people /x",
    "/\u2028/evil.example",  # a line separator
    "/\u00a0",  # a no-break space
    "/%5Cevil.example",  # encoded backslash
    "/%5cevil.example",
    "/%2F%2Fevil.example",  # encoded slashes that decode to `//`
    "/%2f/evil.example",
    "/%252F%252Fevil.example",  # encoded twice
    "/%09/evil.example",  # an encoded tab
    "/%0d%0aSet-Cookie:x=1",
    "",
    None,
]

GOOD = [
    "/",
    "/people?x=1",
    "/people/usr_01hz?before=1.usr_x",
    "/feed?kind=case_study&city=berlin",
    "/people?city=berlin&all_field=role_tags&all_op=has&all_value=makeup-artist",
    "/people?q=two+words",
    "/people?q=two%20words",  # whitespace in the query cannot change the host
    "/studios#results",
]


@pytest.mark.parametrize("target", HOSTILE)
def test_a_hostile_next_falls_back(target):
    assert safe_next(target, FALLBACK) == FALLBACK
    assert not is_site_path(target)


@pytest.mark.parametrize("target", GOOD)
def test_a_path_on_this_site_is_kept(target):
    assert safe_next(target, FALLBACK) == target


def test_the_fallback_is_whatever_the_caller_chose():
    assert safe_next("//evil.example", "/feed") == "/feed"
    assert safe_next(None, "") == ""


def test_each_kind_of_profile_links_to_its_own_page():
    from webapp import create_app
    from webapp.core.urls import profile_url

    # Building URLs needs the routes, not a database: this one is never connected to.
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:1/none"})
    with app.test_request_context():
        assert profile_url("service_profile", "usr_1") == "/people/usr_1"
        assert profile_url("studio", "ssa_1") == "/studios/ssa_1"
        assert profile_url("fansub_creator", "fsc_1") == "/creators/fsc_1"


def test_a_link_built_by_a_command_in_development_leads_to_where_make_run_serves(monkeypatch):
    from webapp import create_app
    from webapp.core.urls import absolute_url, path_building_context

    monkeypatch.setenv("PORT", "8150")
    monkeypatch.delenv("PUBLIC_URL", raising=False)
    app = create_app({"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:1/none"})
    with app.app_context(), path_building_context():
        assert absolute_url("searches.index") == "http://127.0.0.1:8150/searches"
