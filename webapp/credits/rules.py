"""The credit rules: what a referral reward is worth, and which way each ledger entry
moves a balance (SPEC §5 and §6). Pure functions: no database, no request.

Money is integer cents. Ledger amounts are stored positive (`credit_ledger.amount_cents`)
and the entry's kind gives the sign: an award adds, a clawback or a redeem takes away,
so balance = awards − clawbacks − redeems.
"""
from __future__ import annotations

# credit_ledger.kind, and the sign each kind gives its amount.
SIGN = {"award": 1, "clawback": -1, "redeem": -1}
KINDS = tuple(SIGN)
# Each kind in a word, on every page that lists entries (/credits, /growth/users/<id>).
KIND_LABELS = {"award": "Award", "clawback": "Clawback", "redeem": "Redeem"}
assert set(KIND_LABELS) == set(SIGN)
# The most one amount may be: an event's cents, a program's reward, an adjustment. $100,000 is far
# past any booking's fee or reward, and far inside an int column.
MAX_CENTS = 10_000_000
# Basis points: 10,000 bips are the whole fee.
BIPS_PER_WHOLE = 10_000

# The sign as SQL, for sums over credit_ledger rows (the balance in one statement).
SIGNED_AMOUNT_SQL = "case kind " + " ".join(
    f"when '{kind}' then {'-' if sign < 0 else ''}amount_cents" for kind, sign in SIGN.items()) + " end"


def reward_cents(*, fixed_cents: int, bips: int, buyer_fee_cents: int) -> int:
    """A referral reward: fixed cents + bips × the booking's buyer fee / 10,000.

    The bips part is rounded down to a whole cent, so a reward never exceeds the exact
    figure (a 500-bip share of a 1,999-cent fee is 99 cents, not 99.95 or 100).
    """
    if min(fixed_cents, bips, buyer_fee_cents) < 0:
        raise ValueError("reward terms and fees are never negative")
    return fixed_cents + bips * buyer_fee_cents // BIPS_PER_WHOLE


def signed_cents(kind: str, amount_cents: int) -> int:
    """A ledger entry's effect on the balance: +amount for an award, −amount otherwise."""
    return SIGN[kind] * amount_cents


def redeemable_cents(balance: int, max_cents: int) -> int:
    """What a redeem may take: min(balance, max_cents), never below zero (SPEC §6)."""
    return max(0, min(balance, max_cents))
