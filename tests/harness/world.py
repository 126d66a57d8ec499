"""A small world for the harness: one object of each kind owned by one provider, and someone of every role.

VARIABLES is the harness's one list of URL variables. Each says whose object it
names: OWNED ones must answer 404/403 to everyone but the owner (the ownership
test requests each such route as every other role), SHARED ones are open to
anyone signed in by design, each with its reason. A route with a variable this
list does not know fails the suite until someone says which it is.

The world lives in a database of its own for the whole harness: its people log in
once (a log-in is a deliberately slow password check), and every test gets freshly
made objects, so what one test changed never decides what the next one sees.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from tests.conftest import TEST_PASSWORD, Auth, csrf_token, insert_user
from tests.feed.factories import make_creator, make_media, make_post, make_profile, make_studio
from webapp.core.ids import new_id

OWNED = "owned"
SHARED = "shared"

VARIABLES: dict[str, tuple[str, str]] = {
    "feed_id": (OWNED, "a draft is its author's alone (published posts are shown through the feed, not by id)"),
    "media_id": (OWNED, "a picture of a draft is its author's alone"),
    "pending_id": (OWNED, "a picture chosen in the editor and not yet posted is its author's alone"),
    "search_id": (OWNED, "saved searches are private to their owner"),
    "message_id": (OWNED, "an e-mail in the development outbox belongs to its recipient"),
    "notification_id": (OWNED, "a notification is its recipient's alone"),
    "position": (SHARED, "an index into the post named beside it, not an object of its own"),
    "user_id": (SHARED, "people's profile pages are open to every signed-in user"),
    "studio_id": (SHARED, "studio pages are open to every signed-in user"),
    "creator_id": (SHARED, "creator pages are open to every signed-in user"),
    "target_kind": (SHARED, "anyone may follow any profile or creator"),
    "target_id": (SHARED, "anyone may follow any profile or creator"),
    "code": (SHARED, "invite links are public by design"),
    "program_id": (SHARED, "referral programs are the product's, not a person's: every growth user runs every one, "
                           "and every route naming one is role_required(\"growth\")"),
    "entry_id": (SHARED, "a ledger entry as the growth team's user page names it: every route naming one is "
                         "role_required(\"growth\"), and the entry must be the named user's (else 404)"),
    "invite_code": (OWNED, "/invites offers the QR download of the holder's own codes only"),
    "seed": (SHARED, "generated art is public and holds no data"),
    "token": (SHARED, "a signed link (accounts.access.token_link): an alert e-mail's names one search and one "
                      "action, a reader link one fixed view of the growth overview; holding it is the permission, "
                      "with no session; the harness fills in a valid token for each route (World.path)"),
    "table": (SHARED, "the name of a growth export (summary, invites…), not an object: every route naming one is "
                      "role_required(\"growth\")"),
    "link_id": (SHARED, "a reader link as the growth team manages it: every route naming one is "
                        "role_required(\"growth\"); every growth user manages every link"),
    "filename": (SHARED, "static files are public"),
}

# Routes that act on anyone's object because acting on everyone's is their job; each must be
# restricted to a role (the access test checks that every other role is refused).
ACTS_ON_ANY_OWNER: dict[str, str] = {
    "feed.set_band": "the growth team moderates every author's posts",
}

ROLES = ("member", "provider", "growth")


@dataclass
class World:
    app: object
    conn: object  # autocommit psycopg connection to the world's database
    outbox: Path
    owner: dict  # Ada, a provider: owns one object of each OWNED kind
    others: dict[str, dict]  # role -> a user of that role who owns nothing of Ada's
    values: dict[str, object] = field(default_factory=dict)  # URL variable -> Ada's object (or a shared one)
    _clients: dict[str, object] = field(default_factory=dict)
    _checked: set[str] = field(default_factory=set)
    _made: int = 0

    # --- people ---------------------------------------------------------------------------------
    def client(self, user: dict | None):
        """A test client signed in as `user` (a fresh anonymous one for None), reused within the
        harness; logged in again if a test ended its session."""
        key = user["user_id"] if user else "anonymous"
        if key not in self._checked:
            client = self._clients.get(key)
            if user is None or client is None or client.get("/settings").status_code != 200:
                client = self.app.test_client()
                if user:
                    response = Auth(client).login(user["email"], TEST_PASSWORD)
                    assert response.status_code == 303, f"could not sign in {user['email']}"
            self._clients[key] = client
            self._checked.add(key)
        return self._clients[key]

    def signed_out(self, user: dict | None) -> None:
        """`user`'s session has ended (a route that ends sessions ran): their next client signs in again."""
        self._checked.discard(user["user_id"] if user else "anonymous")

    def token(self, user: dict | None) -> str:
        """The CSRF token of `user`'s session, read from a page as a browser would."""
        client = self.client(user)
        for path in ("/settings", "/login") if user else ("/login", "/settings"):  # a visitor may have signed up
            page = client.get(path)
            if page.status_code == 200:
                return csrf_token(page.get_data(as_text=True))
        raise AssertionError("neither /settings nor /login answers this client with a CSRF token")

    def actor(self, route) -> dict | None:
        """Who may use `route` with the world's values: Ada when the route admits providers, else
        someone of an admitted role; nobody (anonymous) for public routes, for signed ones, whose
        caller is a program holding the secret (`signed_headers`), not a person, and for token links,
        opened from an e-mail in a mail client or a fresh browser."""
        access = route.access
        if access.kind in ("public", "signed", "token"):
            return None
        if access.kind == "login" or "provider" in access.roles:
            return self.owner
        return self.others[access.roles[0]]

    def signed_headers(self, body: bytes) -> dict[str, str]:
        """What a program holding the shared secret sends with `body` (accounts/access.signed_request)."""
        from webapp.core.security import SIGNATURE_HEADER, body_signature

        return {"Content-Type": "application/json",
                SIGNATURE_HEADER: body_signature(self.app.config["INTERNAL_EVENTS_SECRET"], body)}

    def path(self, route, **overrides) -> str:
        from tests.harness.routes import build_path

        values = {**self.values, **overrides}
        if "token" in route.arguments and "token" not in overrides:
            values["token"] = self.link_token(route)
        return build_path(self.app, route, values)

    def link_token(self, route) -> str:
        """A valid token for a token-link route: of Ada's search for the alert e-mail's links (the
        action is the endpoint's name: alerts.unsubscribe, alerts.pause), of the world's reader link
        for the shared growth overview."""
        from webapp.alerts.links import token_for
        from webapp.reporting.readers import token_for as reader_token

        with self.app.app_context():
            if route.endpoint == "reporting.shared":
                return reader_token(self.values["link_id"])
            return token_for(route.endpoint.rsplit(".", 1)[1], self.values["search_id"])

    # --- objects --------------------------------------------------------------------------------
    def refresh(self) -> World:
        """Fresh objects for Ada, and every session checked again before use."""
        from webapp.core.extensions import limiter

        conn = self.conn
        # A band-1 draft: were it published, an opted-in user could reveal its picture; as a draft nobody but Ada may.
        preview = [{"position": 0, "alt": "Ada's draft picture", "width": 640, "height": 400}]
        feed_id = make_post(conn, self.owner["user_id"], title="Ada's draft", band=1, published=False,
                            media_preview=preview)
        media_id = make_media(conn, feed_id, src="/media/scene/ada-draft.svg", alt="Ada's draft picture")
        search_id = new_id("ssv")
        self._made += 1  # a user holds each search once: each test's search asks something new
        query = {"all": [{"field": "rate_cents", "op": "lte", "value": 10_000 + self._made},
                         {"field": "role_tags", "op": "has", "value": "photographer"}], "any": []}
        conn.execute("insert into saved_search (search_id, user_id, scope, query_json, city, name)"
                     " values (%s, %s, 'people', %s::jsonb, 'berlin', %s)",
                     (search_id, self.owner["user_id"], json.dumps(query), f"Ada's search {search_id[-6:]}"))
        alert_id = new_id("ssa")
        conn.execute("insert into saved_search_alert (alert_id, search_id, alert_dt, match_count, inapp_created)"
                     " values (%s, %s, current_date, 1, true)", (alert_id, search_id))
        notification_id = new_id("ntf")
        conn.execute("insert into notification (notification_id, user_id, kind, alert_id, title)"
                     " values (%s, %s, 'search_alert', %s, 'A new match for Ada')",
                     (notification_id, self.owner["user_id"], alert_id))
        self.values.update(feed_id=feed_id, media_id=media_id, search_id=search_id,
                           pending_id=self._pending_picture(),
                           message_id=self._mail(self.owner["email"]), notification_id=notification_id)
        self._checked.clear()
        limiter.reset()  # log-in attempts of earlier tests count against the same address
        return self

    def _pending_picture(self) -> str:
        """A picture Ada chose in the editor and has not posted yet, its file where the app keeps uploads."""
        from webapp.feed import uploads

        pending_id, key = new_id("fdu"), f"{new_id('fdu')}.webp"
        with self.app.app_context():
            folder = uploads.upload_dir()
            folder.mkdir(parents=True, exist_ok=True)
            (folder / key).write_bytes(b"RIFF\x00\x00\x00\x00WEBP")
        self.conn.execute("insert into feed_pending_media (pending_id, user_id, storage_key, width, height)"
                          " values (%s, %s, %s, 640, 400)", (pending_id, self.owner["user_id"], key))
        return pending_id

    def _mail(self, to: str) -> str:
        """An e-mail to `to`, delivered the app's own way (into the development outbox)."""
        from webapp.mail.sender import build_message, send

        before = set(self.outbox.glob("*.eml"))
        with self.app.app_context():
            send(build_message(to=to, subject="Your saved search has new matches", text="Three new people."))
        [path] = set(self.outbox.glob("*.eml")) - before
        return path.stem


