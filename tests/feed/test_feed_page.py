"""/feed: published posts, newest first, keyset pages, filters kept in the URL."""
import re

from tests.conftest import page_text
from tests.feed.factories import make_creator, make_post, make_profile

HX = {"HX-Request": "true"}


def titles(response) -> list[str]:
    return re.findall(r'class="post__title" id="[^"]+">([^<]+)</h2>', page_text(response))


def older_link(response) -> str | None:
    match = re.search(r'<a class="button" id="feed-more-link" href="([^"]+)"', response.get_data(as_text=True))
    return match.group(1).replace("&amp;", "&") if match else None


def test_the_feed_shows_published_posts_newest_first(client, signed_in, make_user, db_conn):
    signed_in()
    author = make_user("provider", name="Ana Lens")
    make_profile(db_conn, author)
    make_post(db_conn, author["user_id"], title="Older shoot", minutes_ago=10)
    make_post(db_conn, author["user_id"], title="Newer shoot", minutes_ago=1)
    make_post(db_conn, author["user_id"], title="Secret draft", published=False)
    response = client.get("/feed")
    assert response.status_code == 200
    assert titles(response) == ["Newer shoot", "Older shoot"]
    assert "Ana Lens" in page_text(response)


def test_the_feed_needs_a_signed_in_user(client):
    assert client.get("/feed").status_code == 302


def test_older_posts_come_twenty_at_a_time_with_a_plain_link(client, signed_in, make_user, db_conn):
    signed_in()
    author = make_user("provider")
    for n in range(45):
        make_post(db_conn, author["user_id"], title=f"Post {n:02d}", minutes_ago=n)
    first = client.get("/feed")
    assert titles(first) == [f"Post {n:02d}" for n in range(20)]
    second = client.get(older_link(first))
    assert titles(second) == [f"Post {n:02d}" for n in range(20, 40)]
    third = client.get(older_link(second))
    assert titles(third) == [f"Post {n:02d}" for n in range(40, 45)]
    assert older_link(third) is None
    assert "Newest posts" in page_text(third)


def test_infinite_scroll_loads_the_next_cards_as_a_partial(client, signed_in, make_user, db_conn):
    signed_in()
    author = make_user("provider")
    for n in range(25):
        make_post(db_conn, author["user_id"], title=f"Post {n:02d}", minutes_ago=n)
    first = client.get("/feed")
    assert 'hx-trigger="revealed"' in first.get_data(as_text=True)
    partial = client.get(older_link(first), headers=HX)
    body = partial.get_data(as_text=True)
    assert "<html" not in body and 'role="feed"' not in body
    assert titles(partial) == [f"Post {n:02d}" for n in range(20, 25)]
    assert partial.headers["Vary"] == "Cookie, HX-Request" or "HX-Request" in partial.headers["Vary"]


def test_pages_have_no_duplicates_or_gaps_while_posts_are_added(client, signed_in, make_user, db_conn):
    """New posts land on top; a reader paging down sees every older post exactly once."""
    signed_in()
    author = make_user("provider")
    for n in range(50):
        make_post(db_conn, author["user_id"], title=f"Old {n:02d}", minutes_ago=100 + n)
    # Several posts with the very same timestamp: the feed_id breaks the tie.
    from datetime import timedelta

    from tests.feed.factories import BASE_TIME
    for n in range(5):
        make_post(db_conn, author["user_id"], title=f"Tie {n}", created_at=BASE_TIME - timedelta(minutes=110))
    seen: list[str] = []
    response = client.get("/feed")
    seen += titles(response)
    inserted = 0
    while older_link(response):
        inserted += 1
        make_post(db_conn, author["user_id"], title=f"Fresh {inserted}", minutes_ago=-inserted)
        response = client.get(older_link(response), headers=HX)
        seen += titles(response)
    olds = [t for t in seen if not t.startswith("Fresh")]
    assert len(olds) == len(set(olds)) == 55
    assert not [t for t in seen if t.startswith("Fresh")], "posts added later belong above, not in older pages"


def test_filters_narrow_the_feed_and_stay_in_the_url(client, signed_in, make_user, db_conn):
    signed_in()
    author = make_user("provider")
    make_post(db_conn, author["user_id"], title="Paris tour", kind="touring", city="paris", role_tags=["model"])
    make_post(db_conn, author["user_id"], title="Berlin slot", kind="studio_slot", city="berlin", role_tags=["studio"])
    for n in range(22):
        make_post(db_conn, author["user_id"], title=f"Paris case {n}", kind="case_study", city="paris",
                  role_tags=["photographer", "model"], minutes_ago=5 + n)
    assert titles(client.get("/feed?kind=touring")) == ["Paris tour"]
    assert titles(client.get("/feed?city=berlin")) == ["Berlin slot"]
    assert set(titles(client.get("/feed?role=model&kind=touring"))) == {"Paris tour"}
    response = client.get("/feed?city=paris&kind=case_study")
    link = older_link(response)
    assert "city=paris" in link and "kind=case_study" in link
    assert titles(client.get(link)) == ["Paris case 20", "Paris case 21"]
    assert 'selected>Paris</option>' in response.get_data(as_text=True)


