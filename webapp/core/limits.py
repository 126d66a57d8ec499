"""Every rate limit in one place: a feature names its limit, never writes one.

Limits per caller (Flask-Limiter's decorators, per client IP) count in the store named by
RATELIMIT_STORAGE_URI. In production that is Redis, shared by every worker and host: with
per-process memory, four workers let four times the limit through. Failed log-ins are also
counted per account in PostgreSQL (accounts/service.py), so that limit holds even while the
store is down or was never set up (development, tests).
"""
from __future__ import annotations

from datetime import timedelta

# Per client IP, unless the route keys its limit otherwise.
AUTH = "10 per minute;50 per hour"    # log-in, sign-up, password change: guesses and account farming
POST_NEW = "60 per hour"              # new feed posts
POST_EDIT = "120 per hour"            # saved edits of feed posts
INVITE_PAGE = "60 per minute"         # the public invite page (an invite code in the URL): code guessing
INVITE_EMAIL = "20 per hour;100 per day"  # invites sent by e-mail, per inviter (key by user): no mail cannon
EVENTS = "600 per minute"             # the marketplace's internal events endpoint (signed)

# Per account (by the keyed hash of the e-mail: accounts that don't exist are counted alike).
LOGIN_FAILURES = 10                              # wrong passwords within the window ...
LOGIN_FAILURE_WINDOW = timedelta(minutes=15)
LOGIN_LOCK = timedelta(minutes=15)               # ... lock that e-mail's log-in this long, any password

# Invitations by e-mail per inviter, counted in PostgreSQL under a lock on the inviter's row
# (invites/by_email.py), so it holds across workers and with the rate limiter's store down.
INVITE_EMAIL_DAILY = 50                          # invitations sent ...
INVITE_EMAIL_WINDOW = timedelta(hours=24)        # ... within this rolling window
