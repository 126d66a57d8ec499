"""The overview's figures, read from the daily rollups (issue 14)."""
from __future__ import annotations

from .model import Filters, Overview


def overview(filters: Filters) -> Overview:
    """Every tile (with the previous period), chart and list of the overview for `filters`."""
    raise NotImplementedError("issue 14: being built")
