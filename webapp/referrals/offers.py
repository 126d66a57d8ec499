"""A program's offer in words, the same on /invites, the public page, the share card and the
invitation e-mail."""
from __future__ import annotations

from collections.abc import Mapping

from ..core.templating import money


def _percent(bips: int) -> str:
    return f"{bips / 100:g}%"


def inviter_reward(program: Mapping) -> str:
    """What the inviter earns per reward: "$25", "10% of their first booking fee", or both."""
    parts = []
    if program["reward_fixed_cents"]:
        parts.append(money(program["reward_fixed_cents"]))
    if program["reward_bips"]:
        parts.append(f"{_percent(program['reward_bips'])} of their first booking fee")
    return " + ".join(parts)


def offer(program: Mapping) -> str:
    """The whole offer as the inviter reads it: "Give $20, get $25 in service-fee credit"."""
    reward = f"{inviter_reward(program)} in service-fee credit"
    if program.get("invitee_fixed_cents"):
        return f"Give {money(program['invitee_fixed_cents'])}, get {reward}"
    return f"Get {reward}"


def welcome(program: Mapping) -> str | None:
    """What the invitee gets, as the public page says it; None when the offer is one-sided."""
    if program.get("invitee_fixed_cents"):
        return f"{money(program['invitee_fixed_cents'])} of credit toward your service fees"
    return None


# Credits pay the buyer's service fee only (credit_scope buyer_fee_only), earned on a first booking.
WHEN_EARNED = "Credit is earned when the person you invite completes their first booking."
SCOPE_IN_WORDS = "Credit pays service fees on bookings; it is not cash."
# The same scope at length, for /credits: what credit pays, what it does not, and how it is spent.
SCOPE_SPENT_ON = "The service fee of a booking you make as the buyer, up to the whole fee."
SCOPE_NOT_FOR = "Not the price of the work itself, not fees a provider pays, and not cash: it can't be withdrawn."
SCOPE_HOW = "At checkout it comes off the fee, up to what you have; the rest stays here for your next booking."
