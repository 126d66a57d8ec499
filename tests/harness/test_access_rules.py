"""Every route says who may use it, and means it.

Each view carries exactly one access marker (webapp/accounts/access.py): `public`,
`login_required`, `role_required(...)`, `signed_request` or `token_link`. A route added without
one fails here; each marker's promise is then checked against the route itself: log-in routes send
anonymous callers to the log-in page, role routes refuse every other role (the
growth routes: members, providers and anonymous callers), signed routes answer 401 to
anyone who does not sign the request, signed in or not, and token links answer 400 to a token
that is not theirs, whoever asks.
"""
from __future__ import annotations

from tests.harness.integrity import changed, snapshot
from tests.harness.routes import access_rules, all_routes
from tests.harness.world import ROLES
from webapp import create_app
from webapp.accounts.access import login_required, public


def undeclared(app) -> list[str]:
    """Endpoints (Flask's static files aside) that carry no access rule, or more than one."""
    return sorted(f"{r.endpoint} ({len(r.rules)} rules)" for r in all_routes(app) if len(r.rules) != 1)


def test_every_route_declares_exactly_one_access_rule():
    assert undeclared(None) == []


def bare_app():
    return create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://unused@127.0.0.1/unused"})


def test_a_route_added_without_an_access_rule_is_caught():
    app = bare_app()
    app.add_url_rule("/forgotten", "forgotten", lambda: "open to anyone by accident")
    assert undeclared(app) == ["forgotten (0 rules)"]


def test_a_route_with_two_access_rules_is_caught():
    app = bare_app()
    app.add_url_rule("/confused", "confused", public(login_required(lambda: "which is it?")))
    assert undeclared(app) == ["confused (2 rules)"]
    assert access_rules(app.view_functions["confused"])[0].kind == "login"


def sent_to_log_in(response) -> bool:
    return response.status_code in (302, 303) and response.headers["Location"].startswith("/login")


def test_every_public_page_answers_anonymous_visitors(world):
    pages = [r for r in all_routes() if r.access.kind == "public" and r.method == "GET"]
    assert len(pages) >= 5  # log-in, sign-up, health check, art, the invite page
    answers = {str(r): world.client(None).get(world.path(r), buffered=True).status_code for r in pages}
    assert {route: status for route, status in answers.items() if status != 200} == {}


def test_every_signed_in_route_sends_anonymous_callers_to_log_in(world, world_db):
    before = snapshot(world_db)
    wrong = []
    for route in (r for r in all_routes() if r.access.kind not in ("public", "signed", "token")):
        data = {"csrf_token": world.token(None)} if route.changes_state else None
        response = world.client(None).open(world.path(route), method=route.method, data=data)
        if not sent_to_log_in(response):
            wrong.append(f"{route} answered {response.status_code}")
    assert wrong == [], "\n".join(wrong)
    assert changed(before, snapshot(world_db)) == []


def test_every_signed_route_refuses_unsigned_callers_signed_in_or_not(world, world_db):
    """A program's route: no log-in page to send anyone to, and a session opens nothing. A 401, in
    JSON, to anonymous callers and to every role, with this session's CSRF token or without."""
    routes = [r for r in all_routes() if r.access.kind == "signed"]
    assert routes, "the events endpoint is signed"
    before = snapshot(world_db)
    wrong = []
    for route in routes:
        for user in (None, *world.others.values()):
            for data in (None, {"csrf_token": world.token(user)}):
                response = world.client(user).open(world.path(route), method=route.method, data=data)
                if response.status_code != 401 or not response.is_json:
                    wrong.append(f"{user['role'] if user else 'anonymous'}: {route} answered {response.status_code}")
    assert wrong == [], "\n".join(wrong)
    assert changed(before, snapshot(world_db)) == []


def test_every_token_link_refuses_a_token_not_its_own_signed_in_or_not(world, world_db):
    """A link from an e-mail needs no session, and a session opens nothing: a tampered token, or a
    valid token of another action, answers 400 to anonymous callers and to every role alike."""
    routes = [r for r in all_routes() if r.access.kind == "token"]
    assert routes, "the alert e-mail's unsubscribe and pause links are token links"
    before = snapshot(world_db)
    wrong = []
    for route in routes:
        own = world.link_token(route)
        others = [world.link_token(r) for r in routes if r.endpoint != route.endpoint]
        for token in [own[:-4] + ("AAAA" if not own.endswith("AAAA") else "BBBB"), *others]:
            for user in (None, *world.others.values()):
                data = {"csrf_token": world.token(user)} if route.changes_state else None
                response = world.client(user).open(world.path(route, token=token), method=route.method, data=data)
                if response.status_code != 400:
                    wrong.append(f"{user['role'] if user else 'anonymous'}: {route} answered {response.status_code}")
    assert wrong == [], "\n".join(wrong)
    assert changed(before, snapshot(world_db)) == []


def test_every_role_route_refuses_every_other_role(world, world_db):
    """The growth team's routes refuse members and providers; the providers' refuse members and the
    growth team (anonymous callers: the test above)."""
    routes = [r for r in all_routes() if r.access.kind == "role"]
    assert {"growth", "provider"} <= {role for r in routes for role in r.access.roles}
    before = snapshot(world_db)
    wrong = []
    for route in routes:
        refused = [role for role in ROLES if role not in route.access.roles]
        if not refused:
            wrong.append(f"{route} admits every role: mark it login_required instead")
        for role in refused:
            user = world.others[role]
            data = {"csrf_token": world.token(user)} if route.changes_state else None
            response = world.client(user).open(world.path(route), method=route.method, data=data)
            if response.status_code != 403:
                wrong.append(f"{role}: {route} answered {response.status_code}")
    assert wrong == [], "\n".join(wrong)
    assert changed(before, snapshot(world_db)) == []


def test_someone_of_an_admitted_role_gets_past_every_rule(world):
    """The refusals above are the rules' doing, not broken requests: each route lets its own people in."""
    wrong = []
    for route in sorted(all_routes(), key=lambda r: r.ends_session):  # logging out last
        user = world.actor(route)
        data = {"csrf_token": world.token(user)} if route.changes_state else None
        headers = {}
        if route.access.kind == "signed":  # a program with the secret: past the rule, its body is refused (400)
            data = b"{}"
            headers = world.signed_headers(data)
        response = world.client(user).open(world.path(route), method=route.method, data=data, headers=headers,
                                           buffered=True)
        # Ending the session sends its user to log in (no `next`): the route's own answer, not the rule's.
        own_answer = route.ends_session and "next=" not in response.headers.get("Location", "")
        if response.status_code in (401, 403) or (user and sent_to_log_in(response) and not own_answer):
            wrong.append(f"{route} answered {response.status_code}")
        if route.ends_session:
            world.signed_out(user)
    assert wrong == [], "\n".join(wrong)


def test_every_route_under_growth_is_for_the_growth_team_only():
    growth = [r for r in all_routes() if r.rule == "/growth" or r.rule.startswith("/growth/")]
    assert growth, "the growth page is in the URL map"
    assert [str(r) for r in growth if r.access.kind != "role" or r.access.roles != ("growth",)] == []
