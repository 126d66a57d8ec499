"""Fixtures of the harness: the small world (per test, on the main test database) and the demo site
(seeded once for the package) with a crawl of every GET route for every demo role."""
from __future__ import annotations

import html
import itertools
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import unquote

import psycopg
import pytest

from tests.conftest import TEST_DB_NAME, Auth, dispose_engines, drop_database, fresh_database
from tests.harness.routes import Catalogue, all_routes, build_path, match
from tests.harness.world import VARIABLES, build_world
from webapp import create_app
from webapp.core.config import sqlalchemy_url
from webapp.core.extensions import limiter
from webapp.core.migrations import upgrade
from webapp.demo import DEMO_PASSWORD


@pytest.fixture(scope="package")
def world_site(tmp_path_factory):
    """The harness's world in a database of its own: Ada, who owns one object of each kind, and a
    member, a provider and a growth user who own none of them; signed in once for the package."""
    name = f"{TEST_DB_NAME}_world"
    url = fresh_database(name)
    upgrade(url)
    folder = tmp_path_factory.mktemp("harness-world")
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": sqlalchemy_url(url), "SMTP_URL": None,
                      "DIRECTORY_COUNT_CACHE_SECONDS": 0,
                      "OUTBOX_DIR": str(folder / "outbox"), "UPLOAD_DIR": str(folder / "uploads")})
    with psycopg.connect(url, autocommit=True) as conn:
        yield build_world(app, conn, folder / "outbox")
    dispose_engines(app)
    drop_database(name)


@pytest.fixture
def world(world_site):
    """The world with objects made for this test."""
    return world_site.refresh()


@pytest.fixture
def world_db(world_site):
    """The world's database connection (for integrity snapshots)."""
    return world_site.conn


# --- the demo site --------------------------------------------------------------------------------

DEMO_ROLES = {"anonymous": None, "buyer": "buyer@demo.test", "provider": "provider@demo.test",
              "growth": "growth@demo.test"}
# Pages link to files (styles, generated art, pictures) as well as pages: the crawl requests each file
# route from the URL map once, but does not follow every picture on every page.
FILES = {"static", "art.avatar", "art.scene", "feed.media"}
PAGES_PER_ENDPOINT = 8  # enough to walk every page of the demo feed, bounded for the rest


@dataclass
class DemoSite:
    app: object
    url: str
    conn: object

    def one(self, query: str, *args):
        row = self.conn.execute(query, args).fetchone()
        return row[0] if row else None

    def column(self, query: str, *args) -> list:
        return [r[0] for r in self.conn.execute(query, args)]

    def client(self, email: str | None):
        client = self.app.test_client()
        if email:
            limiter.reset()  # the harness signs in often; how often an address may try is not its subject
            response = Auth(client).login(email, DEMO_PASSWORD)
            assert response.status_code == 303, f"demo log-in failed for {email}"
        return client

    def user_id(self, email: str | None) -> str | None:
        return self.one("select user_id from app_user where email = %s", email) if email else None

    def link_tokens(self, viewer_id: str | None) -> list[str]:
        from webapp.alerts.links import SALTS, token_for

        search_id = self.one("select search_id from saved_search where user_id = %s order by search_id limit 1",
                             viewer_id) or "ssv_none"
        from webapp.reporting.readers import token_for as reader_token

        link_id = self.one("select link_id from reader_link order by created_at limit 1") or "rdl_none"
        with self.app.app_context():
            return [*(token_for(action, search_id) for action in SALTS), reader_token(link_id)]

    def band_two_author(self) -> str:
        """The e-mail of an author with a post in band 2 (every demo account shares the demo password)."""
        return self.one("select u.email from feed_post p join app_user u on u.user_id = p.author_id"
                        " where p.nsfw_band = 2 order by p.created_at desc limit 1")

    def values(self, viewer_id: str | None) -> dict[str, list]:
        """Demo objects for every URL variable, as `viewer_id` would reach them; never a band-2 post or
        picture (a URL carrying one would echo it back in a redirect's next=, which proves nothing)."""
        authors = self.column("select distinct author_id from feed_post where nsfw_band = 2 order by 1")
        visible = ("select feed_id from feed_post where is_published and nsfw_band = %s"
                   " and author_id is distinct from %s order by created_at desc limit 1")
        feed_ids = self.column("(select feed_id from feed_post where author_id = %s and nsfw_band < 2"
                               "  order by is_published, created_at desc limit 2)", viewer_id)
        feed_ids += [self.one(visible, 0, viewer_id), self.one(visible, 1, viewer_id)]
        media = self.column("select m.media_id from feed_media m join feed_post p using (feed_id)"
                            " where p.feed_id = any(%s) order by m.position limit 4", feed_ids)
        values = {
            "feed_id": feed_ids,
            "position": [0],
            "media_id": media,
            "pending_id": self.column("select pending_id from feed_pending_media where user_id = %s order by 1"
                                      " limit 1", viewer_id) or ["fdu_none"],
            "search_id": self.column("select search_id from saved_search where user_id = %s order by search_id"
                                     " limit 2", viewer_id) or ["ssv_none"],
            "user_id": self.column("select user_id from service_profile where user_id = any(%s) or user_id = %s",
                                   authors, viewer_id),
            "studio_id": self.column("(select studio_id from studio where owner_user_id = any(%s) limit 2)"
                                     " union (select studio_id from studio order by studio_id limit 1)", authors),
            "creator_id": self.column("(select creator_id from fansub_creator where user_id = any(%s) limit 2)"
                                      " union (select creator_id from fansub_creator order by 1 limit 1)", authors),
            "target_kind": ["service_profile"],
            "target_id": authors[:1],
            "code": ["demo-invite"],
            # An active program and an inactive one (the demo has both)
            "program_id": self.column("(select program_id from referral_program where active order by created_at"
                                      "  limit 1) union all (select program_id from referral_program where not active"
                                      "  order by created_at limit 1)"),
            "entry_id": self.column("select entry_id from credit_ledger where kind = 'award' order by 1 limit 1")
            or ["crl_none"],
            "invite_code": self.column("select code from referral_code where user_id = %s order by 1 limit 2",
                                       viewer_id) or ["demo-invite"],
            "seed": ["harness"],
            # The streamed file and one drawn from the overview; the demo's reader link, if it has one.
            "table": ["invites", "summary"],
            "link_id": self.column("select link_id from reader_link order by 1 limit 1") or ["rdl_none"],
            "filename": ["css/app.css"],
            "message_id": ["no-such-message"],  # the demo sends no mail
            "notification_id": self.column("select notification_id from notification where user_id = %s"
                                           " order by 1 limit 2", viewer_id) or ["ntf_none"],
            # The alert e-mail's links of the viewer's first search (each route gets its own valid
            # token and the other action's, which it refuses with 400).
            "token": self.link_tokens(viewer_id),
        }
        assert set(values) == set(VARIABLES), "demo values and VARIABLES differ"
        assert all(v for v in values.values()), {k: v for k, v in values.items() if not v}
        return values


