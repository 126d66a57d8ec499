"""/searches shows each search's alert history: its last alert, the latest few alerts (day, count,
e-mailed, in-app), and a bounded page of all of them."""
from datetime import date, timedelta

from tests.directory.helpers import HX, visible
from tests.notifications.helpers import make_alert, make_search
from webapp.searches.service import HISTORY_MAX, HISTORY_SHOWN

DAY = date(2026, 3, 10)


def test_a_search_row_shows_its_last_alert_and_its_alerts_with_delivery(client, signed_in, db_conn):
    user = signed_in()
    search_id = make_search(db_conn, user["user_id"], name="Shoot crew")
    make_alert(db_conn, search_id, DAY - timedelta(days=2), count=1, email_sent=True, inapp_created=True)
    make_alert(db_conn, search_id, DAY, count=4, email_sent=False, inapp_created=True)
    text = visible(client.get("/searches"))
    assert "last alert on 10 Mar 2026 (4 new)" in text
    assert "Alert history" in text
    assert "10 Mar 2026 4 new · not e-mailed · in-app" in text
    assert "8 Mar 2026 1 new · e-mailed · in-app" in text
    assert text.index("10 Mar 2026 4 new") < text.index("8 Mar 2026 1 new")
    assert "All alerts" not in text


def test_a_row_shows_only_the_latest_alerts_and_links_to_the_rest(client, signed_in, db_conn):
    user = signed_in()
    search_id = make_search(db_conn, user["user_id"])
    for n in range(HISTORY_SHOWN + 2):
        make_alert(db_conn, search_id, DAY - timedelta(days=n), count=n + 1)
    page = client.get("/searches")
    text = visible(page)
    assert text.count(" new · ") == HISTORY_SHOWN
    assert f"{(DAY - timedelta(days=HISTORY_SHOWN)):%-d %b %Y}" not in text
    assert f'href="/searches/{search_id}/alerts"' in page.get_data(as_text=True)
    everything = visible(client.get(f"/searches/{search_id}/alerts"))
    assert everything.count(" new · ") == HISTORY_SHOWN + 2


def test_the_history_page_is_bounded(client, signed_in, db_conn):
    user = signed_in()
    search_id = make_search(db_conn, user["user_id"])
    db_conn.execute("insert into saved_search_alert (alert_id, search_id, alert_dt, match_count)"
                    " select 'ssa_' || g, %s, %s::date - g, 1 from generate_series(0, %s) g",
                    (search_id, DAY, HISTORY_MAX + 10))
    text = visible(client.get(f"/searches/{search_id}/alerts"))
    assert text.count(" new · ") == HISTORY_MAX and f"(the last {HISTORY_MAX})" in text


def test_a_search_without_alerts_says_so_and_shows_no_history(client, signed_in, db_conn):
    user = signed_in()
    make_search(db_conn, user["user_id"])
    text = visible(client.get("/searches"))
    assert "no alerts yet" in text and "Alert history" not in text


def test_the_history_of_someone_elses_search_is_404(client, signed_in, make_user, db_conn):
    signed_in()
    theirs = make_search(db_conn, make_user()["user_id"])
    make_alert(db_conn, theirs, DAY)
    assert client.get(f"/searches/{theirs}/alerts").status_code == 404


def test_a_paused_row_redrawn_by_htmx_keeps_its_history(auth, signed_in, db_conn):
    user = signed_in()
    search_id = make_search(db_conn, user["user_id"])
    make_alert(db_conn, search_id, DAY, count=2)
    response = auth.post(f"/searches/{search_id}/pause", {"quick": "week"}, page="/searches", headers=HX)
    assert response.status_code == 200 and "10 Mar 2026 2 new" in visible(response)
