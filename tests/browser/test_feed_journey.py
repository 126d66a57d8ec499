"""The feed in Chromium: scroll for older posts, opt in and reveal, follow, filter, publish; nothing hostile runs."""

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browser.conftest import _watched_page, log_in, screenshot
from tests.feed.factories import make_post, make_profile, sensitive_post
from tests.feed.xss_corpus import PAYLOADS

pytestmark = pytest.mark.browser


@pytest.fixture
def feed_world(make_user, db_conn):
    ada = make_user("provider", name="Ada Frame")
    make_profile(db_conn, ada, verified=True, role_tags=["photographer"])
    bo = make_user("provider", name="Bo Stranger")
    make_profile(db_conn, bo, city="paris", role_tags=["model"])
    for n in range(24):
        author = ada if n % 3 == 0 else bo
        make_post(db_conn, author["user_id"], title=f"Shoot number {n:02d}", minutes_ago=10 + n,
                  body_md=f"Day **{n}** of the series.", city="berlin" if author is ada else "paris",
                  role_tags=["photographer"] if author is ada else ["model"],
                  media_preview=[{"src": f"/media/scene/shoot{n}.svg?label=Shoot+{n}", "alt": f"Shoot {n}",
                                  "width": 640, "height": 400}] if n < 3 else None)
    sensitive_post(db_conn, ada["user_id"], band=1, title="Boudoir set", minutes_ago=1,
                   secret="/media/scene/boudoir.svg?label=Revealed")
    sensitive_post(db_conn, ada["user_id"], band=2, title="NEVER-SHOWN", minutes_ago=2,
                   secret="/media/scene/never.svg?label=Never")
    make_post(db_conn, bo["user_id"], title="Hostile text", minutes_ago=3, body_md="\n\n".join(PAYLOADS))
    return {"ada": ada, "bo": bo}


def test_reader_scrolls_reveals_follows_and_filters(page, make_user, feed_world):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    reader = make_user("member", name="Rita Reader")
    log_in(page, reader["email"], reader["password"])

    page.goto("/feed")
    posts = page.locator("article.post")
    expect(posts).to_have_count(20)
    expect(page.get_by_text("NEVER-SHOWN")).to_have_count(0)
    screenshot(page, "feed-first-page")
    page.get_by_role("link", name="Older posts").focus()  # reached by keyboard: it loads as it comes into view
    expect(posts).to_have_count(26)
    expect(page.get_by_text("That's every post.")).to_be_visible()
    expect(focused(page)).to_have_text("That's every post.")  # what replaced the link keeps the focus
    # The feed's articles count on across pages; the trigger sat after the feed, which is no longer busy.
    expect(posts.last).to_have_attribute("aria-posinset", "26")
    expect(page.locator("[role=feed] #feed-more")).to_have_count(0)
    expect(page.locator("[role=feed]")).not_to_have_attribute("aria-busy", "true")
    titles = posts.locator(".post__title").all_inner_texts()
    assert len(titles) == len(set(titles)) == 26
    expect(page.get_by_text("NEVER-SHOWN")).to_have_count(0)

    # Hostile markup arrived as text; nothing ran and we are still logged in.
    assert dialogs == []
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    assert page.evaluate("document.querySelectorAll('.post__body script, .post__body img, .post__body [onerror],"
                         " .post__body iframe, .post__body svg').length") == 0
    assert page.evaluate("[...document.querySelectorAll('.post__body *')].filter(e => [...e.attributes]"
                         ".some(a => a.name.startsWith('hx-') || a.name.startsWith('on')"
                         " || a.value.trim().toLowerCase().startsWith('javascript'))).length") == 0

    # Band 1: blurred, no reveal until opted in on /settings.
    blurred = page.locator(".media--blurred").first
    expect(blurred).to_contain_text("Sensitive media")
    expect(blurred.get_by_role("link", name="Settings")).to_be_visible()
    assert "boudoir" not in page.content()
    blurred.get_by_role("link", name="Settings").click()
    page.get_by_label("Let me reveal blurred sensitive media in the feed").check()
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Settings saved.")).to_be_visible()
    page.goto("/feed")
    assert "boudoir" not in page.content()
    page.get_by_role("link", name="Reveal sensitive picture").click()
    revealed = page.locator("figure.media--revealed img")
    # The focus moves onto the picture that replaced the button, never back to <body>.
    expect(page.locator(":focus")).to_have_accessible_name("Revealed sensitive picture: Boudoir set picture")
    expect(revealed).to_have_attribute("alt", "Boudoir set picture")
    # A property check, not wait_for_function: that polls with eval, which the page's CSP refuses.
    expect(revealed).not_to_have_js_property("naturalWidth", 0)
    screenshot(page, "feed-revealed")

    # Follow Ada from one of her cards; every card of hers shows it.
    card = page.locator("article.post", has_text="Shoot number 00")
    card.get_by_role("button", name="Follow Ada Frame").click()
    expect(card.get_by_role("button", name="Following Ada Frame")).to_be_visible()

    # Following only: the filter is applied in place and kept in the URL.
    page.get_by_label("Following only").check()
    page.wait_for_url("**/feed?*following=1*")
    expect(page.locator("article.post", has_text="Bo Stranger")).to_have_count(0)
    expect(page.locator("article.post", has_text="Shoot number 00")).to_be_visible()
    expect(page.locator("article.post")).to_have_count(9)
    screenshot(page, "feed-following-only")
    page.reload()
    expect(page.get_by_label("Following only")).to_be_checked()
    expect(page.locator("article.post")).to_have_count(9)
    assert dialogs == []


