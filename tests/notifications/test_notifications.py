"""/notifications: newest first in keyset pages, the header's unread count, marking read, opening
one onto its search's new matches, and nobody else's notifications."""
import re
from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

from tests.directory.helpers import HX, visible
from tests.notifications.helpers import alerted, at, make_alert, make_notification, make_search, many_unread
from webapp.notifications.service import PAGE_SIZE

DAY = date(2026, 3, 10)


def badge(response) -> str | None:
    match = re.search(r'class="account__badge"[^>]*>([^<]+)<', response.get_data(as_text=True))
    return match.group(1) if match else None


def test_the_list_shows_the_users_notifications_newest_first(client, signed_in, db_conn):
    user = signed_in()
    alerted(db_conn, user["user_id"], DAY, title="Older alert", created_at=at(DAY))
    alerted(db_conn, user["user_id"], DAY + timedelta(days=1), title="Newer alert", created_at=at(DAY, 18))
    text = visible(client.get("/notifications"))
    assert text.index("Newer alert") < text.index("Older alert")
    assert "Alert of 10 Mar 2026 · 3 new" in text


def test_the_list_pages_with_a_cursor_and_every_notification_shows_once(client, signed_in, db_conn):
    user = signed_in()
    many_unread(db_conn, user["user_id"], PAGE_SIZE + 5)
    first = client.get("/notifications")
    ids = re.findall(r'id="notification-(ntf_\w+)"', first.get_data(as_text=True))
    assert len(ids) == PAGE_SIZE
    next_url = re.search(r'href="(/notifications\?after=[^"]+)"', first.get_data(as_text=True)).group(1)
    rest = client.get(next_url.replace("&amp;", "&"), headers=HX)  # "Show more": the next rows alone
    more = re.findall(r'id="notification-(ntf_\w+)"', rest.get_data(as_text=True))
    assert len(more) == 5 and not set(ids) & set(more)
    assert "Show more" not in rest.get_data(as_text=True)
    assert ids + more == sorted(ids + more)  # many_unread numbers them newest first


def test_a_cursor_we_did_not_make_is_a_clear_400(client, signed_in):
    signed_in()
    response = client.get("/notifications?after=bogus")
    assert response.status_code == 400 and "Start again from the newest notification" in visible(response)


def test_no_notifications_says_how_they_come(client, signed_in):
    signed_in()
    assert "No notifications yet" in visible(client.get("/notifications"))


def test_the_header_shows_the_unread_count_on_every_page(client, signed_in, db_conn):
    user = signed_in()
    alerted(db_conn, user["user_id"], DAY)
    alerted(db_conn, user["user_id"], DAY + timedelta(days=1))
    alerted(db_conn, user["user_id"], DAY + timedelta(days=2), read=True)
    for path in ("/", "/people", "/searches", "/notifications"):
        response = client.get(path)
        assert badge(response) == "2", path
        assert 'aria-label="Notifications, 2 unread"' in response.get_data(as_text=True)


def test_no_unread_shows_no_count(client, signed_in, db_conn):
    user = signed_in()
    alerted(db_conn, user["user_id"], DAY, read=True)
    assert badge(client.get("/")) is None


def test_the_unread_count_stops_at_99_plus(client, signed_in, db_conn):
    user = signed_in()
    many_unread(db_conn, user["user_id"], 150)
    response = client.get("/")
    assert badge(response) == "99+" and "Notifications, 99+ unread" in response.get_data(as_text=True)


def test_99_unread_still_shows_the_number(client, signed_in, db_conn):
    user = signed_in()
    many_unread(db_conn, user["user_id"], 99)
    assert badge(client.get("/")) == "99"


def test_mark_one_as_read_with_a_plain_form(auth, client, signed_in, db_conn):
    user = signed_in()
    one = alerted(db_conn, user["user_id"], DAY)
    alerted(db_conn, user["user_id"], DAY + timedelta(days=1))
    response = auth.post(f"/notifications/{one}/read", page="/notifications")
    assert response.status_code == 303 and response.headers["Location"] == "/notifications"
    assert db_conn.execute("select read_at is not null from notification where notification_id = %s",
                           (one,)).fetchone()[0]
    assert badge(client.get("/notifications")) == "1"


def test_mark_one_as_read_with_htmx_answers_the_row_and_the_bell(auth, signed_in, db_conn):
    user = signed_in()
    one = alerted(db_conn, user["user_id"], DAY, title="Berlin photographers")
    alerted(db_conn, user["user_id"], DAY + timedelta(days=1))
    response = auth.post(f"/notifications/{one}/read", page="/notifications", headers=HX)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'id="notification-{one}"' in body and "notification--unread" not in body and "Mark as read" not in body
    assert 'id="notification-bell"' in body and 'hx-swap-oob="true"' in body and badge(response) == "1"


