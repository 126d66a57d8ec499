"""Jinja filters, globals and the per-request hooks every page relies on."""
from __future__ import annotations

from typing import NamedTuple

from flask import current_app, request, url_for

from .htmx import add_vary_header, announce_out_of_band
from .taxonomy import city_name, tag_label
from .urls import profile_url


class NavItem(NamedTuple):
    endpoint: str
    label: str
    # Other pages that count as this one: endpoints ("profiles.person") or, without a dot, whole blueprints.
    also: tuple[str, ...] = ()
    roles: tuple[str, ...] | None = None  # None: every signed-in user


NAVIGATION = (
    NavItem("dashboard.index", "Dashboard"),
    NavItem("directory.people", "People", also=("directory.people_builder", "profiles.person")),
    NavItem("directory.studios", "Studios", also=("directory.studios_builder", "profiles.studio")),
    NavItem("feed.index", "Feed", also=("feed",)),
    NavItem("searches.index", "Searches", also=("searches",)),
    NavItem("follows.following", "Following"),
    NavItem("invites.index", "Invites", also=("invites",)),
    NavItem("credits.index", "Credits", also=("credits",)),
    NavItem("reporting.overview", "Growth", also=("growth", "reporting"), roles=("growth",)),
)


def money(cents: int | None, currency: str = "USD") -> str:
    """1234567 -> '$12,345.67' (whole dollars drop the cents)."""
    if cents is None:
        return ""
    sign = "-" if cents < 0 else ""
    dollars, rest = divmod(abs(int(cents)), 100)
    symbol = "$" if currency == "USD" else f"{currency} "
    return f"{sign}{symbol}{dollars:,}" + (f".{rest:02d}" if rest else "")


def navigation(user) -> list[tuple[str, str, bool]]:
    """(url, label, is this page) for the signed-in `user`, worked out once per page.

    The layout draws the menu twice (desktop and phone) on every page, so it asks once.
    """
    urls = _menu_urls()
    endpoint, blueprint = request.endpoint, request.blueprint
    return [(urls[item.endpoint], item.label, endpoint == item.endpoint or endpoint in item.also
             or blueprint in item.also)
            for item in NAVIGATION if item.roles is None or user.role in item.roles]


def _menu_urls() -> dict[str, str]:
    """The menu's URLs, built with url_for on the app's first page and kept: they take no
    arguments, so they never change, and building nine on every page cost about 100 µs."""
    kept = current_app.extensions
    if "navigation_urls" not in kept:
        kept["navigation_urls"] = {item.endpoint: url_for(item.endpoint) for item in NAVIGATION}
    return kept["navigation_urls"]


def no_store_unless_said(response):
    """Pages, partials and JSON are `private, no-store` unless the view chose a cache policy.

    They carry a reader's own data and CSRF token, so neither a shared cache nor the browser's
    disk may keep them (the last page a signed-out user saw must not come back from a cache).
    Responses that state their own policy keep it: static files (revalidated by ETag), the
    generated art (a year, immutable), pictures (private, by band). Decided by the response
    alone, so a static file never loads the signed-in user to find out.
    """
    if "Cache-Control" not in response.headers:
        response.headers["Cache-Control"] = "private, no-store"
    return response


def init_app(app) -> None:
    app.jinja_env.filters.update(money=money, city_name=city_name, tag_label=tag_label)
    app.jinja_env.globals.update(navigation=navigation, profile_url=profile_url)
    # Form and list macros are globals so a block rendered alone (an htmx partial) has them too.
    macros = app.jinja_env.get_template("_form_macros.html").module
    lists = app.jinja_env.get_template("_list_macros.html").module
    app.jinja_env.globals.update(field=macros.field, error_summary=macros.error_summary, more_rows=lists.more_rows,
                                 more_items=lists.more_items)
    app.after_request(add_vary_header)
    app.after_request(announce_out_of_band)
    app.after_request(no_store_unless_said)
