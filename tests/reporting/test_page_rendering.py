"""The overview page drawn from a hand-made Overview (views.render_overview is a pure function of it)."""
from __future__ import annotations

import html
import re
from datetime import date

import pytest
from flask import request

from webapp.reporting.model import CHARTS, Filters, Preset
from webapp.reporting.views import UPDATED_BLOCKS, read_filters, render_overview

from .overviews import an_empty_overview, an_overview


@pytest.fixture
def render(app):
    def render(overview, query: str = "", fragments: bool = False) -> str:
        with app.test_request_context(f"/growth?{query}"):
            form, _ = read_filters(request.args)
            return html.unescape(render_overview(overview, form, fragments=fragments))
    return render


def _tile(page: str, key: str) -> str:
    return re.search(rf'<li class="tile" id="tile-{key}">(.*?)</li>', page, re.S).group(1)


def test_every_tile_shows_its_figure_and_the_previous_one(render):
    page = render(an_overview())
    assert "1,234" in _tile(page, "invites") and "vs 1,000" in _tile(page, "invites")
    assert "$1,234.50" in _tile(page, "awarded_cents") and "vs $1,000" in _tile(page, "awarded_cents")
    assert "17.1%" in _tile(page, "conversion") and "vs 20.0%" in _tile(page, "conversion")
    assert "$9,876" in _tile(page, "outstanding_cents")
    assert len(re.findall(r'<li class="tile"', page)) == 10


def test_a_change_shows_an_arrow_and_says_it_in_words(render):
    page = render(an_overview())
    assert "▲ 23%" in _tile(page, "invites")
    assert "up 23% from 1,000 in the previous 30 days" in _tile(page, "invites")
    assert "▼ 20%" in _tile(page, "redeemed_cents")
    assert "down 20% from $500 in the previous 30 days" in _tile(page, "redeemed_cents")
    assert "no change" in _tile(page, "clawed_back_cents")


def test_a_tile_with_nothing_before_says_there_is_nothing_to_compare_with(render):
    tile = _tile(render(an_overview()), "rewarded")
    assert "78" in tile and "nothing to compare with in the previous 30 days" in tile and "▲" not in tile


def test_every_chart_is_drawn_with_its_title_and_description(render):
    page = render(an_overview())
    for key, title, *_ in CHARTS:
        svg = re.search(rf'<svg[^>]*id="chart-{key}-svg"[^>]*>', page).group(0)
        assert 'role="img"' in svg and f'aria-labelledby="chart-{key}-svg-title"' in svg
        assert f'aria-describedby="chart-{key}-svg-desc"' in svg
        assert f'<title id="chart-{key}-svg-title">{title}</title>' in page
        assert f'<desc id="chart-{key}-svg-desc">What {title.lower()} shows, in a sentence.</desc>' in page


def test_every_chart_has_its_table_behind_a_details_toggle(render):
    page = render(an_overview())
    tables = re.findall(r"<details class=\"chart__data\">.*?</details>", page, re.S)
    assert len(tables) == len(CHARTS)
    funnel = tables[0]
    assert "<th scope=\"col\">Stage</th><th scope=\"col\">Providers invite providers</th>" in funnel
    assert "<th scope=\"row\">Signed up</th><td>300</td><td>156</td>" in funnel


def test_every_chart_has_a_legend_naming_its_series_by_colour(render):
    page = render(an_overview())
    funnel = re.search(r'id="chart-funnel".*?</figure>', page, re.S).group(0)
    assert '<li><span class="chart__swatch color-1"></span>Buyers invite buyers</li>' in funnel


def test_money_charts_tabulate_dollars_and_weeks_by_their_monday(render):
    page = render(an_overview())
    credit = re.search(r'id="chart-credit_flow".*?</figure>', page, re.S).group(0)
    assert "<th scope=\"col\">Week of</th>" in credit
    assert "<th scope=\"row\">26 Oct</th><td>$2</td><td>$3</td><td>$4</td>" in credit


def test_top_inviters_link_to_their_credit_history(render):
    page = render(an_overview())
    assert '<a href="/growth/users/usr_ada">Ada Lovelace</a> <span class="muted">a•••@example.com</span>' in page
    assert "Bob <Builder>" not in render_raw_names(page)


def render_raw_names(page: str) -> str:
    """Names are escaped in the HTML: unescaped, `Bob <Builder>` is text, never a tag."""
    return page.replace("Bob <Builder></a>", "")


def test_the_lists_link_to_the_review_queue_programs_and_cap_hits(render):
    page = render(an_overview())
    assert "9</strong> invites held for review, the oldest since 28 Oct 2026" in page
    assert 'href="/growth/review"' in page
    assert '<a href="/growth/programs/rpr_prov">Providers invite providers</a>' in page
    assert "<th scope=\"row\">November 2026</th>" in page
    assert 'href="/growth/programs"' in page


def test_an_empty_range_says_so_and_what_to_try(render):
    page = render(an_empty_overview())
    assert "Nothing happened in this view" in page
    assert "Look at this quarter" in page and 'href="/growth?range=quarter"' in page
    assert "<svg" not in page and "Division" not in page
    assert "—" in _tile(page, "conversion")


def test_an_empty_view_with_filters_offers_to_clear_them(render):
    filtered = Filters(Preset.LAST_7_DAYS, date(2026, 11, 24), date(2026, 11, 30), source="email")
    page = render(an_empty_overview(filtered))
    assert "with these filters" in page and "Clear the program, source and city filters" in page


def test_the_filter_form_offers_the_overviews_choices_and_keeps_the_url_in_it(render):
    page = render(an_overview(), query="range=30d&source=email")
    assert '<option value="email" selected>E-mail</option>' in page
    assert '<option value="rpr_buy">Buyers invite buyers</option>' in page
    assert 'hx-push-url="true"' in page and 'method="get"' in page


def test_the_page_has_no_inline_script_or_style(render):
    page = render(an_overview())
    assert "<script>" not in page and not re.search(r"<script(?![^>]*\bsrc=)", page)
    assert "<style" not in page and " style=" not in page


def test_htmx_gets_every_updated_block_out_of_band_and_no_page_around_them(render):
    fragment = render(an_overview(), fragments=True)
    assert "<html" not in fragment and "<header" not in fragment
    for element_id in ("overview-range", "overview-tiles", "overview-charts", "overview-lists"):
        assert re.search(rf'id="{element_id}"[^>]*hx-swap-oob="true"', fragment), element_id
    # the filter fields are the swap's own target (htmx then keeps focus on the control used)
    assert re.search(r'id="filter-fields">', fragment)
    assert 'hx-swap-oob="innerHTML:#messages"' in fragment
    assert "Showing 1 Nov 2026 – 30 Nov 2026 (30 days): 1,234 invites." in fragment
    assert len(UPDATED_BLOCKS) == 6


def test_every_table_and_chart_of_the_view_downloads_as_csv_under_its_filters(render):
    overview = an_overview()
    page = render(overview)
    query = "&".join(f"{k}={v}" for k, v in overview.filters.query_args().items())
    tables = ["summary", "invites", "inviters", "top_inviters", "cap_hits", "programs",
              *(c.key for c in overview.charts if not c.empty)]
    for table in tables:
        assert f'href="/growth/export/{table}.csv?{query}" download' in page
