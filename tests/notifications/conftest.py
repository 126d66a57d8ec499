"""Notification tests reuse the directory fixtures (profiles, studios)."""
from tests.directory.conftest import make_profile, make_studio  # noqa: F401
