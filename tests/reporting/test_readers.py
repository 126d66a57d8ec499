"""Reader links: the growth team makes a signed, expiring, read-only link to one view of the overview
(/growth/readers) and can revoke it; whoever holds it sees that view (/shared/growth/<token>) and
nothing else."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from tests.conftest import Auth, page_text
from tests.directory.helpers import visible
from webapp.reporting import readers
from webapp.reporting.model import Filters, Preset

HX = {"HX-Request": "true"}
LINK = {"label": "Board review", "days": "30", "range": "custom", "start": "2026-01-01", "end": "2026-01-31",
        "program": "", "source": "sharecard", "city": ""}


@pytest.fixture
def growth(signed_in):
    return signed_in("growth", name="Gita Growth")


def make_link(auth, **changes) -> str:
    """A link made through the form, as the growth team would; returns its shared path."""
    response = auth.post("/growth/readers", {**LINK, **changes}, page="/growth/readers")
    assert response.status_code == 303, page_text(response)[:800]
    page = page_text(auth.client.get("/growth/readers"))
    return re.findall(r'value="http://localhost(/shared/growth/[^"]+)"', page)[0]  # the newest is listed first


def anonymous(app):
    return app.test_client()


def link_row(db_conn) -> dict:
    cur = db_conn.execute("select * from reader_link order by created_at desc limit 1")
    return dict(zip([c.name for c in cur.description], cur.fetchone(), strict=True))


# --- making one -----------------------------------------------------------------------------------

def test_a_link_keeps_the_view_it_was_made_for(auth, growth, db_conn, frozen_today):
    make_link(auth)

    row = link_row(db_conn)
    assert row["label"] == "Board review"
    assert row["filters"] == {"range": "custom", "start": "2026-01-01", "end": "2026-01-31", "source": "sharecard"}
    assert row["created_by"] == growth["user_id"]
    assert row["expires_at"] - row["created_at"] == timedelta(days=30)


def test_the_list_shows_each_link_with_its_address_to_copy(auth, growth, client):
    path = make_link(auth)

    text = visible(client.get("/growth/readers"))

    assert "Board review" in text and "source: sharecard" in text and "by Gita Growth" in text
    assert path.startswith("/shared/growth/")


@pytest.mark.parametrize("changes, message", [
    ({"label": "  "}, "Give the link a name"),
    ({"days": "91"}, "Between 1 and 90 days."),
    ({"days": "soon"}, "Between 1 and 90 days."),
    ({"end": "2025-12-01"}, "The last day comes before the first"),
    ({"start": "yesterday"}, "Write the day as year-month-day"),
])
def test_a_link_the_form_cannot_make_is_explained_beside_its_field(auth, growth, db_conn, changes, message):
    for headers in ({}, HX):
        response = auth.post("/growth/readers", {**LINK, **changes}, page="/growth/readers", headers=headers)
        assert response.status_code == 422
        assert message in page_text(response)
    assert db_conn.execute("select count(*) from reader_link").fetchone()[0] == 0


def test_making_a_link_needs_the_csrf_token(client, growth, db_conn):
    assert client.post("/growth/readers", data=LINK).status_code == 400
    assert db_conn.execute("select count(*) from reader_link").fetchone()[0] == 0


# --- what the holder sees ---------------------------------------------------------------------------

def test_the_holder_sees_the_links_view_without_signing_in(app, auth, growth):
    path = make_link(auth)

    response = anonymous(app).get(path)

    assert response.status_code == 200
    text = visible(response)
    assert "Growth overview: Board review" in text and "1 Jan 2026 to 31 Jan 2026" in text
    assert "source sharecard" in text


def test_other_filters_in_the_query_string_are_ignored(app, auth, growth):
    path = make_link(auth)
    reader = anonymous(app)

    fixed = visible(reader.get(path))
    asked = visible(reader.get(f"{path}?range=quarter&source=linkinbio&program=rpr_x&city=lisbon"))

    assert asked == fixed


def test_the_shared_page_links_to_no_growth_page_and_offers_no_export_or_filter(app, auth, growth):
    html = anonymous(app).get(make_link(auth)).get_data(as_text=True)

    assert "/growth" not in html
    assert "<select" not in html and ".csv" not in html


def test_holding_a_link_opens_no_other_growth_route(app, auth, growth, make_user):
    path = make_link(auth)
    reader = anonymous(app)
    reader.get(path)
    for url in ("/growth/readers", "/growth/export/invites.csv", "/growth/programs"):
        assert reader.get(url).headers["Location"].startswith("/login")
    member = app.test_client()
    Auth(member).login(make_user("member")["email"])
    member.get(path)
    for url in ("/growth/readers", "/growth/export/invites.csv", "/growth/programs"):
        assert member.get(url).status_code == 403


def test_the_shared_page_keeps_search_engines_out(app, auth, growth):
    response = anonymous(app).get(make_link(auth))
    assert response.headers["X-Robots-Tag"] == "noindex, nofollow"


def test_the_reader_page_draws_figures_charts_and_programs_but_no_person(app):
    from datetime import UTC, datetime

    from webapp.reporting.model import (
        CapHitMonth,
        Chart,
        ChartKind,
        Overview,
        ProgramRow,
        ReviewQueue,
        Series,
        Tile,
        TopInviter,
        Unit,
    )
    from webapp.reporting.reader_views import render_shared

    overview = Overview(
        Filters(Preset.CUSTOM, date(2026, 1, 1), date(2026, 1, 31), source="sharecard"),
        (Tile("invites", "Invites", Unit.COUNT, 1200, 1000), Tile("awarded_cents", "Credits awarded", Unit.CENTS,
                                                                   250_050, None)),
        (Chart("funnel", "Referral funnel by program", "Invites, sign-ups and rewards.", ChartKind.FUNNEL,
               Unit.COUNT, ("Invites", "Signed up", "Rewarded"), (Series("Bring a friend", (1200, 300, 40)),)),),
        (TopInviter("usr_1", "Ada Secret", "a•••@example.com", 10, 5, 2, 4000),),
        (CapHitMonth(date(2026, 1, 1), "rpr_1", "Bring a friend", 3),), ReviewQueue(4, date(2026, 1, 2)),
        (ProgramRow("rpr_1", "Bring a friend", "cross_side", True, 1200, 300, 40),))
    link = {"label": "Board review", "expires_at": datetime(2026, 2, 1, tzinfo=UTC)}

    with app.test_request_context("/"):
        html = render_shared(link, overview)

    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert "Invites 1,200 ▲ 20% vs 1,000" in text and "Credits awarded $2,500.50" in text
    assert "Bring a friend" in text and "Signed up 300" in text and "Jan 2026 Bring a friend 3" in text
    assert "Ada Secret" not in text and "a•••@example.com" not in text
    assert "/growth" not in html


# --- ending one ----------------------------------------------------------------------------------------

def test_a_revoked_link_opens_nothing(app, auth, growth, db_conn):
    path = make_link(auth)
    link_id = link_row(db_conn)["link_id"]

    response = auth.post(f"/growth/readers/{link_id}/revoke", page="/growth/readers")

    assert response.status_code == 303
    gone = anonymous(app).get(path)
    assert gone.status_code == 404
    assert "revoked" in visible(gone)


def test_revoking_with_htmx_swaps_the_row_and_says_so(app, auth, growth, db_conn):
    path = make_link(auth)
    link_id = link_row(db_conn)["link_id"]

    response = auth.post(f"/growth/readers/{link_id}/revoke", page="/growth/readers", headers=HX)

    text = visible(response)
    assert response.status_code == 200
    assert "Revoked" in text and "“Board review” revoked" in text
    assert f'id="link-{link_id}"' in response.get_data(as_text=True)
    assert anonymous(app).get(path).status_code == 404


def test_revoking_needs_the_csrf_token(app, auth, growth, db_conn, client):
    path = make_link(auth)
    link_id = link_row(db_conn)["link_id"]
    assert client.post(f"/growth/readers/{link_id}/revoke").status_code == 400
    assert anonymous(app).get(path).status_code != 404


def test_revoking_no_such_link_is_a_404(auth, growth):
    assert auth.post("/growth/readers/rdl_none/revoke", page="/growth/readers").status_code == 404


def test_an_expired_link_says_so_and_shows_nothing(app, auth, growth, pinned_clock):
    path = make_link(auth, days="7")
    pinned_clock.advance(days=7)

    response = anonymous(app).get(path)

    assert response.status_code == 410
    assert "This link has expired" in visible(response) and "Board review" in visible(response)
    assert "Figures" not in visible(response)


def test_a_link_works_until_it_expires(app, auth, growth, pinned_clock):
    path = make_link(auth, days="7")
    pinned_clock.advance(days=6, hours=23)
    assert anonymous(app).get(path).status_code != 410


@pytest.mark.parametrize("tamper", [lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),
                                    lambda t: t[:20], lambda t: "x" * 5000])
def test_a_tampered_token_opens_nothing(app, auth, growth, tamper):
    path = make_link(auth)
    token = path.rsplit("/", 1)[1]

    response = anonymous(app).get(f"/shared/growth/{tamper(token)}")

    assert response.status_code == 400
    assert "not a link we made" in visible(response)


def test_another_signed_token_of_ours_is_not_a_reader_link(app, growth, db_conn):
    from webapp.alerts.links import token_for

    with app.app_context():
        token = token_for("unsubscribe", "rdl_anything")  # signed with our key, for another purpose

    assert anonymous(app).get(f"/shared/growth/{token}").status_code == 400


def test_a_token_names_the_link_id_and_nothing_else(app):
    with app.app_context():
        token = readers.token_for("rdl_123")
        assert readers.link_id_of(token) == "rdl_123"
        assert readers.link_id_of(token + "x") is None


# --- who may manage them ------------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["member", "provider"])
def test_members_and_providers_may_not_see_make_or_revoke_links(client, auth, signed_in, role, db_conn):
    signed_in(role)
    assert client.get("/growth/readers").status_code == 403
    assert auth.post("/growth/readers", LINK, page="/settings").status_code == 403
    assert auth.post("/growth/readers/rdl_x/revoke", page="/settings").status_code == 403
    assert db_conn.execute("select count(*) from reader_link").fetchone()[0] == 0


def test_anonymous_callers_are_sent_to_log_in_from_the_management_page(client):
    assert client.get("/growth/readers").headers["Location"].startswith("/login")
    assert client.post("/growth/readers", data=LINK).status_code in (302, 303, 400)
