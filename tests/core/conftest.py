"""Tests of core's pure parts: no database, so no per-test cleanup of one."""
import pytest


@pytest.fixture(autouse=True)
def _clean_database():
    """Stands in for the suite-wide fixture of that name, which would create the test database."""
    yield
