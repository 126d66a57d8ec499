"""Band 2 never leaves the server: no page or partial, for anyone, names a band-2 post or its pictures.

The crawl (conftest.demo_crawl) requests every GET route of the URL map for every demo
role — anonymous, buyer, provider, growth, and an author of band-2 posts — and follows
the links the pages offer, each as a plain request and as htmx.
"""
from __future__ import annotations

from tests.harness.conftest import reader_text
from tests.harness.routes import all_routes

# What readers may see of everything else: a title or alt text that also appears here is no evidence.
OTHER_TEXT = """
select string_agg(t, chr(10)) from (
  select title || chr(10) || coalesce(body_md, '') from feed_post where nsfw_band < 2 and feed_id <> all(%s)
  union all select m.alt || ' ' || coalesce(m.src, '') from feed_media m join feed_post p using (feed_id)
    where p.nsfw_band < 2 and p.feed_id <> all(%s)
  union all select display_name || ' ' || coalesce(headline, '') || ' ' || coalesce(bio_md, '') from service_profile
  union all select name || ' ' || coalesce(description_md, '') from studio
  union all select display_name || ' ' || coalesce(bio_md, '') from fansub_creator
  union all select display_name from app_user
  union all select coalesce(name, '') from saved_search
) as public(t)
"""


def post_markers(site, feed_ids: list[str]) -> dict[str, str]:
    """{text: what it is} that would show these posts: ids always; titles, alt texts and picture
    sources unless the same text also belongs to something readers may see."""
    public = site.one(OTHER_TEXT, feed_ids, feed_ids) or ""
    markers = {}
    for feed_id, title in site.conn.execute(
            "select feed_id, title from feed_post where feed_id = any(%s)", (feed_ids,)):
        markers[feed_id] = f"id of {feed_id}"
        if title not in public:
            markers[title] = f"title of {feed_id}"
    for media_id, feed_id, alt, src, key in site.conn.execute(
            "select media_id, feed_id, alt, src, storage_key from feed_media where feed_id = any(%s)", (feed_ids,)):
        markers[media_id] = f"picture {media_id} of {feed_id}"
        for text, what in ((alt, "alt text"), ((src or "").split("?")[0], "picture source"), (key, "stored file")):
            if text and text not in public:
                markers[text] = f"{what} of {feed_id}"
    return markers


def leaks(visits, markers: dict[str, str]) -> list[str]:
    return [f"{v.role} {'htmx ' if v.htmx else ''}GET {v.url}: {what} ({text!r})"
            for v in visits for text, what in markers.items() if text in v.text]


def band_two_posts(site) -> list[str]:
    return site.column("select feed_id from feed_post where nsfw_band = 2 order by feed_id")


def test_the_crawl_reaches_every_get_route_for_every_role_and_each_answers(demo_crawl):
    get_endpoints = {r.endpoint for r in all_routes(include_flask_own=True) if r.method == "GET"}
    for role in demo_crawl.clients:
        assert get_endpoints <= demo_crawl.endpoints(role), (role, get_endpoints - demo_crawl.endpoints(role))
    failed = [f"{v.role} {'htmx ' if v.htmx else ''}GET {v.url}: {v.status}" for v in demo_crawl.visits
              if v.status >= 500 or v.status == 429]
    assert failed == [], "\n".join(failed)


def test_no_page_or_partial_shows_a_band_two_post_to_anyone(demo_site, demo_crawl):
    posts = band_two_posts(demo_site)
    markers = post_markers(demo_site, posts)
    assert len(posts) >= 2 and len(markers) > len(posts), "the demo data should hold band-2 posts with pictures"
    assert leaks(demo_crawl.visits, markers) == []


def test_no_route_serves_a_band_two_post_or_picture_by_its_id(demo_site, demo_crawl):
    feed_id = band_two_posts(demo_site)[0]
    author = demo_site.one("select u.email from feed_post p join app_user u on u.user_id = p.author_id"
                           " where p.feed_id = %s", feed_id)
    media_id = demo_site.one("select media_id from feed_media where feed_id = %s order by position", feed_id)
    values = {"feed_id": feed_id, "media_id": media_id, "position": 0}
    routes = [r for r in all_routes() if r.method == "GET" and set(r.arguments) & {"feed_id", "media_id"}]
    assert routes
    for role, client in dict(demo_crawl.clients, author=demo_site.client(author)).items():
        if role == "anonymous":
            continue
        for route in routes:
            path = route.rule.replace("<int:position>", "0")
            for name, value in values.items():
                path = path.replace(f"<{name}>", str(value))
            assert client.get(path).status_code in (403, 404), f"{role} GET {path}"


def test_a_post_moved_to_band_two_vanishes_at_once_from_every_page(demo_site, demo_crawl):
    # The visible post with pictures shown on the most pages; the crawl has warmed every cache with it.
    candidates = demo_site.column("select distinct p.feed_id from feed_post p join feed_media m using (feed_id)"
                                  " where p.is_published and p.nsfw_band = 0")
    feed_id = max(candidates, key=lambda f: sum(f in v.text for v in demo_crawl.visits))
    shown_on = [v for v in demo_crawl.visits if feed_id in v.text and feed_id not in v.url]
    markers = post_markers(demo_site, [feed_id])
    assert len(shown_on) >= 4 and len(markers) >= 3, (len(shown_on), markers)

    cli = demo_site.app.test_cli_runner()
    result = cli.invoke(args=["feed", "set-band", feed_id, "2", "--by", "growth@demo.test"])
    assert result.exit_code == 0, result.output
    try:
        again = []
        for visit in shown_on:
            response = demo_crawl.clients[visit.role].get(visit.url, headers={"HX-Request": "true"} if visit.htmx
                                                          else {})
            again.append(type(visit)(visit.role, visit.url, visit.htmx, visit.endpoint, response.status_code,
                                     reader_text(response)))
        assert leaks(again, markers) == []
    finally:
        result = cli.invoke(args=["feed", "set-band", feed_id, "0", "--by", "growth@demo.test"])
        assert result.exit_code == 0, result.output

