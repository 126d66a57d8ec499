"""GET /healthz for load balancers: 200 when the database answers, 503 when not, within HEALTH_TIMEOUT.

The probe (`select 1` on the pool the pages read through) runs in a thread of its own and the
answer waits for it at most HEALTH_TIMEOUT seconds (1.5 by default). A server that is frozen, or
that accepts connections and never answers, would otherwise hold the check for as long as the
connection's own timeouts (seconds each), long after the load balancer should have been told.
A probe still waiting is shared, not started again: while the database hangs, each check waits
on the same one, so a long outage never piles up threads.
"""
from __future__ import annotations

import logging
import threading
from concurrent.futures import Future
from concurrent.futures import TimeoutError as Pending

from flask import Blueprint, current_app, jsonify

from ..accounts.access import public
from . import reads

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)


class _Probe:
    """The probe in flight for one app in this process, if any."""

    def __init__(self):
        self.lock = threading.Lock()
        self.running: Future | None = None


def _probe(app, answer: Future) -> None:
    with app.app_context():
        try:
            reads.scalar("select 1")
        except Exception as exc:  # whatever went wrong, the answer is "down"; the log says why
            log.warning("health probe failed: %s", exc)
            answer.set_result(False)
        else:
            answer.set_result(True)


def database_answers(app, within: float) -> bool:
    """Whether the database answered a `select 1` within `within` seconds."""
    if "health_probe" not in app.extensions:
        app.extensions["health_probe"] = _Probe()
    state: _Probe = app.extensions["health_probe"]
    with state.lock:
        if state.running is None or state.running.done():
            state.running = Future()
            threading.Thread(target=_probe, args=(app, state.running), daemon=True,
                             name="health-probe").start()
        answer = state.running
    try:
        return answer.result(timeout=within)
    except Pending:
        return False


@bp.get("/healthz")
@public
def healthz():
    if database_answers(current_app._get_current_object(), current_app.config["HEALTH_TIMEOUT"]):
        return jsonify(status="ok", database="up")
    return jsonify(status="unavailable", database="down"), 503
