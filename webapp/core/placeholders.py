"""Pages whose feature has not landed yet: a clear "coming soon", not a 404.

Each is an ordinary route with an endpoint name (`placeholders.invites`), so links to it
use url_for like any other. When a feature lands it serves the path itself: delete the
placeholder here and point its links (navigation, dashboard) at the feature's endpoint;
create_app refuses to start while both claim the path.
"""
from flask import Blueprint

from .htmx import render_page

bp = Blueprint("placeholders", __name__)


def _coming_soon(title: str, blurb: str, *links: tuple[str, str]):
    """`links`: (url, words) of what already works meanwhile."""
    return render_page("coming_soon.html", title=title, blurb=blurb, links=links)


# None at the moment: the last one, /growth, became the growth overview (reporting.overview).


def init_app(app, placeholders: Blueprint = bp) -> None:
    """Register the placeholders after every feature, and stop if a feature already serves one's path."""
    served = {rule.rule: rule.endpoint for rule in app.url_map.iter_rules()}
    app.register_blueprint(placeholders)
    landed = [(rule.rule, served[rule.rule]) for rule in app.url_map.iter_rules()
              if rule.endpoint.startswith("placeholders.") and rule.rule in served]
    if landed:
        raise RuntimeError("Features now serve these placeholder pages; delete the placeholders in "
                           "webapp/core/placeholders.py and link to the features' endpoints: "
                           + ", ".join(f"{path} ({endpoint})" for path, endpoint in landed))