def make_program(conn) -> str:
    """A program for the growth team's routes to edit, close and reopen, apart from the one behind
    the world's invite code (whose link must keep working). Made inactive, so the invites pages
    hand out no codes for it unless a test opens it; one for the world, not one per test, so
    opened ones cannot pile up."""
    program_id = new_id("rpr")
    conn.execute("insert into referral_program (program_id, name, kind, reward_bips, credit_scope, active)"
                 " values (%s, 'Harness growth program', 'cross_side', 500, 'buyer_fee_only', false)", (program_id,))
    return program_id


def make_invite_code(conn, user: dict) -> str:
    """An active program open to every inviting role, and the user's code for it."""
    program_id = new_id("rpr")
    conn.execute("insert into referral_program (program_id, name, kind, reward_fixed_cents, credit_scope)"
                 " values (%s, 'Harness program', 'cross_side', 1000, 'buyer_fee_only')", (program_id,))
    code = "adaxnvte23"
    conn.execute("insert into referral_code (code, user_id, program_id) values (%s, %s, %s)",
                 (code, user["user_id"], program_id))
    return code


def make_award(conn, user: dict) -> str:
    """A ledger award of the user's (what the growth team may claw back)."""
    entry_id = new_id("crl")
    conn.execute("insert into credit_ledger (entry_id, user_id, kind, amount_cents, reason)"
                 " values (%s, %s, 'award', 1000, 'Harness award')", (entry_id, user["user_id"]))
    return entry_id


