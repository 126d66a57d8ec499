"""Referrals: programs, invites and the rules that decide an invite's fate (SPEC §5).

So far only its rules (`rules.py`), which the demo data uses; /invites and the public
invite page are still placeholders until the referrals work adds its views.
"""
