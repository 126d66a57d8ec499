"""GET /growth/export/<table>.csv (role growth only): one table of the overview as a CSV file, under
the filters of the page's query string (exports.py says what each file holds)."""
from __future__ import annotations

from flask import Response, request, stream_with_context

from ..accounts.access import role_required
from ..core import clock
from ..core.errors import NotFound
from . import bp, exports
from .forms import parse_filters


@bp.get("/growth/export/<table>.csv")
@role_required("growth")
def export(table: str):
    if table not in exports.TABLES:
        raise NotFound(table)
    filters = parse_filters(request.args, clock.today())
    header, rows = exports.table_rows(table, filters)
    # stream_with_context: the rows are read while the response is sent, after the view returned.
    response = Response(stream_with_context(exports.csv_lines(header, rows)), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{exports.file_name(table, filters)}"'
    return response
