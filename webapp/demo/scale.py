"""Synthetic rows for benchmarks, loaded with COPY."""
from __future__ import annotations


def seed_scale(**counts: int) -> dict[str, int]:
    raise NotImplementedError("scale seeding lands with the demo-data work")
