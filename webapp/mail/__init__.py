"""Outgoing e-mail: SMTP when SMTP_URL is set, else a local outbox folder.

The development outbox is listed at /dev/outbox so e-mails can be read without
a mail server.
"""
from flask import Blueprint

bp = Blueprint("mail", __name__, url_prefix="/dev")

from . import views  # noqa: E402,F401
