"""GET /growth and its htmx partial: who may open them, and what the filters in the URL ask for
(the range line says which days the figures cover; tests/reporting/test_overview.py checks the
figures themselves)."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from webapp.reporting.forms import MAX_FILTER_LENGTH
from webapp.reporting.model import MAX_RANGE_DAYS

from ..conftest import page_text

HTMX = {"HX-Request": "true", "HX-Current-URL": "http://localhost/growth"}


def shown_range(response) -> str:
    """The page's line saying which days it shows, and which it compares them with."""
    return " ".join(re.search(r'id="overview-range"[^>]*>(.*?)</p>', page_text(response), re.S)[1].split())


def day(d: date) -> str:
    return f"{d.day} {d.strftime('%b %Y')}"


def last_30_days(today: date) -> str:
    return f"Last 30 days ({day(today - timedelta(days=29))} – {day(today)})"


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx partial"])
@pytest.mark.parametrize("role", ["member", "provider"])
def test_members_and_providers_are_refused_the_overview(role, headers, signed_in, client):
    signed_in(role)
    assert client.get("/growth?range=7d", headers=headers).status_code == 403


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx partial"])
def test_anonymous_visitors_are_asked_to_log_in(headers, client):
    response = client.get("/growth?range=7d", headers=headers)
    assert response.status_code in (302, 204)
    assert "/login" in (response.headers.get("Location") or response.headers.get("HX-Redirect", ""))


def test_the_growth_team_sees_the_last_30_days_by_default(signed_in, client, frozen_today):
    signed_in("growth")
    response = client.get("/growth")
    assert response.status_code == 200 and "Growth overview" in page_text(response)
    assert shown_range(response).startswith(last_30_days(frozen_today))


def test_the_url_carries_the_range_and_every_filter(signed_in, client):
    signed_in("growth")
    response = client.get("/growth?range=custom&start=2026-01-05&end=2026-02-03&program=rpr_x&source=email&city=berlin")
    assert shown_range(response).startswith("5 Jan 2026 – 3 Feb 2026 (30 days)")
    body = page_text(response)
    for value in ("rpr_x", "email", "berlin"):  # kept selected in the form: the page shows the view it draws
        assert re.search(rf'<option value="{value}" selected>', body)


def test_a_preset_ignores_dates_left_in_the_url(signed_in, client, frozen_today):
    signed_in("growth")
    response = client.get("/growth?range=7d&start=2020-01-01&end=2020-01-02")
    assert shown_range(response).startswith(f"Last 7 days ({day(frozen_today - timedelta(days=6))}")


@pytest.mark.parametrize("query, error", [
    ("range=custom&start=2026-02-03&end=2026-01-05", "The last day comes before the first"),
    ("range=custom&start=2026-01-05", "Choose the last day of the custom range."),
    ("range=custom&start=2026-13-45&end=2026-01-05", "Write the day as year-month-day"),
    (f"range=custom&start=2020-01-01&end={(date(2020, 1, 1) + timedelta(days=MAX_RANGE_DAYS)).isoformat()}",
     f"A range covers at most {MAX_RANGE_DAYS:,} days"),
    ("range=decade", "Choose one of the ranges offered"),
    ("range=7d&source=" + "x" * (MAX_FILTER_LENGTH + 1), f"At most {MAX_FILTER_LENGTH} characters."),
])
def test_bad_filters_say_what_is_wrong_and_show_the_default_view(query, error, signed_in, client,
                                                                  frozen_today):
    signed_in("growth")
    response = client.get(f"/growth?{query}")
    assert response.status_code == 422 and error in page_text(response)
    assert 'aria-invalid="true"' in page_text(response)
    assert shown_range(response).startswith(last_30_days(frozen_today))


def test_a_longest_allowed_range_is_accepted(signed_in, client):
    signed_in("growth")
    end = date(2020, 1, 1) + timedelta(days=MAX_RANGE_DAYS - 1)
    response = client.get(f"/growth?range=custom&start=2020-01-01&end={end.isoformat()}")
    assert response.status_code == 200 and f"({MAX_RANGE_DAYS} days)" in shown_range(response)


def test_a_filter_change_through_htmx_gets_the_blocks_out_of_band_in_one_answer(signed_in, client):
    signed_in("growth")
    response = client.get("/growth?range=7d&source=email", headers=HTMX)
    body = page_text(response)
    assert response.status_code == 200 and "<html" not in body
    for element_id in ("filter-fields", "overview-tiles", "overview-charts", "overview-lists"):
        assert f'id="{element_id}"' in body
    assert body.count('hx-swap-oob="true"') == 4 and "HX-Request" in response.headers["Vary"]
    assert "Showing Last 7 days" in body


def test_history_gets_the_views_own_address_after_a_filter_change(signed_in, client):
    signed_in("growth")
    response = client.get("/growth?range=7d&start=2026-01-01&end=2026-01-31&program=&source=email&city=",
                          headers=HTMX)
    assert response.headers["HX-Push-Url"] == "/growth?range=7d&source=email"


def test_bad_filters_through_htmx_come_back_with_the_error_announced(signed_in, client):
    signed_in("growth")
    response = client.get("/growth?range=custom&start=2026-02-03&end=2026-01-05", headers=HTMX)
    body = page_text(response)
    assert response.status_code == 422
    assert "Check the filters: The last day comes before the first" in body
    assert 'id="end-error"' in body and "HX-Push-Url" not in response.headers


def test_the_menu_and_tabs_point_at_the_overview(signed_in, client):
    signed_in("growth")
    body = client.get("/growth").get_data(as_text=True)
    assert '<a href="/growth" aria-current="page">Growth</a>' in body
    assert 'href="/growth" aria-current="page">Overview</a>' in body
