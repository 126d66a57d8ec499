"""Jinja filters, globals and the per-request hooks every page relies on."""
from __future__ import annotations

from flask import request

from .htmx import add_vary_header
from .taxonomy import city_name, tag_label

# (path, label, roles allowed or None for every signed-in user)
NAVIGATION = (
    ("/", "Dashboard", None),
    ("/people", "People", None),
    ("/studios", "Studios", None),
    ("/feed", "Feed", None),
    ("/searches", "Searches", None),
    ("/following", "Following", None),
    ("/invites", "Invites", None),
    ("/credits", "Credits", None),
    ("/growth", "Growth", ("growth",)),
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
    """(path, label, is this page) for the signed-in `user`, worked out once per page.

    The layout draws the menu twice (desktop and phone) on every page, so it asks once.
    """
    here = request.path
    return [(path, label, here == path or (path != "/" and here.startswith(path + "/")))
            for path, label, roles in NAVIGATION if roles is None or user.role in roles]


def init_app(app) -> None:
    app.jinja_env.filters.update(money=money, city_name=city_name, tag_label=tag_label)
    app.jinja_env.globals.update(navigation=navigation)
    # Form macros are globals so a block rendered alone (an htmx partial) has them too.
    macros = app.jinja_env.get_template("_form_macros.html").module
    app.jinja_env.globals.update(field=macros.field, form_errors=macros.form_errors)
    app.after_request(add_vary_header)
