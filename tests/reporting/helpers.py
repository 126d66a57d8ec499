"""Shared by the reporting tests: reading a CSV answer, and the overview of a view."""
from __future__ import annotations

import csv
import io


def csv_rows(response) -> list[list[str]]:
    """The file's rows (header first) as a spreadsheet would read them: UTF-8, BOM dropped."""
    return list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))


def overview_of(app, filters):
    """service.overview(filters), as the page reads it."""
    from webapp.reporting import service

    with app.app_context():
        return service.overview(filters)
