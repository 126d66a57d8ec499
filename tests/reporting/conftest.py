"""The page's tests draw hand-made Overviews (overviews.py).

`stand_in_overview` puts one behind GET /growth in place of reporting.service.overview, for the
page's own tests (access, filters, htmx) written while the service was being built in parallel
(issue 14). Once the real service has landed, the tests using it can sign in over real data instead:
search for `stand_in_overview`."""
from __future__ import annotations

import pytest

from .overviews import an_overview


@pytest.fixture
def stand_in_overview(monkeypatch):
    """GET /growth answers with an_overview(filters asked for); `.asked` lists the filters."""
    from webapp.reporting import service

    class StandIn:
        asked: list = []
        make = staticmethod(an_overview)

        def __call__(self, filters):
            self.asked.append(filters)
            return self.make(filters)

    stand_in = StandIn()
    stand_in.asked = []
    monkeypatch.setattr(service, "overview", stand_in)
    return stand_in