def test_mark_all_as_read(auth, client, signed_in, db_conn):
    user = signed_in()
    for n in range(3):
        alerted(db_conn, user["user_id"], DAY + timedelta(days=n))
    response = auth.post("/notifications/read", page="/notifications")
    assert response.status_code == 303
    page = client.get("/notifications")
    assert "Marked 3 notifications as read." in visible(page) and badge(page) is None


def test_marking_read_needs_the_csrf_token(client, signed_in, db_conn):
    user = signed_in()
    one = alerted(db_conn, user["user_id"], DAY)
    assert client.post(f"/notifications/{one}/read").status_code == 400
    assert client.post("/notifications/read").status_code == 400
    assert badge(client.get("/")) == "1"


def test_another_users_notification_is_404_and_stays_unread(auth, signed_in, make_user, db_conn):
    signed_in()
    other = make_user()
    theirs = alerted(db_conn, other["user_id"], DAY)
    assert auth.post(f"/notifications/{theirs}/read", page="/notifications").status_code == 404
    assert auth.post(f"/notifications/{theirs}/open", page="/notifications").status_code == 404
    assert auth.post("/notifications/ntf_nosuchthing/open", page="/notifications").status_code == 404
    assert db_conn.execute("select read_at from notification where notification_id = %s",
                           (theirs,)).fetchone()[0] is None


def test_mark_all_leaves_other_users_unread(auth, signed_in, make_user, db_conn):
    signed_in()
    other = make_user()
    theirs = alerted(db_conn, other["user_id"], DAY)
    auth.post("/notifications/read", page="/notifications")
    assert db_conn.execute("select read_at from notification where notification_id = %s",
                           (theirs,)).fetchone()[0] is None


def test_opening_marks_read_and_lands_on_the_search_with_new_since_the_previous_alert(
        auth, client, signed_in, db_conn, make_profile):
    user = signed_in()
    search_id = make_search(db_conn, user["user_id"], created_at=at(DAY - timedelta(days=10)))
    make_alert(db_conn, search_id, DAY - timedelta(days=3))
    notification = make_notification(db_conn, user["user_id"], make_alert(db_conn, search_id, DAY))
    make_profile("Old Lens", roles=("photographer",), created_at=at(DAY - timedelta(days=5)))
    make_profile("Fresh Lens", roles=("photographer",), created_at=at(DAY - timedelta(days=1)))
    make_profile("Not A Match", roles=("stylist",), created_at=at(DAY - timedelta(days=1)))

    response = auth.post(f"/notifications/{notification}/open", page="/notifications")
    assert response.status_code == 303
    location = response.headers["Location"]
    assert urlsplit(location).path == "/people"
    args = parse_qs(urlsplit(location).query)
    assert args["since"] == ["2026-03-07"] and args["all_value"] == ["photographer"] and args["city"] == ["berlin"]

    page = client.get(location)
    text = visible(page)
    assert "New since 7 Mar 2026" in text
    assert "Fresh Lens New" in text and "Old Lens New" not in text and "Not A Match" not in text
    assert badge(page) is None  # opened, so read


def test_a_first_alert_marks_what_appeared_since_the_search_was_saved(auth, signed_in, db_conn):
    user = signed_in()
    search_id = make_search(db_conn, user["user_id"], created_at=at(DAY - timedelta(days=4)))
    notification = make_notification(db_conn, user["user_id"], make_alert(db_conn, search_id, DAY))
    location = auth.post(f"/notifications/{notification}/open", page="/notifications").headers["Location"]
    assert parse_qs(urlsplit(location).query)["since"] == ["2026-03-05"]


def test_opening_with_htmx_redirects_the_browser(auth, signed_in, db_conn):
    user = signed_in()
    notification = alerted(db_conn, user["user_id"], DAY)
    response = auth.post(f"/notifications/{notification}/open", page="/notifications", headers=HX)
    assert response.headers["HX-Redirect"].startswith("/people?")


def test_a_malformed_since_marks_nothing_and_the_directory_still_shows(client, signed_in, make_profile):
    signed_in()
    make_profile("Fresh Lens", roles=("photographer",))
    response = client.get("/people?city=berlin&since=yesterday")
    assert response.status_code == 200 and "Fresh Lens" in visible(response)
    assert "New since" not in visible(response)
