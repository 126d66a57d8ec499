"""The /growth overview (role growth only): parse the filters from the URL, ask the service for the
Overview, draw it. A plain GET gets the page; htmx (a filter changed) gets the filter form, tiles,
charts and lists in one answer as out-of-band swaps, and the new URL goes into the history."""
from __future__ import annotations

from flask import make_response, render_template, request, url_for
from jinja2_fragments.flask import render_blocks

from ..accounts.access import role_required
from ..core import clock
from ..core.forms import form_status
from ..core.htmx import is_htmx
from . import bp, charts, service
from .forms import OverviewFilterForm
from .model import Filters, Overview

TEMPLATE = "reporting/overview.html"
# What a filter change replaces, each block carrying hx-swap-oob (the form too: its errors and the
# dates shown; htmx puts focus back on the control by its id).
UPDATED_BLOCKS = ["filters", "summary", "tiles", "charts", "lists", "announcement"]


@bp.get("/growth")
@role_required("growth")
def overview():
    form, filters = read_filters(request.args)
    body = render_overview(service.overview(filters), form, fragments=is_htmx())
    response = make_response(body, form_status(form))
    if is_htmx() and not form.errors:
        # History gets the view's own address (no empty filters, no dates a preset ignores); a
        # wrong one keeps what was typed, so Back and a reload show the same mistake to fix.
        response.headers["HX-Push-Url"] = url_for("reporting.overview", **filters.query_args())
    return response


def read_filters(args) -> tuple[OverviewFilterForm, Filters]:
    """The filter form over the query string, and the view it asks for (the default one when wrong)."""
    form = OverviewFilterForm(args)
    filters = form.filters(clock.today())
    if not form.errors:
        form.show(filters)
    return form, filters


def render_overview(overview: Overview, form: OverviewFilterForm, *, fragments: bool = False) -> str:
    """The page for `overview` (a pure function of it and the form), or only its updated blocks."""
    context = {"overview": overview, "form": form, "charts": charts, "drawn": drawn_charts(overview)}
    if fragments:
        return render_blocks(TEMPLATE, UPDATED_BLOCKS, oob=True, **context)
    return render_template(TEMPLATE, **context)


def drawn_charts(overview: Overview) -> dict:
    """Each chart's SVG, drawn once (the page and the fragments use the same)."""
    return {chart.key: charts.draw(chart) for chart in overview.charts if not chart.empty}
