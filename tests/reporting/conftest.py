"""The page's rendering tests draw hand-made Overviews (overviews.py) with views.render_overview, a
pure function of one; the request tests go through the real service."""
from __future__ import annotations
