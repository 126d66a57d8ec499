"""Directory fixtures: people and studios inserted straight into the tables."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from webapp.core.ids import new_id

_BASE = datetime(2025, 1, 1, tzinfo=UTC)


@pytest.fixture
def make_profile(db_conn, make_user):
    """A provider with a service profile; later calls are newer unless `age` says otherwise."""
    counter = {"n": 0}

    def make(name: str = "Pat Lens", *, city: str = "berlin", roles=("photographer",), styles=(), languages=(),
             rate_cents: int = 10000, verified: bool = False, travels: bool = False, headline: str = "",
             created_at: datetime | None = None) -> str:
        counter["n"] += 1
        user = make_user("provider", name=name, city=city)
        db_conn.execute(
            "insert into service_profile (user_id, display_name, headline, city, role_tags, style_tags, languages,"
            " rate_cents, verified, travels, created_at) values (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
            (user["user_id"], name, headline, city, list(roles), list(styles), list(languages), rate_cents, verified,
             travels, created_at or _BASE + timedelta(minutes=counter["n"])),
        )
        return user["user_id"]

    return make


@pytest.fixture
def make_studio(db_conn, make_user):
    counter = {"n": 0}

    def make(name: str = "Studio Nord", *, city: str = "berlin", amenities=(), rate_cents: int = 8000,
             capacity: int = 10, size_sqm: int = 80, verified: bool = False) -> str:
        counter["n"] += 1
        owner = make_user("provider", city=city)
        studio_id = new_id("std")
        db_conn.execute(
            "insert into studio (studio_id, owner_user_id, name, city, amenity_tags, hourly_rate_cents, capacity,"
            " size_sqm, verified, created_at) values (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
            (studio_id, owner["user_id"], name, city, list(amenities), rate_cents, capacity, size_sqm, verified,
             _BASE + timedelta(minutes=counter["n"])),
        )
        return studio_id

    return make
