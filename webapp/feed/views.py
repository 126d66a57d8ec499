"""Routes of this feature (filled in by its issue)."""
from . import bp  # noqa: F401
