"""Invites: a signed-in user's own invite links, share card, QR code, invite by e-mail and
invite history (/invites). The rules are the referrals feature's (webapp/referrals/)."""
from flask import Blueprint

bp = Blueprint("invites", __name__)

from . import views  # noqa: E402,F401
