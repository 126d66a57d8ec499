"""The browser journeys of /invites use the real-browser fixtures of tests/browser."""
from tests.browser.conftest import browser, live_server, page, phone_page  # noqa: F401