def test_following_only_shows_people_and_creators_you_follow(client, signed_in, make_user, db_conn):
    me = signed_in()
    person = make_user("provider", name="Followed Person")
    make_profile(db_conn, person)
    creator_user = make_user("provider", name="Followed Creator")
    creator_id = make_creator(db_conn, creator_user)
    stranger = make_user("provider", name="Stranger")
    make_profile(db_conn, stranger)
    make_post(db_conn, person["user_id"], title="From the person")
    make_post(db_conn, creator_user["user_id"], title="From the creator", minutes_ago=1)
    make_post(db_conn, stranger["user_id"], title="From a stranger", minutes_ago=2)
    db_conn.execute("insert into follow (follower_user_id, target_id, target_kind) values (%s, %s, 'service_profile'),"
                    " (%s, %s, 'fansub_creator')", (me["user_id"], person["user_id"], me["user_id"], creator_id))
    assert titles(client.get("/feed?following=1")) == ["From the person", "From the creator"]
    assert len(titles(client.get("/feed"))) == 3


def test_following_only_with_nobody_followed_says_what_to_do(client, signed_in):
    signed_in()
    assert "Follow people and creators to see their posts here." in page_text(client.get("/feed?following=1"))


def test_an_unknown_filter_value_gets_a_clear_message(client, signed_in):
    signed_in()
    response = client.get("/feed?kind=gossip")
    assert response.status_code == 400
    assert "There is no post kind called “gossip”." in page_text(response)


def test_a_tampered_cursor_gets_a_clear_message(client, signed_in):
    signed_in()
    response = client.get("/feed?before=123.fdp_x'--")
    assert response.status_code == 400
    assert "That page link is broken." in page_text(response)


def test_verified_authors_carry_the_chip(client, signed_in, make_user, db_conn):
    signed_in()
    verified = make_user("provider", name="Vera Verified")
    make_profile(db_conn, verified, verified=True)
    plain = make_user("provider", name="Paul Plain")
    make_profile(db_conn, plain)
    make_post(db_conn, verified["user_id"], title="Verified post")
    make_post(db_conn, plain["user_id"], title="Plain post", minutes_ago=1)
    body = page_text(client.get("/feed"))
    cards = body.split('<article ')[1:]
    assert "✓ Verified" in cards[0] and "Verified post" in cards[0]
    assert "✓ Verified" not in cards[1]


def test_band_zero_pictures_are_images_with_alt_text_and_fixed_size(client, signed_in, make_user, db_conn):
    signed_in()
    author = make_user("provider")
    make_post(db_conn, author["user_id"], title="With picture", media_preview=[
        {"src": "/media/scene/abc.svg?label=Shoot", "alt": "Model on a rooftop", "width": 640, "height": 400}])
    body = client.get("/feed").get_data(as_text=True)
    assert '<img src="/media/scene/abc.svg?label=Shoot" alt="Model on a rooftop" width="640" height="400"' in body


def test_each_article_is_a_focusable_numbered_item_of_the_feed_named_by_title_and_author(
        client, signed_in, make_user, db_conn):
    signed_in()
    author = make_user("provider")
    ids = [make_post(db_conn, author["user_id"], title=f"Post {n}", minutes_ago=n) for n in range(3)]
    body = client.get("/feed").get_data(as_text=True)
    for place, feed_id in enumerate(ids, start=1):
        tag = re.search(rf'<article [^>]*id="post-{feed_id}"[^>]*>', body).group(0)
        assert f'aria-posinset="{place}"' in tag and 'aria-setsize="-1"' in tag and 'tabindex="0"' in tag
        assert f'aria-labelledby="post-{feed_id}-title post-{feed_id}-author"' in tag
        assert f'id="post-{feed_id}-author"' in body


def test_the_older_posts_trigger_sits_after_the_feed_not_in_it(client, signed_in, make_user, db_conn):
    signed_in()
    author = make_user("provider")
    for n in range(25):
        make_post(db_conn, author["user_id"], title=f"Post {n:02d}", minutes_ago=n)
    body = client.get("/feed").get_data(as_text=True)
    feed = body[body.index('role="feed"'):body.index('id="feed-more"')]
    assert feed.count("<article ") == 20 and "Older posts" not in feed
    assert 'hx-target="#feed" hx-swap="beforeend"' in body
    # The next page's answer: its cards, and the next trigger (here the end note) out of band.
    partial = page_text(client.get(older_link(client.get("/feed")), headers=HX))
    assert partial.count("<article ") == 5
    assert '<div class="feed-more" id="feed-more" hx-swap-oob="true">' in partial
    assert "That's every post." in partial
