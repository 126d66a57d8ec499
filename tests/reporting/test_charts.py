"""Charts as inline SVG that our CSP allows, and numbers as people read them (no database)."""
from __future__ import annotations

import re
from xml.etree import ElementTree

import pytest

from webapp.reporting import charts
from webapp.reporting.model import Chart, ChartKind, Series, Tile, Unit

SVG = "{http://www.w3.org/2000/svg}"
CREDIT = Chart("credit_flow", "Credit flow per week", "Awarded, clawed back and redeemed each week.",
               ChartKind.LINES, Unit.CENTS, ("2026-11-02", "2026-11-09"),
               (Series("Awarded", (150000, 2500)), Series("<b>Clawed</b> & back", (0, 500))))


@pytest.mark.parametrize("unit, value, shown", [
    (Unit.COUNT, 1234567, "1,234,567"), (Unit.CENTS, 123450, "$1,234.50"), (Unit.CENTS, 500, "$5"),
    (Unit.RATIO, 0.1234, "12.3%"), (Unit.RATIO, None, "—"), (Unit.COUNT, 0, "0"),
])
def test_figures_read_as_counts_dollars_and_percentages(unit, value, shown):
    assert charts.format_value(unit, value) == shown


@pytest.mark.parametrize("change, shown", [
    (0.25, ("▲", "25%", "up 25%")), (-0.5, ("▼", "50%", "down 50%")), (0.004, ("▲", "0.4%", "up 0.4%")),
    (0.0, ("", "0%", "no change")), (None, ("", "", "")),
])
def test_a_change_has_an_arrow_a_figure_and_words(change, shown):
    assert charts.format_change(change) == shown


def test_a_tile_without_a_previous_figure_says_there_is_nothing_to_compare_with():
    tile = Tile("rewarded", "Rewarded", Unit.COUNT, 5, 0)
    assert charts.tile_change_words(tile, "the previous 7 days") == "nothing to compare with in the previous 7 days"


def test_a_chart_carries_no_style_or_script_for_the_csp():
    svg = str(charts.draw(CREDIT))
    assert "<style" not in svg and "<script" not in svg and "style=" not in svg and "<!--" not in svg


def test_a_chart_is_an_image_named_by_its_title_and_description():
    svg = str(charts.draw(CREDIT))
    assert re.match(r'<svg [^>]*id="chart-credit_flow-svg"[^>]*role="img"', svg)
    assert '<title id="chart-credit_flow-svg-title">Credit flow per week</title>' in svg
    assert '<desc id="chart-credit_flow-svg-desc">Awarded, clawed back and redeemed each week.</desc>' in svg


def test_a_chart_draws_the_same_each_time_so_pages_compare_and_cache():
    assert charts.draw(CREDIT) == charts.draw(CREDIT)


def test_the_svg_leaves_the_legend_to_the_page():
    svg = str(charts.draw(CREDIT))
    assert "Clawed" not in svg and "legend" not in svg


def test_money_is_plotted_and_tabulated_in_dollars():
    assert "$1,500" in str(charts.draw(CREDIT))
    assert charts.table_rows(CREDIT) == [("2 Nov", ["$1,500", "$0"]), ("9 Nov", ["$25", "$5"])]


def test_a_thirteenth_series_takes_the_first_colour_again():
    many = Chart("funnel", "Funnel", "d", ChartKind.FUNNEL, Unit.COUNT, ("Invites",),
                 tuple(Series(f"Program {n}", (n + 1,)) for n in range(13)))
    svg = str(charts.draw(many))
    assert "color-12" not in svg and svg.count("serie-12 color-0") >= 1


def test_a_quarter_of_days_labels_at_most_eight_of_them_under_the_axis():
    days = tuple(f"2026-{m:02d}-{d:02d}" for m in (1, 2, 3) for d in range(1, 29))
    chart = Chart("alerts", "Alerts per day", "d", ChartKind.LINES, Unit.COUNT, days,
                  (Series("In-app", (1,) * len(days)),))
    root = ElementTree.fromstring(str(charts.draw(chart)))
    x_axis = next(g for g in root.iter(f"{SVG}g") if g.get("class", "").split()[:2] == ["axis", "x"])
    labels = [t.text for t in x_axis.iter(f"{SVG}text") if t.text]
    assert labels[0] == "1 Jan" and 2 <= len(labels) <= 8
