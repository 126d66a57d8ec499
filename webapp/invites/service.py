"""The /invites page's rules: a card per program the user may invite under, their history and its figures.

The codes and offers are the referrals feature's (webapp/referrals/): here they become what
an inviter shares. Every link is absolute (PUBLIC_URL, core.urls.absolute_url): it is pasted
into other apps, printed as a QR code, read out of a share card.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import url_for

from ..core import keyset
from ..core.errors import NotFound
from ..core.urls import absolute_url
from ..referrals import codes, offers
from ..referrals import queries as referral_queries
from ..referrals.rules import SOURCE_LABELS, STATUS_LABELS
from . import qr, queries

# The source-tagged variants a card lists beside the main link, each with what it is for.
# ("copy" is the main link itself, "qr" the QR code's, "share" the native share sheet's.)
VARIANTS = (("linkinbio", "For your bio"), ("sharecard", "To post with the share card"))
PAGE_SIZE = 20
PRODUCT = "Growth desk"


def invite_link(code: str, source: str) -> str:
    """The full /r/<code> link tagged with where it was shared from (`?s=`)."""
    return absolute_url("referrals.public_invite", code=code, s=source)


@dataclass(frozen=True)
class Variant:
    source: str
    label: str
    url: str


def cards(user) -> list[dict]:
    """One card per active program open to the user's role, oldest program first: the offer in
    words, the links to share, the QR code and the share card. Gives the user their missing
    codes first (the first visit makes them; later visits only read)."""
    rows = queries.programs_with_codes(user.user_id, user.role)
    if any(row["code"] is None for row in rows):
        referral_queries.ensure_codes(user.user_id, user.role)
        rows = referral_queries.codes_of(user.user_id, user.role)
    return [_card(row) for row in rows]


def _card(row: dict) -> dict:
    code = row["code"]
    qr_link = invite_link(code, "qr")
    welcome = offers.welcome(row)
    return dict(
        code=code, program_id=row["program_id"], name=row["name"] or "Invite program",
        offer=offers.offer(row), when_earned=offers.WHEN_EARNED,
        link=invite_link(code, "copy"),
        variants=[Variant(source, label, invite_link(code, source)) for source, label in VARIANTS],
        qr_svg=qr.svg(qr_link, f"QR code of your invite link for {row['name'] or 'this program'}"),
        qr_link=qr_link,
        qr_png_url=url_for("invites.qr_png", invite_code=code),
        card_url=url_for("referrals.share_card", code=code),
        share_url=invite_link(code, "share"),
        share_text=f"Join me on {PRODUCT}" + (f": {welcome}." if welcome else "."),
    )


def qr_png(user, code: str) -> tuple[str, bytes]:
    """The PNG of the QR code of the user's own `code` (its `?s=qr` link), with the code.
    NotFound for any other code, malformed or someone else's alike."""
    normal = codes.normalise(code)
    if not normal or queries.own_code(user.user_id, user.role, normal) is None:
        raise NotFound("not one of the user's invite codes")
    return normal, qr.png(invite_link(normal, "qr"))


# --- the history and its figures ---------------------------------------------------------------

def decode_cursor(value: str | None) -> tuple[datetime, str] | None:
    """The (created_at, invite_id) a history page starts after; Invalid for a cursor we did not make."""
    return keyset.decode(value, ("rfi_",), "That page link is broken. Start again from your latest invites.")


def history_page(user_id: str, after: tuple[datetime, str] | None) -> tuple[list[dict], str | None]:
    """A page of the user's invites in the words the page shows, and the cursor of the next page."""
    rows, next_cursor = keyset.split_page(queries.history(user_id, after=after, limit=PAGE_SIZE + 1),
                                          PAGE_SIZE, "invite_id")
    return [_present(row) for row in rows], next_cursor


def _present(row: dict) -> dict:
    """Who was invited as the inviter may see it: the name they signed up with, else the masked
    address an e-mail invite went to, else nothing."""
    return dict(
        row,
        invitee=row["invitee_name"] or row["invitee_hint"] or None,
        source_label=SOURCE_LABELS.get(row["source"], SOURCE_LABELS["other"]) if row["source"] else "—",
        status_label=STATUS_LABELS.get(row["status"], row["status"]),
    )


def summary(user_id: str) -> dict:
    """Invited, signed up, rewarded, and the credit earned (cents)."""
    return queries.summary(user_id)
