"""Post cards come from a fragment cache: what a reader sees is never stale and never someone else's."""
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
from markupsafe import Markup

from tests.conftest import Auth, page_text
from tests.feed.factories import make_post, make_profile, sensitive_post
from tests.feed.test_posts import post_form
from webapp.core.cache import SLOT, Card, FragmentCache
from webapp.directory.cards import directory_cards
from webapp.feed import queries
from webapp.feed.cards import cards, post_cards

SECRET = "/media/scene/cached-secret.svg?label=CACHED-BAND-ONE"


@pytest.fixture
def second(app):
    """Another browser: a second signed-in reader at the same time as `client`."""
    other = app.test_client()
    return Auth(other)


def sign_in_other(second, make_user, role="member", **kwargs):
    user = make_user(role, **kwargs)
    assert second.login(user["email"]).status_code == 303
    return user


def test_an_edited_post_shows_its_new_text_at_once(client, signed_in, auth, db_conn, second, make_user):
    author = signed_in("provider", name="Pat Provider")
    make_profile(db_conn, author)
    auth.post("/feed/new", post_form(title="First words", body_md="Old body text"), page="/feed/new")
    sign_in_other(second, make_user)
    assert "Old body text" in page_text(second.client.get("/feed"))  # now in the cache
    feed_id = db_conn.execute("select feed_id from feed_post where title = 'First words'").fetchone()[0]
    auth.post(f"/feed/{feed_id}/edit", post_form(title="Second words", body_md="New body text", action="save"),
              page="/feed/mine")
    text = page_text(second.client.get("/feed"))
    assert "Second words" in text and "New body text" in text
    assert "First words" not in text and "Old body text" not in text


def test_unpublishing_takes_a_cached_card_off_the_feed_at_once(client, signed_in, auth, db_conn, second, make_user):
    author = signed_in("provider", name="Pat Provider")
    make_profile(db_conn, author)
    feed_id = make_post(db_conn, author["user_id"], title="Here then gone")
    sign_in_other(second, make_user)
    assert "Here then gone" in page_text(second.client.get("/feed"))
    auth.post(f"/feed/{feed_id}/unpublish", page="/feed/mine")
    assert "Here then gone" not in page_text(second.client.get("/feed"))
    auth.post(f"/feed/{feed_id}/publish", page="/feed/mine")
    assert "Here then gone" in page_text(second.client.get("/feed"))


def test_a_band_change_shows_at_once_and_band_one_never_carries_the_picture(client, signed_in, auth, db_conn, second,
                                                                            make_user):
    author = make_user("provider", name="Ada Author")
    make_profile(db_conn, author)
    feed_id, _ = sensitive_post(db_conn, author["user_id"], band=0, title="Re-banded", secret=SECRET)
    sign_in_other(second, make_user, sensitive_opt_in=True)
    assert SECRET.split("?")[0] in second.client.get("/feed").get_data(as_text=True)  # band 0: shown, cached
    signed_in("growth")
    auth.post(f"/feed/{feed_id}/band", {"band": "1"}, page="/feed")
    body = second.client.get("/feed").get_data(as_text=True)
    assert "Re-banded" in body and "media--blurred" in body
    assert "cached-secret" not in body and "/feed/media/" not in body
    auth.post(f"/feed/{feed_id}/band", {"band": "2"}, page="/feed")
    body = second.client.get("/feed").get_data(as_text=True)
    assert "Re-banded" not in body and "cached-secret" not in body


def test_the_reveal_control_of_an_opted_in_reader_never_reaches_one_who_did_not_opt_in(
        client, signed_in, db_conn, second, make_user):
    author = make_user("provider", name="Ada Author")
    make_profile(db_conn, author)
    sensitive_post(db_conn, author["user_id"], band=1, title="Blurred one", secret=SECRET)
    signed_in(sensitive_opt_in=True)
    sign_in_other(second, make_user, sensitive_opt_in=False)
    for _ in range(2):  # either order, each reader twice: every answer after the first is from the cache
        opted_in = client.get("/feed").get_data(as_text=True)
        not_opted_in = second.client.get("/feed").get_data(as_text=True)
        assert "Reveal<span" in opted_in and "Turn on sensitive media" not in opted_in
        assert "Reveal<span" not in not_opted_in and "/reveal" not in not_opted_in
        assert "Turn on sensitive media" in not_opted_in
        assert "cached-secret" not in opted_in + not_opted_in


def test_follow_buttons_and_band_forms_are_each_readers_own(app, client, signed_in, db_conn, second, make_user):
    author = make_user("provider", name="Ada Author")
    make_profile(db_conn, author)
    feed_id = make_post(db_conn, author["user_id"], title="Shared card")
    growth = signed_in("growth")
    db_conn.execute("insert into follow (follower_user_id, target_id, target_kind) values (%s, %s, 'service_profile')",
                    (growth["user_id"], author["user_id"]))
    first = client.get("/feed").get_data(as_text=True)
    assert f'action="/feed/{feed_id}/band"' in first and "Following<span" in first
    sign_in_other(second, make_user)
    other = second.client.get("/feed").get_data(as_text=True)
    assert "Shared card" in other
    assert "/band" not in other and "Sensitive-media band" not in other
    assert "Following<span" not in other and "Follow<span" in other
    third = Auth(app.test_client())
    own = sign_in_other(third, make_user, "provider", name="Ada Twin")
    db_conn.execute("update feed_post set author_id = %s, updated_at = now() where feed_id = %s",
                    (own["user_id"], feed_id))
    make_profile(db_conn, own)
    mine = third.client.get("/feed").get_data(as_text=True)
    assert "Shared card" in mine and "follow-toggle" not in mine  # no follow button on your own post