def test_provider_previews_and_publishes_a_post(page, make_user, db_conn, tmp_path):
    pat = make_user("provider", name="Pat Provider")
    make_profile(db_conn, pat)
    picture = tmp_path / "rooftop.png"
    Image.new("RGB", (900, 600), (90, 140, 200)).save(picture)
    log_in(page, pat["email"], pat["password"])

    page.goto("/feed")
    page.get_by_role("link", name="New post").click()
    page.get_by_label("Title").fill("Rooftop editorial")
    page.get_by_label("Kind").select_option("case_study")
    page.get_by_label("Photographer").check()
    page.get_by_label("City").select_option("berlin")
    page.get_by_label("Text (Markdown)").fill("Shot at **golden hour** <script>alert(1)</script>")
    preview = page.locator("#body-preview")
    expect(preview.locator("strong")).to_have_text("golden hour")
    expect(preview.locator("script")).to_have_count(0)
    page.get_by_label("Picture 1", exact=True).set_input_files(str(picture))
    page.get_by_label("Description of picture 1 (alt text)").fill("Model on a rooftop at dusk")
    page.get_by_label("Safe for everyone").check()
    screenshot(page, "feed-new-post")
    page.get_by_role("button", name="Publish").click()
    page.wait_for_url("**/feed/mine")
    expect(page.get_by_text("Your post is published.")).to_be_visible()
    expect(page.locator(".my-post", has_text="Rooftop editorial")).to_contain_text("Published")

    page.goto("/feed")
    card = page.locator("article.post", has_text="Rooftop editorial")
    expect(card.locator(".post__body strong")).to_have_text("golden hour")
    image = card.get_by_role("img", name="Model on a rooftop at dusk")
    expect(image).to_have_attribute("width", "900")
    expect(image).to_have_js_property("naturalWidth", 900)
    screenshot(page, "feed-published")


def test_a_bad_upload_shows_a_message_and_saves_nothing(page, make_user, db_conn, tmp_path):
    pat = make_user("provider", name="Pat Provider")
    make_profile(db_conn, pat)
    fake = tmp_path / "notes.png"
    fake.write_text("not really a picture")
    log_in(page, pat["email"], pat["password"])
    page.goto("/feed/new")
    page.get_by_label("Title").fill("With a fake picture")
    page.get_by_label("Kind").select_option("influence")
    page.get_by_label("Model").check()
    page.get_by_label("Picture 1", exact=True).set_input_files(str(fake))
    page.get_by_label("Description of picture 1 (alt text)").fill("Fake")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("#pictures-error")).to_contain_text("notes.png is not an image we can read")
    expect(page.get_by_label("Title")).to_have_value("With a fake picture")
    assert db_conn.execute("select count(*) from feed_post").fetchone()[0] == 0