def make_reader_link(conn, growth: dict) -> str:
    """A reader link of the growth team's, working for a year (the shared overview's token names it)."""
    link_id = new_id("rdl")
    conn.execute("insert into reader_link (link_id, label, filters, created_by, expires_at)"
                 " values (%s, 'Harness reader link', '{\"range\": \"30d\"}', %s, now() + interval '1 year')",
                 (link_id, growth["user_id"]))
    return link_id


def build_world(app, conn, outbox: Path) -> World:
    """Ada (a provider with a profile, a studio and a creator page) and one other user of each role.
    Everyone has opted in to sensitive media, so only ownership can stand between them and a picture."""
    owner = insert_user(conn, "provider", name="Ada Owner", sensitive_opt_in=True)
    make_profile(conn, owner)
    studio_id = make_studio(conn, owner, name="Ada's Room")
    creator_id = make_creator(conn, owner)
    others = {role: insert_user(conn, role, name=f"Other {role.title()}", sensitive_opt_in=True) for role in ROLES}
    make_profile(conn, others["provider"])
    code = make_invite_code(conn, owner)
    values = dict(position=0, user_id=owner["user_id"], studio_id=studio_id, creator_id=creator_id,
                  target_kind="service_profile", target_id=owner["user_id"], code=code, invite_code=code,
                  program_id=make_program(conn), entry_id=make_award(conn, owner),
                  seed="harness", filename="css/app.css", table="invites",
                  link_id=make_reader_link(conn, others["growth"]))
    return World(app=app, conn=conn, outbox=outbox, owner=owner, others=others, values=values)
