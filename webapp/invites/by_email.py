"""Invite by e-mail (issue 11, point 4): up to ten addresses, each an invitation e-mail and a
`referral_invite` row at once, holding only the address's keyed hash and a masked hint.

The rules, in the order they are judged:
- the input: at most 8 KB of text, 1 to 10 distinct addresses (separated by commas, semicolons,
  spaces or new lines; one typed twice counts once), each valid by email-validator's syntax
  rules (no DNS look-ups); an optional plain-text note of at most 500 characters;
- the program: active, open to the inviter's role, and one they hold a code for (its link);
- each address is skipped when an account has it, or when the program already has an invite
  for its keyed hash from the last 30 days, whoever sent it (nobody is mailed twice a month for
  one program); the answer names neither reason nor address (docs/decisions.md);
- the inviter sends at most limits.INVITE_EMAIL_DAILY invitations per rolling 24 hours,
  counted here under a lock on their account row; a submission that would pass it sends none.

One transaction: the rows are written, every mail is handed to the mail server, then it
commits. When delivery fails nothing is recorded (NotSent); see docs/decisions.md for what
that costs.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import timedelta
from email.headerregistry import Address
from email.utils import parseaddr

from email_validator import EmailNotValidError, validate_email
from flask import render_template

from ..core import clock, limits
from ..core.errors import Invalid
from ..core.extensions import db
from ..core.ids import new_id
from ..core.security import keyed_hashes
from ..core.urls import absolute_url
from ..mail.sender import DEFAULT_FROM, DeliveryError, build_message, send
from ..referrals import offers
from . import queries

log = logging.getLogger(__name__)

MAX_ADDRESSES = 10
MAX_INPUT_BYTES = 8 * 1024
MAX_NOTE = 500
REPEAT_WINDOW = timedelta(days=30)  # one invitation per address and program within this
SEPARATORS = re.compile(r"[\s,;]+")
SHOWN_LENGTH = 40  # an invalid entry is named in the message up to this many characters

NOT_SENT = ("We could not send your invitations just now (the mail server did not take them), "
            "so none were recorded. Please try again in a few minutes.")
NO_PROGRAM = "Choose one of your programs."


class NotSent(Exception):
    """The mail server refused or could not be reached: the transaction was rolled back."""

    def __init__(self):
        super().__init__(NOT_SENT)


@dataclass(frozen=True)
class Outcome:
    sent: int
    skipped: int

    @property
    def message(self) -> str:
        """What the inviter is told: how many went out, and only that some were skipped. The same
        words whether an address has an account or was invited lately, so the answer cannot be
        used to find out who is a member."""
        if self.sent == 0:
            said = "No invitations sent."
        else:
            said = f"{self.sent} invitation{'s' if self.sent != 1 else ''} sent."
        if self.skipped:
            said += " Some addresses were skipped (already members or invited recently)."
        return said


def parse_addresses(text: str | None) -> list[str]:
    """The distinct addresses in `text`, as typed and in order; Invalid (on the `addresses`
    field) for too much text, none, more than MAX_ADDRESSES, or any that is not an address."""
    text = text or ""
    if len(text.encode()) > MAX_INPUT_BYTES:
        raise Invalid(fields={"addresses": f"That is more than {MAX_INPUT_BYTES // 1024} KB of text. "
                                           f"Enter up to {MAX_ADDRESSES} addresses."})
    seen: dict[str, str] = {}
    for entry in SEPARATORS.split(text):
        if entry:
            seen.setdefault(entry.lower(), entry)
    addresses = list(seen.values())
    if not addresses:
        raise Invalid(fields={"addresses": "Enter at least one e-mail address."})
    if len(addresses) > MAX_ADDRESSES:
        raise Invalid(fields={"addresses": f"Enter at most {MAX_ADDRESSES} addresses at a time "
                                           f"(you entered {len(addresses)})."})
    wrong = [a for a in addresses if not _valid(a)]
    if wrong:
        shown = ", ".join(a if len(a) <= SHOWN_LENGTH else a[:SHOWN_LENGTH] + "…" for a in wrong)
        raise Invalid(fields={"addresses": f"{'This is' if len(wrong) == 1 else 'These are'} not "
                                           f"{'an e-mail address' if len(wrong) == 1 else 'e-mail addresses'}: "
                                           f"{shown}."})
    return addresses


def _valid(address: str) -> bool:
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def masked(address: str) -> str:
    """What the inviter's history shows of an address: "j•••@g•••.com" (the first letter of the
    name and of the domain, and the top-level domain); never enough to read the address back."""
    local, _, domain = address.strip().lower().rpartition("@")
    head, _, rest = domain.partition(".")
    top = rest.rpartition(".")[2]
    return f"{local[:1]}•••@{head[:1]}•••" + (f".{top}" if top else "")


def clean_note(note: str | None) -> str:
    """The personal note as it goes into the e-mail: plain text, trimmed, with Unix line ends."""
    return "\n".join(line.rstrip() for line in (note or "").strip().splitlines())


def invite(inviter, *, program_id: str, addresses: str, note: str | None) -> Outcome:
    """Invite every address of `addresses` (the text as entered) to `program_id` on behalf of
    `inviter` (the signed-in user). Raises Invalid (nothing written) or NotSent (nothing written,
    delivery failed); commits otherwise."""
    wanted = parse_addresses(addresses)
    note = clean_note(note)
    if len(note) > MAX_NOTE:
        raise Invalid(fields={"note": f"Keep the note to {MAX_NOTE} characters."})
    try:
        outcome = _invite(inviter, program_id, wanted, note)
    except BaseException:
        db.session.rollback()  # ends the locks too
        raise
    db.session.commit()
    return outcome


def _invite(inviter, program_id: str, wanted: list[str], note: str) -> Outcome:
    program = queries.program_to_invite_to(inviter.user_id, inviter.role, program_id or "")
    if program is None:
        raise Invalid(fields={"program": NO_PROGRAM})
    inviter_name = queries.lock_inviter(inviter.user_id) or inviter.display_name
    now = clock.now()

    # Every hash an address may be stored under while a key rotates out (SECRET_KEY_FALLBACKS); the
    # first, under the current key, is what is written and locked.
    hashes = {a: keyed_hashes(a) for a in wanted}
    by_sha = {found[0]: a for a, found in hashes.items()}
    for sha in sorted(by_sha):  # one order for every caller: two submissions never wait on each other in a ring
        queries.lock_address(program_id, sha)
    members = queries.addresses_with_accounts([a.lower() for a in wanted])
    recent = queries.recently_invited(program_id, [h for found in hashes.values() for h in found],
                                      now - REPEAT_WINDOW)
    to_send = [(sha, a) for sha, a in by_sha.items() if a.lower() not in members and recent.isdisjoint(hashes[a])]

    sent_today = queries.email_invites_sent_since(inviter.user_id, now - limits.INVITE_EMAIL_WINDOW)
    left = max(0, limits.INVITE_EMAIL_DAILY - sent_today)
    if len(to_send) > left:
        raise Invalid(fields={"addresses": _over_the_limit(left)})

    for sha, address in to_send:
        queries.insert_email_invite(invite_id=new_id("rfi"), program_id=program_id, inviter_user_id=inviter.user_id,
                                    email_sha=sha, hint=masked(address), created_at=now)
    if to_send:
        _deliver([a for _, a in to_send], inviter_name=inviter_name, program=program, note=note)
    return Outcome(sent=len(to_send), skipped=len(wanted) - len(to_send))


def _over_the_limit(left: int) -> str:
    most = limits.INVITE_EMAIL_DAILY
    if left == 0:
        return f"You have sent {most} invitations in the last 24 hours, the most a day allows. Try again tomorrow."
    return (f"You can send {most} invitations a day and have {left} left. "
            f"Remove some addresses, or send the rest tomorrow.")


def _deliver(addresses: list[str], *, inviter_name: str, program, note: str) -> None:
    """One invitation per address, each accepted by the mail server (or the outbox) before the next;
    NotSent at the first refusal."""
    name = " ".join(inviter_name.split())  # a header holds one line
    context = dict(
        inviter=name, program=program, note=note,
        welcome=offers.welcome(program), reward=offers.inviter_reward(program),
        when_earned=offers.WHEN_EARNED, scope=offers.SCOPE_IN_WORDS,
        link=absolute_url("referrals.public_invite", code=program["code"], s="email"),
    )
    subject = f"{name} invites you to Growth desk"
    text = render_template("invites/email/invitation.txt", **context)
    html = render_template("invites/email/invitation.html", **context)
    sender = str(Address(display_name=f"{name} via Growth desk", addr_spec=parseaddr(DEFAULT_FROM)[1]))
    try:
        for address in addresses:
            send(build_message(to=address, subject=subject, text=text, html=html, sender=sender))
    except DeliveryError as exc:
        # The exception's text can name a refused recipient: the log gets its kind only.
        log.warning("invitation e-mails not delivered (%s); nothing recorded",
                    type(exc.__cause__ or exc).__name__)
        raise NotSent() from exc
