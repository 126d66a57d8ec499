"""Every state change needs the CSRF token: a signed-in browser tricked into posting gets a 400."""
import re

import pytest

from tests.conftest import page_text
from webapp import create_app

# Routes that change state without a browser session (none yet; the internal events
# endpoint, signed with HMAC instead, will be the first).
EXEMPT: set[str] = set()


def state_changing_routes():
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://unused@127.0.0.1/unused"})
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods & {"POST", "PUT", "PATCH", "DELETE"}):
            if rule.rule not in EXEMPT:
                yield method, re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"x_\1", rule.rule)


@pytest.mark.parametrize(("method", "path"), list(state_changing_routes()))
def test_a_state_change_without_the_csrf_token_is_refused(method, path, signed_in, client):
    signed_in("growth")
    response = client.open(path, method=method, data={"display_name": "forged"})
    assert response.status_code == 400, f"{method} {path} answered {response.status_code}"
    assert "Reload the page and try again" in page_text(response)
