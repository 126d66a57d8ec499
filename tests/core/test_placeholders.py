"""A coming-soon page steps aside loudly once its feature serves the path."""
import pytest
from flask import Blueprint, Flask, url_for

from webapp.core import placeholders


def _placeholders_for(path: str) -> Blueprint:
    """A placeholder blueprint like core/placeholders.py's (it has none left since /growth landed)."""
    bp = Blueprint("placeholders", __name__)
    bp.add_url_rule(path, "soon", lambda: "coming soon")
    return bp


def test_a_feature_that_serves_a_placeholders_path_stops_the_app_starting():
    app = Flask(__name__)
    app.add_url_rule("/reports", "reports.index", lambda: "the real page")
    with pytest.raises(RuntimeError, match=r"/reports \(reports.index\)"):
        placeholders.init_app(app, _placeholders_for("/reports"))


def test_placeholders_register_where_no_feature_serves_their_paths():
    app = Flask(__name__)
    placeholders.init_app(app, _placeholders_for("/reports"))
    with app.test_request_context():
        assert url_for("placeholders.soon") == "/reports"