@pytest.fixture(scope="package")
def demo_site(tmp_path_factory):
    """The demo data set (`flask seed`) in a database of the harness's own, with an app on it."""
    name = f"{TEST_DB_NAME}_harness"
    url = fresh_database(name)
    upgrade(url)
    folder = tmp_path_factory.mktemp("harness-demo")
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": sqlalchemy_url(url),
                      "OUTBOX_DIR": str(folder / "outbox"), "UPLOAD_DIR": str(folder / "uploads"), "SMTP_URL": None})
    result = app.test_cli_runner().invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    with psycopg.connect(url, autocommit=True) as conn:
        yield DemoSite(app, url, conn)
    dispose_engines(app)
    drop_database(name)


@dataclass
class Visit:
    role: str
    url: str
    htmx: bool
    endpoint: str
    status: int
    text: str  # the body with entities and percent-escapes decoded, as a reader or a script would see it


@dataclass
class Crawl:
    visits: list[Visit] = field(default_factory=list)
    clients: dict[str, object] = field(default_factory=dict)
    catalogue: Catalogue = field(default_factory=Catalogue)

    def endpoints(self, role: str) -> set[str]:
        return {v.endpoint for v in self.visits if v.role == role}


def reader_text(response) -> str:
    # Lenient: some answers are pictures (a QR code's PNG), and their bytes are searched all the same.
    body = html.unescape(response.get_data().decode("utf-8", "replace"))
    return body + "\n" + unquote(body)


def start_urls(site: DemoSite, viewer_id: str | None) -> list[str]:
    """Every GET route of the URL map, its variables filled with each combination of demo objects."""
    values = site.values(viewer_id)
    urls = []
    for route in all_routes(site.app, include_flask_own=True):
        if route.method != "GET":
            continue
        names = list(route.arguments)
        for combo in itertools.product(*(values[n] for n in names)):
            urls.append(build_path(site.app, route, dict(zip(names, combo, strict=True))))
    return urls


def crawl_as(site: DemoSite, crawl: Crawl, role: str, email: str | None) -> None:
    """Request every start URL, then follow the links pages offer (bounded per endpoint), each as a
    plain request and as htmx; learn every form and link on the way."""
    client = crawl.clients[role] = site.client(email)
    url_map = site.app.url_map
    queue = start_urls(site, site.user_id(email))
    seen: set[str] = set()
    per_endpoint: Counter = Counter()
    starts = len(queue)
    while queue:
        url = queue.pop(0)
        starting = starts > 0
        starts -= 1
        endpoint = match(url_map, "GET", url)
        if url in seen or endpoint is None or url.startswith("/logout"):
            continue
        if not starting and (endpoint in FILES or per_endpoint[endpoint] >= PAGES_PER_ENDPOINT):
            continue
        seen.add(url)
        per_endpoint[endpoint] += 1
        for htmx in (False, True):
            response = client.get(url, headers={"HX-Request": "true"} if htmx else {}, buffered=True)
            crawl.visits.append(Visit(role, url, htmx, endpoint, response.status_code, reader_text(response)))
            if response.mimetype == "text/html":
                queue.extend(crawl.catalogue.add_page(url_map, response.get_data(as_text=True), url))


@pytest.fixture(scope="package")
def demo_crawl(demo_site) -> Crawl:
    """Every GET route for every demo role, and every page they link to (bounded), plain and htmx."""
    crawl = Crawl()
    roles = dict(DEMO_ROLES, author=demo_site.band_two_author())
    for role, email in roles.items():
        crawl_as(demo_site, crawl, role, email)
    return crawl


@pytest.fixture(scope="package")
def catalogue(demo_crawl) -> Catalogue:
    """The form fields and query parameters the demo site's pages send, per route."""
    return demo_crawl.catalogue

