"""Every state change needs this session's CSRF token: a signed-in browser tricked into sending one is refused.

Every POST/PUT/PATCH/DELETE route of the URL map, plain and htmx, refuses a missing
token, a wrong one and another session's, whether it travels in the X-CSRFToken header
or the form field — with a 400 that says to reload, and nothing changed.

Routes that take no session (the signed internal events endpoint, RFC 8058 one-click
unsubscribe) are exempted from CSRF by name in CSRF_EXEMPT, each with a check of its own
signature; the app's exemptions must be exactly those.
"""
from __future__ import annotations

from collections.abc import Callable

from tests.harness.integrity import changed, snapshot
from tests.harness.routes import all_routes, url_map_app
from webapp.core.extensions import csrf


def events_refuse_unsigned(world, route) -> None:
    """The events endpoint (accounts/access.signed_request): a signed-in browser's request, CSRF token
    and all, is no signature: 401 and nothing recorded. tests/internal/test_signature.py checks the
    signature itself (missing, wrong, another secret, a changed byte, another algorithm)."""
    user = world.others["member"]
    before = snapshot(world.conn)
    for data in ({"csrf_token": world.token(user)}, None):
        response = world.client(user).open(world.path(route), method=route.method, data=data)
        assert response.status_code == 401, response.status_code
    assert changed(before, snapshot(world.conn)) == []


def links_refuse_tampered_tokens(world, route) -> None:
    """The alert e-mail's links (accounts/access.token_link; RFC 8058 one-click unsubscribe comes from
    a mail client, with no session): a signed-in browser's POST, CSRF token and all, with a token not
    signed by us is refused (400) and changes nothing. tests/alerts/test_email.py checks the token
    itself (tampered, another action's, a retired key, a rotated one)."""
    user = world.others["member"]
    before = snapshot(world.conn)
    own = world.link_token(route)
    tampered = own[:-4] + ("AAAA" if not own.endswith("AAAA") else "BBBB")
    for data in ({"csrf_token": world.token(user)}, None):
        response = world.client(user).open(world.path(route, token=tampered), method=route.method, data=data)
        assert response.status_code == 400, response.status_code
    assert changed(before, snapshot(world.conn)) == []


# endpoint -> a check that the route refuses a request without its own signature: check(world, route).
CSRF_EXEMPT: dict[str, Callable] = {"internal.events": events_refuse_unsigned,
                                    "alerts.unsubscribe": links_refuse_tampered_tokens,
                                    "alerts.pause": links_refuse_tampered_tokens}

REFUSAL = "Reload the page and try again"
HX = {"HX-Request": "true"}


def exempted_endpoints(app) -> set[str]:
    """The endpoints Flask-WTF lets through without a token (views and whole blueprints)."""
    exempt_blueprints = {bp.name for bp in csrf._exempt_blueprints}
    return {endpoint for endpoint, view in app.view_functions.items()
            if f"{view.__module__}.{view.__name__}" in csrf._exempt_views
            or endpoint.split(".")[0] in exempt_blueprints}


def state_changing_routes():
    return [r for r in all_routes() if r.changes_state and r.endpoint not in CSRF_EXEMPT]


def test_the_app_exempts_exactly_the_declared_routes_each_with_its_own_signature_check(world):
    app = url_map_app()
    routes = {r.endpoint: r for r in all_routes() if r.changes_state}
    # CSRF guards only state-changing methods: a GET-only token link (the shared growth overview) is
    # exempted by its rule (accounts.access.token_link) to no effect, and needs no declaring here.
    assert exempted_endpoints(app) & set(routes) == set(CSRF_EXEMPT), "declare each CSRF exemption in CSRF_EXEMPT"
    assert sorted(set(CSRF_EXEMPT) - set(routes)) == [], "CSRF_EXEMPT names a route that is gone"
    for endpoint, refuses_unsigned in CSRF_EXEMPT.items():
        refuses_unsigned(world, routes[endpoint])


def forged_requests(own: str, others: str):
    """(what, form, headers): a missing token, a wrong one (the session's own, altered) and another
    session's, each in the form field and in the header, each plain and as htmx."""
    # The second-to-last character: the last one of a base64 signature carries padding bits, and
    # "A" for "B" there (1 token in 16) decodes to the same signature, which is then rightly accepted.
    wrong = own[:-2] + ("A" if own[-2] != "A" else "B") + own[-1]
    cases = [("no token", {}, {})]
    for what, token in (("a wrong token", wrong), ("another session's token", others)):
        cases += [(f"{what} in the form", {"csrf_token": token}, {}),
                  (f"{what} in the X-CSRFToken header", {}, {"X-CSRFToken": token})]
    for what, form, headers in cases:
        yield what, form, headers
        yield f"{what} (htmx)", form, {**headers, **HX}


def test_every_state_change_without_this_session_s_token_is_refused(world, world_db):
    routes = state_changing_routes()
    assert len(routes) >= 15
    other_session = world.token(world.others["member"])
    before = snapshot(world_db)
    accepted = []
    for route in routes:
        user = world.actor(route)
        own = world.token(user)
        for what, form, headers in forged_requests(own, other_session):
            response = world.client(user).open(world.path(route), method=route.method, data=form, headers=headers)
            if response.status_code != 400 or REFUSAL not in response.get_data(as_text=True):
                accepted.append(f"{route} with {what}: {response.status_code}")
    assert accepted == [], "\n".join(accepted)
    assert changed(before, snapshot(world_db)) == []


def test_the_same_requests_with_the_session_s_token_get_past_the_check(world):
    """The refusals above are the token's doing: with the right one, in either place, no route says to reload."""
    refused = []
    for route in sorted(state_changing_routes(), key=lambda r: r.ends_session):  # logging out last
        user = world.actor(route)
        for place in ("form", "header"):
            token = world.token(user)  # read again each time: logging out ends the session and its token
            form, headers = ({"csrf_token": token}, {}) if place == "form" else ({}, {"X-CSRFToken": token})
            response = world.client(user).open(world.path(route), method=route.method, data=form, headers=headers)
            if REFUSAL in response.get_data(as_text=True):
                refused.append(f"{route}: {response.status_code}")
            if route.ends_session:
                world.signed_out(user)
    assert refused == [], "\n".join(refused)
