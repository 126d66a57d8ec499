"""Nobody reaches another user's objects: every route naming an owned object refuses everyone else.

Ada (a provider) owns one object of each kind the URL map names (tests/harness/world.py,
VARIABLES). Every route with such a variable is requested with Ada's object by a member,
a provider and a growth user who own nothing of hers — reading, and changing with a valid
CSRF token and the form Ada's own page would send, plain and htmx — and must answer 404
or 403 with nothing changed.
"""
from __future__ import annotations

from tests.harness.integrity import changed, snapshot
from tests.harness.routes import all_routes, browser_form
from tests.harness.world import ACTS_ON_ANY_OWNER, OWNED, ROLES, VARIABLES


def owned_routes():
    return [r for r in all_routes() if any(VARIABLES.get(a, (None,))[0] == OWNED for a in r.arguments)
            and r.endpoint not in ACTS_ON_ANY_OWNER]


def admitted_roles(route) -> list[str]:
    return list(route.access.roles) if route.access.kind == "role" else list(ROLES)


def test_every_url_variable_says_whose_object_it_names():
    unknown = sorted({a for r in all_routes() for a in r.arguments} - set(VARIABLES))
    assert unknown == [], "add these URL variables to VARIABLES in tests/harness/world.py"


def test_routes_that_act_on_anyone_s_objects_are_staff_routes():
    routes = {r.endpoint: r for r in all_routes()}
    assert sorted(set(ACTS_ON_ANY_OWNER) - set(routes)) == [], "ACTS_ON_ANY_OWNER names a route that is gone"
    assert [e for e in ACTS_ON_ANY_OWNER if routes[e].access.kind != "role" or "member" in routes[e].access.roles
            or "provider" in routes[e].access.roles] == []


def test_the_owner_reaches_every_one_of_her_objects(world):
    """What the other users are refused below is really there: Ada opens each of her objects."""
    wrong = []
    for route in (r for r in owned_routes() if r.method == "GET"):
        response = world.client(world.owner).get(world.path(route), buffered=True)
        if response.status_code >= 400:
            wrong.append(f"{route} answered {response.status_code}")
    assert wrong == [], "\n".join(wrong)


def test_no_other_user_reaches_someone_else_s_object(world, world_db, catalogue):
    routes = owned_routes()
    assert {"feed_id", "media_id", "search_id", "message_id"} <= {a for r in routes for a in r.arguments}
    before = snapshot(world_db)
    reached = []
    for route in routes:
        for role in admitted_roles(route):
            user = world.others[role]
            form = browser_form(catalogue.form_fields(route)) if route.changes_state else None
            for htmx in (False, True):
                data = dict(form, csrf_token=world.token(user)) if route.changes_state else None
                response = world.client(user).open(world.path(route), method=route.method, data=data,
                                                   headers={"HX-Request": "true"} if htmx else {}, buffered=True)
                if response.status_code not in (403, 404):
                    reached.append(f"{role}{' (htmx)' if htmx else ''}: {route} answered {response.status_code}")
    assert reached == [], "\n".join(reached)
    assert changed(before, snapshot(world_db)) == []
