"""GET /healthz for load balancers: 200 when the database answers, 503 when not."""
from flask import Blueprint, jsonify
from sqlalchemy.exc import SQLAlchemyError

from ..accounts.access import public
from . import reads

bp = Blueprint("health", __name__)


@bp.get("/healthz")
@public
def healthz():
    try:
        reads.scalar("select 1")  # the pool the pages read through; no transaction to open and close
    except SQLAlchemyError:
        return jsonify(status="unavailable", database="down"), 503
    return jsonify(status="ok", database="up")
