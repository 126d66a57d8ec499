"""The app exactly as wsgi.py builds it, with rate limits off, for benchmarks of public pages.

wrk sends every request from one address, so a per-address limit on a public page (the invite
page /r/<code>) would answer nearly all of them 429 and the figures would measure the refusal.
With limits in memory (development) a limit costs a counter update; in production, a Redis
round trip, which this leaves out.
"""
from webapp import create_app
from webapp.core.extensions import limiter

app = create_app()
# Not RATELIMIT_ENABLED=False: create_app expects the limiter's per-request hook to be there (to
# drop it). Switched off afterwards, every limit (decorated ones included) is skipped on each request.
limiter.enabled = False
