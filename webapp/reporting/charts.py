"""The overview's numbers as people read them, and its charts as inline SVG drawn by pygal.

pygal writes a <style> and a <script> into every chart; our CSP (style-src 'self', script-src 'self')
would refuse both, so an xml filter (pygal's own hook on the finished tree) takes them out, with any
style="" attribute, and static/css/app.css colours the charts by pygal's class names instead
(docs/decisions.md, "Growth dashboard — charts"). The filter also gives each chart a stable id, an
accessible name and description (role="img", <title>, <desc>), so the page reads the same for a
screen reader as the table under it.
"""
from __future__ import annotations

import re
import sys
from datetime import date

import pygal
from markupsafe import Markup
from pygal.style import Style

from ..core.templating import money
from .model import CHARTS, Chart, ChartKind, Step, Tile, Unit

# pygal appends a finder for its map plugins (pygal.maps.*, unused here) to sys.meta_path; it has no
# find_spec, so from then on every import that fails anywhere in the process (dateutil's `winreg`
# on Linux) warns ImportWarning on Python 3.11+, which the test suite treats as an error.
sys.meta_path[:] = [finder for finder in sys.meta_path if type(finder).__name__ != "PluginImportFixer"]

SVG = "{http://www.w3.org/2000/svg}"
WIDTH, HEIGHT = 480, 270   # the viewBox: the SVG scales to its column, so this sets proportions and text size
# pygal lays labels out by these sizes; app.css draws them at the same sizes (its <style> is gone).
STYLE = Style(label_font_size=14, major_label_font_size=14, value_font_size=14, tooltip_font_size=14,
              title_font_size=16, no_data_font_size=16)
COLOURS, COLOUR = 12, re.compile(r"\bcolor-(\d+)")
MAX_X_LABELS = 8           # more would overlap at a phone's width; the table has every one


def format_value(unit: Unit, value: int | float | None) -> str:
    """A figure as the page shows it: counts with thousands separators, cents as dollars, ratios as %."""
    if value is None:
        return "—"
    if unit is Unit.CENTS:
        return money(value)
    if unit is Unit.RATIO:
        return f"{value * 100:.1f}%"
    return f"{value:,}"


def format_change(change: float | None) -> tuple[str, str, str]:
    """(arrow, figure, words) of a relative change: ('▲', '12%', 'up 12%'); no previous figure gives ''."""
    if change is None:
        return "", "", ""
    if abs(change) < 0.0005:
        return "", "0%", "no change"
    figure = f"{abs(change) * 100:.0f}%" if abs(change) >= 0.01 else f"{abs(change) * 100:.1f}%"
    return ("▲", figure, f"up {figure}") if change > 0 else ("▼", figure, f"down {figure}")


def tile_change_words(tile: Tile, previous_label: str) -> str:
    """The sentence a screen reader hears after the figure: 'up 12% from 1,100 in the previous 30 days'."""
    _, _, words = format_change(tile.change)
    was = format_value(tile.unit, tile.previous)
    if not words:
        return f"nothing to compare with in {previous_label}" if not tile.previous else ""
    return f"{words} from {was} in {previous_label}"


def category_label(category: str) -> str:
    """ISO days and weeks' Mondays as '3 Nov'; anything else (the funnel's stages) as it is."""
    try:
        day = date.fromisoformat(category)
    except ValueError:
        return category
    return f"{day.day} {day:%b}"


def category_heading(chart: Chart) -> str:
    """The table's first column: what each row is."""
    step = {key: step for key, _, _, _, step in CHARTS}.get(chart.key)
    return "Stage" if chart.kind is ChartKind.FUNNEL else "Week of" if step is Step.WEEK else "Day"


def _plotted(unit: Unit, value: int) -> float:
    return value / 100 if unit is Unit.CENTS else value


def _axis_formatter(unit: Unit):
    if unit is Unit.CENTS:
        return lambda dollars: money(round(dollars * 100)) if dollars is not None else ""
    return lambda count: f"{count:,.0f}" if count is not None else ""


def _accessible(chart: Chart):
    """The xml filter: no <style>, no <script>, no style="", and a stable, labelled root."""
    base = f"chart-{chart.key}"

    def apply(root):
        for parent in list(root.iter()):
            for child in list(parent):
                # Comments carry the render date; pygal's tooltip box needs its script (the table
                # under the chart has the figures).
                if (not isinstance(child.tag, str) or child.tag.rpartition("}")[2] in ("style", "script")
                        or child.get("class") == "tooltip"):
                    parent.remove(child)
        for element in root.iter():
            element.attrib.pop("style", None)
            if "color-" in element.get("class", ""):  # app.css has twelve series colours
                element.set("class", COLOUR.sub(lambda m: f"color-{int(m[1]) % COLOURS}", element.get("class")))
        root.set("id", f"{base}-svg")
        root.set("role", "img")
        root.set("aria-labelledby", f"{base}-svg-title")
        root.set("aria-describedby", f"{base}-svg-desc")
        root.set("focusable", "false")
        title = next((c for c in root if c.tag in (f"{SVG}title", "title")), None)
        if title is not None:
            title.set("id", f"{base}-svg-title")
            title.text = chart.title
            desc = root.makeelement(f"{SVG}desc" if title.tag.startswith("{") else "desc",
                                    {"id": f"{base}-svg-desc"})
            desc.text = chart.description
            root.insert(list(root).index(title) + 1, desc)
        return root

    return apply


def draw(chart: Chart) -> Markup:
    """The chart as inline SVG (empty charts draw nothing: the page says so instead)."""
    kind = {ChartKind.FUNNEL: pygal.Bar, ChartKind.STACKED_BARS: pygal.StackedBar,
            ChartKind.LINES: pygal.Line}[chart.kind]
    labels = [category_label(c) for c in chart.categories]
    every = max(1, -(-len(labels) // MAX_X_LABELS))  # ceil: at most MAX_X_LABELS shown under the axis
    graph = kind(
        style=STYLE, width=WIDTH, height=HEIGHT, js=[], css=[], no_prefix=True, disable_xml_declaration=True,
        # The legend is HTML above the chart (templates/reporting/_macros.html): it wraps on a phone,
        # and pygal's would repeat ids in every chart of the page.
        title=None, show_legend=False, truncate_label=-1,
        show_minor_x_labels=every == 1, x_labels_major_every=every,
        value_formatter=_axis_formatter(chart.unit), show_dots=len(labels) <= 31, dots_size=3,
        margin=10, margin_right=22, spacing=10, include_x_axis=True, min_scale=3, max_scale=6,
    )
    graph.add_xml_filter(_accessible(chart))
    graph.x_labels = labels
    for series in chart.series:
        graph.add(series.name, [_plotted(chart.unit, v) for v in series.values])
    return Markup(graph.render(is_unicode=True))


def table_rows(chart: Chart) -> list[tuple[str, list[str]]]:
    """The table behind a chart: one row per category (day, week or stage), one column per series."""
    return [(category_label(category), [format_value(chart.unit, s.values[i]) for s in chart.series])
            for i, category in enumerate(chart.categories)]
