"""Credits: the ledger of referral rewards, clawbacks and redeems (SPEC §6).

rules.py the reward formula and the sign of each entry; service.py and queries.py the write path
(events, the growth team's decisions) and the /credits page's reads; account.py and views.py that page.
"""
from flask import Blueprint

bp = Blueprint("credits", __name__)

from . import views  # noqa: E402,F401
