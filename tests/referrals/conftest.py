"""Fixtures the attribution tests share."""
from __future__ import annotations

import pytest

from tests.referrals.signups import make_code, make_program


@pytest.fixture
def program(db_conn):
    """A cross-side program: providers bring buyers, buyers bring providers."""
    return make_program(db_conn)


@pytest.fixture
def ada(make_user, db_conn, program):
    """Ada, a provider, and her code: she brings in buyers (members)."""
    user = make_user("provider", name="Ada Lens", email="ada@example.com")
    return {**user, "code": make_code(db_conn, user, program)}