def test_the_feed_reads_well_on_a_phone(phone_page, make_user, feed_world):
    reader = make_user("member", name="Phone Reader")
    page = phone_page
    log_in(page, reader["email"], reader["password"])
    page.goto("/feed")
    expect(page.locator("article.post").first).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the feed scrolls sideways on a phone ({width}px wide)"
    screenshot(page, "feed-phone")


def focused(page):
    return page.locator(":focus")


def test_provider_composes_with_two_pictures_previews_reorders_removes_and_posts(page, make_user, db_conn,
                                                                                tmp_path):
    pat = make_user("provider", name="Pat Provider")
    make_profile(db_conn, pat)
    blue, orange = tmp_path / "blue.png", tmp_path / "orange.png"
    Image.new("RGB", (900, 600), (40, 90, 200)).save(blue)
    Image.new("RGB", (600, 900), (230, 120, 0)).save(orange)
    log_in(page, pat["email"], pat["password"])
    page.goto("/feed/new")
    page.get_by_label("Title").fill("Two backdrops")
    page.get_by_label("Kind").select_option("case_study")
    page.get_by_label("Photographer").check()
    page.get_by_label("Text (Markdown)").fill("Paper **backdrops**")
    page.get_by_label("Picture 1", exact=True).set_input_files(str(blue))
    page.get_by_label("Description of picture 1 (alt text)").fill("Blue backdrop")
    page.get_by_label("Picture 2", exact=True).set_input_files(str(orange))
    page.get_by_label("Description of picture 2 (alt text)").fill("Orange backdrop")

    # Preview: the text only, the chosen files stay chosen.
    page.get_by_role("button", name="Preview text").click()
    expect(page.locator("#body-preview strong")).to_have_text("backdrops")
    assert page.evaluate("[...document.querySelectorAll('input[type=file]')].map(i => i.files.length)")[:2] == [1, 1]

    # Added, they show as thumbnails with their descriptions, ready to reorder or remove.
    page.get_by_role("button", name="Add the chosen pictures").click()
    thumbnails = page.locator(".editor__pending img")
    expect(thumbnails).to_have_count(2)
    expect(thumbnails.first).to_have_attribute("alt", "Blue backdrop")
    expect(thumbnails.first).not_to_have_js_property("naturalWidth", 0)
    expect(page.get_by_label("Description of picture 2 (alt text)")).to_have_value("Orange backdrop")
    expect(focused(page)).to_have_accessible_name("Pictures")
    screenshot(page, "feed-composer-pictures")

    page.get_by_role("button", name="Move down picture 1").click()
    expect(thumbnails.first).to_have_attribute("alt", "Orange backdrop")
    expect(focused(page)).to_have_accessible_name("Move up picture 2")
    page.keyboard.press("Enter")  # keyboard: it goes back up
    expect(thumbnails.first).to_have_attribute("alt", "Blue backdrop")
    expect(focused(page)).to_have_accessible_name("Move down picture 1")

    page.get_by_role("button", name="Remove picture 1").click()
    expect(thumbnails).to_have_count(1)
    expect(focused(page)).to_have_accessible_name("Remove picture 1")
    page.get_by_role("button", name="Publish").click()
    page.wait_for_url("**/feed/mine")
    expect(page.get_by_text("Your post is published.")).to_be_visible()

    # In the feed: the one picture left; its date leads to the post's own page.
    page.goto("/feed")
    card = page.locator("article.post", has_text="Two backdrops")
    expect(card.get_by_role("img", name="Orange backdrop")).to_have_js_property("naturalWidth", 600)
    card.get_by_role("link", name="link to this post").click()
    page.wait_for_url("**/feed/posts/fdp_*")
    expect(page.get_by_role("heading", name="Two backdrops")).to_be_visible()
    expect(page.get_by_role("img", name="Orange backdrop")).to_be_visible()
    screenshot(page, "feed-permalink")


