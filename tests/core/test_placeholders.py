"""A coming-soon page steps aside loudly once its feature serves the path."""
import pytest
from flask import Flask

from webapp.core import placeholders


def test_a_feature_that_serves_a_placeholders_path_stops_the_app_starting():
    app = Flask(__name__)
    app.add_url_rule("/growth", "growth.dashboard", lambda: "the real page")
    with pytest.raises(RuntimeError, match=r"/growth \(growth.dashboard\)"):
        placeholders.init_app(app)


def test_placeholders_register_where_no_feature_serves_their_paths():
    app = Flask(__name__)
    placeholders.init_app(app)
    with app.test_request_context():
        from flask import url_for

        assert url_for("placeholders.growth") == "/growth"
