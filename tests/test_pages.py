"""Every page in the spec answers a signed-in user; the growth page only the growth team."""
import re
from datetime import timedelta

import pytest

from tests.conftest import page_text
from tests.directory.helpers import visible
from tests.feed.factories import make_profile

PAGES = ["/", "/people", "/studios", "/searches", "/notifications", "/feed", "/following", "/invites",
         "/credits", "/settings"]


@pytest.mark.parametrize("path", PAGES)
def test_each_page_answers_a_signed_in_member(path, signed_in, client):
    signed_in("member")
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("path", PAGES)
def test_each_page_asks_anonymous_visitors_to_log_in(path, client):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_the_growth_page_is_for_the_growth_team(signed_in, client):
    signed_in("growth")
    assert client.get("/growth").status_code == 200


@pytest.mark.parametrize("role", ["member", "provider"])
def test_the_growth_page_is_forbidden_to_everyone_else(role, signed_in, client):
    signed_in(role)
    response = client.get("/growth")
    assert response.status_code == 403
    assert "You can't see this page" in page_text(response)


def test_the_growth_link_shows_only_for_the_growth_team(signed_in, client):
    signed_in("member")
    assert 'href="/growth"' not in client.get("/").get_data(as_text=True)


def test_an_unknown_invite_code_is_a_clear_404_without_login(client):
    response = client.get("/r/some-code")
    assert response.status_code == 404 and "invite link is not valid" in response.text


def test_login_and_signup_pages_answer_anonymous_visitors(client):
    assert client.get("/login").status_code == 200
    assert client.get("/signup").status_code == 200


def test_a_signed_in_user_sees_their_own_figures_on_the_dashboard(signed_in, client, db_conn):
    user = signed_in("member", name="Dana Dash")
    other = "usr_someoneelse"
    db_conn.execute("insert into credit_ledger (entry_id, user_id, kind, amount_cents, reason) values"
                    " ('crl_1', %s, 'award', 2500, 'test'), ('crl_2', %s, 'award', 9900, 'test')",
                    (user["user_id"], other))
    assert "$25" in page_text(client.get("/"))
    assert "$99" not in page_text(client.get("/"))


def test_the_dashboard_judges_pauses_and_this_weeks_alerts_by_todays_date(signed_in, client, db_conn, frozen_today):
    user = signed_in("member")
    day = lambda n: frozen_today + timedelta(days=n)  # noqa: E731
    for search_id, city, paused_until in (("ssv_a", "berlin", day(0)), ("ssv_b", "paris", day(-1)),
                                          ("ssv_c", "milan", None)):
        db_conn.execute("insert into saved_search (search_id, user_id, scope, query_json, city, paused_until)"
                        " values (%s, %s, 'people', '{\"all\": [], \"any\": []}', %s, %s)",
                        (search_id, user["user_id"], city, paused_until))
    for alert_id, days in (("ssa_1", 0), ("ssa_2", -6), ("ssa_3", -7)):
        db_conn.execute("insert into saved_search_alert (alert_id, search_id, alert_dt, match_count)"
                        " values (%s, 'ssv_c', %s, 1)", (alert_id, day(days)))
    text = visible(client.get("/"))
    assert "3 saved searches · 1 paused" in text  # paused until today still is; until yesterday no longer
    assert "2 alerts this week" in text           # today and six days ago; seven days ago is last week


def _current(response) -> set[str]:
    """The labels of the menu links marked as this page (the menu is drawn twice: desktop and phone)."""
    return set(re.findall(r'aria-current="page">([^<]+)</a>', response.get_data(as_text=True)))


@pytest.mark.parametrize("path, label", [
    ("/", "Dashboard"), ("/people", "People"), ("/studios", "Studios"), ("/feed", "Feed"),
    ("/searches", "Searches"), ("/following", "Following"), ("/invites", "Invites"), ("/credits", "Credits"),
    ("/settings", "Settings"),
])
def test_the_menu_marks_the_page_you_are_on(path, label, signed_in, client):
    signed_in("member")
    assert _current(client.get(path)) == {label}


def test_a_persons_page_counts_as_people_and_your_own_posts_as_the_feed(signed_in, client, db_conn):
    me = signed_in("provider")
    make_profile(db_conn, me)
    assert _current(client.get(f"/people/{me['user_id']}")) == {"People"}
    assert _current(client.get("/feed/mine")) == {"Feed"}


def test_the_menu_links_to_every_feature_page(signed_in, client):
    signed_in("growth")
    body = client.get("/").get_data(as_text=True)
    for path in ("/invites", "/credits", "/growth", "/notifications"):
        assert f'href="{path}"' in body