def test_an_author_deletes_a_post_from_the_feed_and_the_focus_moves_on(page, make_user, db_conn):
    pat = make_user("provider", name="Pat Provider")
    make_profile(db_conn, pat)
    make_post(db_conn, pat["user_id"], title="Newer post", minutes_ago=1)
    make_post(db_conn, pat["user_id"], title="Older post", minutes_ago=2)
    log_in(page, pat["email"], pat["password"])
    page.goto("/feed")
    asked = []
    page.once("dialog", lambda d: (asked.append(d.message), d.accept()))
    page.locator("article.post", has_text="Newer post").get_by_role("link", name="Delete this post").click()
    expect(page.locator("#messages")).to_contain_text("Post deleted.")
    expect(page.locator("article.post")).to_have_count(1)
    assert asked == ["Delete this post? This can't be undone."]
    expect(focused(page)).to_have_attribute("id", page.locator("article.post").first.get_attribute("id"))
    expect(page.locator("article.post").first).to_have_attribute("aria-posinset", "1")
    page.once("dialog", lambda d: d.accept())
    page.locator("article.post").get_by_role("link", name="Delete this post").click()
    expect(page.locator("article.post")).to_have_count(0)
    expect(focused(page)).to_have_accessible_name("Feed")  # the last one: the page's heading


def test_without_javascript_delete_asks_on_a_page_and_the_composer_keeps_pictures(browser, live_server, make_user,
                                                                                  db_conn, tmp_path):
    context, page, errors = _watched_page(browser, live_server, java_script_enabled=False,
                                          viewport={"width": 1280, "height": 900})
    pat = make_user("provider", name="Pat Provider")
    make_profile(db_conn, pat)
    make_post(db_conn, pat["user_id"], title="Old news")
    picture = tmp_path / "blue.png"
    Image.new("RGB", (900, 600), (40, 90, 200)).save(picture)
    log_in(page, pat["email"], pat["password"])

    page.goto("/feed")
    page.locator("article.post", has_text="Old news").get_by_role("link", name="Delete this post").click()
    expect(page.get_by_role("heading", name="Delete “Old news”?")).to_be_visible()
    screenshot(page, "feed-delete-confirm")
    page.get_by_role("link", name="Keep it").click()
    expect(page.locator("article.post", has_text="Old news")).to_be_visible()  # nothing lost
    page.locator("article.post", has_text="Old news").get_by_role("link", name="Delete this post").click()
    page.get_by_role("button", name="Delete post").click()
    page.wait_for_url("**/feed")
    expect(page.get_by_text("Post deleted.")).to_be_visible()
    expect(page.locator("article.post", has_text="Old news")).to_have_count(0)

    # The preview round-trips the whole form: the chosen picture comes back as a thumbnail.
    page.goto("/feed/new")
    page.get_by_label("Title").fill("Without script")
    page.get_by_label("Text (Markdown)").fill("Plain **HTML**")
    page.get_by_label("Picture 1", exact=True).set_input_files(str(picture))
    page.get_by_label("Description of picture 1 (alt text)").fill("Blue backdrop")
    page.get_by_role("button", name="Preview text").click()
    expect(page.locator("#body-preview strong")).to_have_text("HTML")
    expect(focused(page)).to_have_attribute("id", "body-preview")  # where the person looks next
    expect(page.locator(".editor__pending img")).to_have_attribute("alt", "Blue backdrop")
    expect(page.get_by_label("Title")).to_have_value("Without script")
    page.get_by_label("Kind").select_option("case_study")
    page.get_by_label("Photographer").check()
    page.get_by_role("button", name="Publish").click()
    page.wait_for_url("**/feed/mine")
    page.goto("/feed")
    expect(page.locator("article.post", has_text="Without script").get_by_role("img", name="Blue backdrop")) \
        .to_be_visible()
    context.close()
    assert not errors, f"the page reported errors: {errors}"
