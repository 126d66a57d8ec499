"""POST /internal/events: the marketplace's signed events. Thin: the access rule checks the
signature, the service applies the event once and keeps its answer."""
from __future__ import annotations

from flask import current_app, request

from ..accounts.access import signed_request
from ..core import limits
from ..core.extensions import limiter
from . import bp, service

# On a repeat of an event id: the answer is the first one, and nothing was applied this time.
REPLAYED_HEADER = "Idempotent-Replayed"


@bp.post("/internal/events")
@signed_request
@limiter.limit(limits.EVENTS)
def events():
    """One event (SPEC, "Internal events endpoint"): 200 with its answer; 400 naming the field for
    a body that is not a valid event; 401 unsigned (the access rule). A repeated id: the first
    answer, byte for byte, and the Idempotent-Replayed header."""
    answer = service.receive(request.get_data(cache=True))
    response = current_app.response_class(answer.body, status=answer.status, mimetype="application/json")
    if answer.replayed:
        response.headers[REPLAYED_HEADER] = "true"
    return response
