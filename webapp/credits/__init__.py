"""Credits: the ledger of referral rewards, clawbacks and redeems (SPEC §6).

So far only its rules (`rules.py`), which the demo data and the dashboard use; the
/credits page is still the placeholder until the credits work adds its views.
"""