def test_a_renamed_or_newly_verified_author_shows_at_once(client, signed_in, db_conn, make_user):
    author = make_user("provider", name="Old Name")
    make_profile(db_conn, author)
    make_post(db_conn, author["user_id"], title="Name check")
    signed_in()
    assert "Old Name" in page_text(client.get("/feed"))
    db_conn.execute("update service_profile set display_name = 'New Name', verified = true where user_id = %s",
                    (author["user_id"],))
    text = page_text(client.get("/feed"))
    assert "New Name" in text and "Old Name" not in text and "Verified" in text


class _Balance(HTMLParser):
    """Checks that every element a fragment opens it also closes, in order."""
    VOID = {"img", "input", "br", "hr", "meta", "link", "source"}

    def __init__(self):
        super().__init__()
        self.open: list[str] = []
        self.broken = False

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag):
        if not self.open or self.open.pop() != tag:
            self.broken = True


def balanced(html: str) -> bool:
    parser = _Balance()
    parser.feed(html)
    parser.close()
    return not parser.broken and not parser.open


def test_cached_cards_are_whole_elements_whatever_fills_their_slots(client, signed_in, db_conn, make_user):
    author = make_user("provider", name="Ada Author")
    make_profile(db_conn, author)
    make_post(db_conn, author["user_id"], title="Whole card", body_md="**Bold** words")
    signed_in("growth")
    post_cards.clear()
    directory_cards.clear()
    client.get("/feed")
    client.get("/people?city=berlin")
    cached = [c for c in [*post_cards.values(), *directory_cards.values()] if isinstance(c, Card)]
    assert len(cached) == 2
    for card in cached:
        assert balanced(card.fill(*[""] * (len(card.parts) - 1)))
        assert balanced(card.fill(*[Markup("<form><button>Own part</button></form>")] * (len(card.parts) - 1)))


def test_a_slot_takes_markup_as_it_is_and_escapes_plain_text():
    card = Card(Markup("<article><header>") + SLOT + Markup("</header>") + SLOT + Markup("</article>"), 2)
    assert card.fill(Markup("<b>mine</b>"), "<i>text</i>") == \
        "<article><header><b>mine</b></header>&lt;i&gt;text&lt;/i&gt;</article>"
    with pytest.raises(ValueError):
        Card(Markup("<article>") + SLOT + Markup("</article>"), 2)


def test_a_post_unpublished_after_its_page_was_read_is_not_drawn(app, db_conn, make_user):
    author = make_user("provider", name="Ada Author")
    make_profile(db_conn, author)
    kept = make_post(db_conn, author["user_id"], title="Kept")
    gone = make_post(db_conn, author["user_id"], title="Gone", minutes_ago=1)
    reader = make_user()
    with app.test_request_context():
        rows = queries.published_posts(limit=10, viewer_id=reader["user_id"])
        db_conn.execute("update feed_post set is_published = false, updated_at = now() where feed_id = %s", (gone,))
        post_cards.clear()
        drawn = [row["feed_id"] for row, _ in cards(rows, SimpleNamespace(sensitive_opt_in=False))]
    assert [r["feed_id"] for r in rows] == [kept, gone] and drawn == [kept]


def test_the_cache_is_bounded_and_drops_the_least_recently_used_first():
    cache = FragmentCache(maxsize=3)
    for key in "abc":
        cache.get_or_render(key, lambda k=key: k.upper())
    cache.get_or_render("a", lambda: "never called")
    cache.get_or_render("d", lambda: "D")
    assert len(cache) == 3 and "b" not in cache and "a" in cache and "d" in cache
    assert cache.get_or_render("a", lambda: "again") == "A"


def test_cards_are_served_from_the_cache_on_the_second_look(client, signed_in, db_conn, make_user):
    author = make_user("provider", name="Ada Author")
    make_profile(db_conn, author)
    for n in range(3):
        make_post(db_conn, author["user_id"], title=f"Cached {n}", minutes_ago=n)
    signed_in()
    first = client.get("/feed").get_data(as_text=True)
    hits = post_cards.hits
    second_look = client.get("/feed").get_data(as_text=True)
    assert post_cards.hits >= hits + 3
    assert second_look.count('class="post card"') == first.count('class="post card"') == 3


def test_every_form_on_a_cached_page_carries_the_readers_own_csrf_token(client, signed_in, db_conn, second,
                                                                        make_user):
    import re

    author = make_user("provider", name="Ada Author")
    make_profile(db_conn, author)
    make_post(db_conn, author["user_id"], title="Token check")
    signed_in("growth")
    sign_in_other(second, make_user)
    pages = [client.get("/feed").get_data(as_text=True), second.client.get("/feed").get_data(as_text=True),
             client.get("/feed").get_data(as_text=True)]
    tokens = []
    for html in pages:
        own = re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)
        in_forms = re.findall(r'name="csrf_token" value="([^"]*)"', html)
        assert in_forms and set(in_forms) == {own}
        tokens.append(own)
    assert tokens[0] != tokens[1]
    assert "csrf-token-slot" not in "".join(pages)
