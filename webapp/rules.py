"""Outcomes every feature's service can raise, and that every view answers alike.

Services stay free of Flask; `errors.register_error_handlers` turns these into
the usual error page or htmx message, so views need no try/except for them.
"""


class NotFound(LookupError):
    """No such thing for this user: answered 404, exactly like a missing one."""


class Refused(PermissionError):
    """Allowed to see it, not allowed to do this: 403 with the message as written."""


class Invalid(ValueError):
    """Input that cannot be used: 400 with the message as written."""
