"""What a user's /credits page says: the balance and what is owed, what credit pays for, the
rewards still pending, and the ledger history a page at a time, each entry with a link (or the
words) for what it relates to. Reads only: money moves in service.py.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import url_for

from ..core import keyset
from ..core.templating import money
from ..referrals import offers
from ..referrals.rules import STATUS_LABELS, InviteStatus
from . import queries
from .rules import KIND_LABELS, SIGN

PAGE_SIZE = 25
# A heavy inviter can have thousands of invites waiting: the page shows how many, and the newest few.
PENDING_SHOWN = 5
MINUS = "\u2212"  # a real minus sign: as wide as the plus, read as "minus"
GROWTH_TEAM = "Adjustment by the growth team"


def day(moment: datetime) -> str:
    return moment.strftime("%-d %b %Y")


# --- the balance and what is pending ---------------------------------------------------------


@dataclass(frozen=True)
class Welcome:
    """The user's own welcome credit, as the invitee of a double-sided program."""
    amount_cents: int
    words: str


@dataclass(frozen=True)
class PendingGroup:
    status: str
    title: str
    note: str
    count: int
    shown: list[dict]

    @property
    def more(self) -> int:
        return self.count - len(self.shown)


def summary(user_id: str) -> dict:
    """The balance, what is owed, and the pending rewards: the held and the waiting invites
    (counts and the newest few), and the welcome credit the user is still to get."""
    row = queries.summary(user_id)
    shown: dict[str, list[dict]] = {status: [] for status in queries.PENDING_STATUSES}
    if row["held"] or row["waiting"]:
        for invite in queries.pending_invites(user_id, per_status=PENDING_SHOWN):
            shown[invite["status"]].append(_pending(invite))
    groups = [
        PendingGroup(InviteStatus.HELD, STATUS_LABELS[InviteStatus.HELD],
                     "The growth team checks these sign-ups before any reward is paid.", row["held"], shown["held"]),
        PendingGroup(InviteStatus.SIGNED_UP, "Waiting for a first booking",
                     "They signed up through your link. " + offers.WHEN_EARNED, row["waiting"], shown["signed_up"]),
    ]
    return dict(balance_cents=row["balance_cents"], owed_cents=row["owed_cents"],
                pending=[group for group in groups if group.count], welcome=_welcome(row))


def _pending(invite: dict) -> dict:
    """A pending invite in words: who, under which program, what it would earn, and its link."""
    if invite["refunded_at"] is not None:
        earns = "nothing: the booking was refunded"
    elif invite["inviter_cents"] is not None:  # its first booking is in: the figure is known
        earns = money(invite["inviter_cents"])
    else:
        earns = offers.inviter_reward(invite)
    return dict(invitee=invite["invitee_name"] or invite["invitee_hint"] or f"Invite of {day(invite['created_at'])}",
                program=invite["program_name"] or "Invite program", earns=earns,
                url=invite_url(invite["invite_id"], invite["created_at"]))


def _welcome(row: dict) -> Welcome | None:
    if not row["welcome_cents"]:
        return None
    amount, inviter = money(row["welcome_cents"]), row["welcome_from"]
    if row["welcome_status"] == InviteStatus.HELD:
        words = (f"Your welcome credit of {amount} from {inviter}'s invite is held for review: the growth team "
                 "checks some sign-ups before paying.")
        if not row["welcome_booked"]:
            words += " It is earned with your first booking."
    else:
        words = f"{inviter} invited you: your first booking earns you {amount} of welcome credit."
    return Welcome(row["welcome_cents"], words)


def scope() -> dict:
    """What credit pays for, in the words offers.py keeps for every page."""
    return dict(short=offers.SCOPE_IN_WORDS, spent_on=offers.SCOPE_SPENT_ON, not_for=offers.SCOPE_NOT_FOR,
                how=offers.SCOPE_HOW, when_earned=offers.WHEN_EARNED)


# --- the history -----------------------------------------------------------------------------


def decode_cursor(value: str | None, *, broken: str = "That page link is broken. Start again from your latest"
                  " entries.") -> tuple[datetime, str] | None:
    """The (created_at, entry_id) a history page starts after; Invalid (`broken`: what the reader is
    told) for a cursor we did not make. The growth team's view of a user's ledger pages the same way."""
    return keyset.decode(value, ("crl_",), broken)


def history_page(user_id: str, after: tuple[datetime, str] | None) -> tuple[list[dict], str | None]:
    """A page of the user's entries in the words the page shows, and the cursor of the next page."""
    rows, next_cursor = keyset.split_page(queries.history(user_id, after=after, limit=PAGE_SIZE + 1),
                                          PAGE_SIZE, "entry_id")
    on_this_page = {row["entry_id"] for row in rows}
    return [_entry(row, on_this_page) for row in rows], next_cursor


def invite_url(invite_id: str, created_at: datetime) -> str:
    """The invite's row in the /invites history, on the page that starts with it."""
    return url_for("invites.index", after=keyset.starting_at(created_at, invite_id), _anchor=invite_id)


def entry_url(entry_id: str, created_at: datetime) -> str:
    """An entry's row in this history, on the page that starts with it."""
    return url_for("credits.index", after=keyset.starting_at(created_at, entry_id), _anchor=entry_id)


@dataclass(frozen=True)
class Relation:
    """What an entry relates to: words, a link when there is a page for it, and the id when the
    words are only an id (a booking: bookings live in the marketplace, not here)."""
    words: str
    url: str | None = None
    code: str | None = None


def _entry(row: dict, on_this_page: set[str]) -> dict:
    sign = "+" if SIGN[row["kind"]] > 0 else MINUS
    return dict(entry_id=row["entry_id"], created_at=row["created_at"], date=day(row["created_at"]),
                kind=row["kind"], kind_label=KIND_LABELS[row["kind"]],
                amount=f"{sign}{money(row['amount_cents'])}", reason=row["reason"],
                relates=_relation(row, on_this_page))


def _relation(row: dict, on_this_page: set[str]) -> Relation | None:
    related = row["related_id"]
    if not related:
        return None
    if related.startswith("gdc_"):
        return Relation(GROWTH_TEAM)
    if row["award_created_at"] is not None:  # a clawback of one of the user's awards
        url = f"#{related}" if related in on_this_page else entry_url(related, row["award_created_at"])
        return Relation(f"Reverses the award of {day(row['award_created_at'])}", url)
    if row["invite_created_at"] is not None:
        if row["own_invite"]:
            who = row["invitee_name"]
            return Relation(f"Your invite to {who}" if who else f"Your invite of {day(row['invite_created_at'])}",
                            invite_url(related, row["invite_created_at"]))
        return Relation(f"Invited by {row['inviter_name']}")  # the invitee's welcome credit
    if row["kind"] == "redeem" or related.startswith("bkg_"):
        return Relation("Booking", code=related)
    return Relation("Reference", code=related)
