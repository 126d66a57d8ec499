"""Referral programs, as the growth team runs them: the terms and their rules, create, edit,
open and close, and a program's invites with their fraud flags.

What a valid program is lives here (validate); migration 060's CHECKs say the same in the
database, so nothing gets past either. Every change is one transaction.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from ..core import clock, keyset
from ..core.errors import Invalid, NotFound
from ..core.extensions import db
from ..core.ids import new_id
from ..core.templating import money
from ..referrals import offers
from ..referrals.rules import FRAUD_LABELS, PROGRAM_KINDS, SOURCE_LABELS, STATUS_LABELS
from . import queries

MAX_NAME = 80
MAX_BIPS = 10_000                # 100% of the buyer fee
MAX_CENTS = 10_000_000           # $100,000: far past any real reward, well inside an int column
MAX_CAP = 10_000
CREDIT_SCOPES = {"buyer_fee_only": "The buyer's service fee only"}
ROLE_LABELS = {"member": "Members (buyers)", "provider": "Providers"}
KIND_LABELS = {
    "provider_invites_provider": "Providers invite providers",
    "buyer_invites_buyer": "Buyers invite buyers",
    "cross_side": "Cross-side: each side invites the other",
}
assert set(KIND_LABELS) == set(PROGRAM_KINDS)
# Who may invite under each kind: the kind's name says who invites; cross-side is open to both.
KIND_ROLES = {"provider_invites_provider": {"provider"}, "buyer_invites_buyer": {"member"},
              "cross_side": {"member", "provider"}}
PAGE_SIZE = 50


@dataclass
class ProgramInput:
    """The form's values as typed (strings): validate() turns them into a program's terms."""

    name: str = ""
    kind: str = ""
    reward_bips: str = ""
    reward_fixed: str = ""       # dollars and cents, "25" or "12.50"
    invitee_fixed: str = ""      # the same, the invitee's welcome credit
    credit_scope: str = ""
    monthly_cap: str = ""
    inviter_roles: list[str] = field(default_factory=list)
    active: bool = True


# --- money and numbers as typed --------------------------------------------------------------

_DOLLARS = re.compile(r"\$?([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.([0-9]{1,2}))?")


def cents_of(typed: str) -> int:
    """Dollars and cents as typed ("25", "12.5", "$1,000.00") as integer cents, exactly: the text
    is split at the point, never read as a float. Empty is 0. ValueError says what is wrong."""
    text = (typed or "").strip().replace(" ", "")
    if not text:
        return 0
    if text.startswith("-"):
        raise ValueError("Can't be negative.")
    found = _DOLLARS.fullmatch(text) if len(text) <= 20 else None
    if found is None:
        raise ValueError("Write an amount in dollars, such as 25 or 12.50.")
    whole, part = found.group(1).replace(",", ""), found.group(2) or ""
    cents = int(whole) * 100 + int(part.ljust(2, "0") or 0)
    if cents > MAX_CENTS:
        raise ValueError(f"At most {money(MAX_CENTS)}.")
    return cents


def dollars(cents: int) -> str:
    """Cents as the form shows them for editing: 2500 -> "25.00" (cents_of reads it back exactly)."""
    return f"{cents // 100}.{cents % 100:02d}"


def _whole(typed: str, *, most: int, unit: str) -> int:
    text = (typed or "").strip().replace(",", "")
    if not text:
        return 0
    if text.startswith("-") and text[1:].isdigit():
        raise ValueError("Can't be negative.")
    if not (text.isascii() and text.isdigit()) or len(text) > 9:
        raise ValueError(f"Write a whole number of {unit}.")
    value = int(text)
    if value > most:
        raise ValueError(f"At most {most:,} {unit}.")
    return value


# --- the rules of a program -----------------------------------------------------------------

def validate(data: ProgramInput, *, kinds: tuple[str, ...] = PROGRAM_KINDS) -> dict:
    """A program's clean terms (queries.TERMS), or Invalid with every problem at once, keyed by the
    form's field names. `kinds`: the kinds allowed (only the current one once a program has invites)."""
    errors: dict[str, str] = {}
    name = " ".join((data.name or "").split())
    if not name:
        errors["name"] = "Give the program a name the team will recognise."
    elif len(name) > MAX_NAME:
        errors["name"] = f"Keep the name to {MAX_NAME} characters or fewer (it has {len(name)})."
    kind = data.kind or ""
    if kind not in kinds:
        if kind in KIND_LABELS:
            errors["kind"] = "This program has invites, so its kind stays as it is. Start a new program instead."
        else:
            errors["kind"] = "Choose who invites whom."
    numbers = {}
    for key, parse in (("reward_bips", lambda t: _whole(t, most=MAX_BIPS, unit="basis points")),
                       ("reward_fixed", cents_of), ("invitee_fixed", cents_of),
                       ("monthly_cap", lambda t: _whole(t, most=MAX_CAP, unit="rewards"))):
        try:
            numbers[key] = parse(getattr(data, key))
        except ValueError as exc:
            errors[key] = str(exc)
    if numbers.get("reward_bips") == 0 and numbers.get("reward_fixed") == 0:
        errors["reward_bips"] = "Give the inviter a reward: a share of the buyer fee, a fixed amount, or both."
    if data.credit_scope not in CREDIT_SCOPES:
        errors["credit_scope"] = "Credit pays the buyer's service fee only: choose that."
    roles = [r for r in ROLE_LABELS if r in (data.inviter_roles or [])]
    unknown = [r for r in data.inviter_roles or [] if r not in ROLE_LABELS]
    if unknown or not roles:
        errors["inviter_roles"] = "Choose who may invite: members, providers or both."
    elif "kind" not in errors and not set(roles) <= KIND_ROLES[kind]:
        allowed = " and ".join(ROLE_LABELS[r].lower() for r in ROLE_LABELS if r in KIND_ROLES[kind])
        errors["inviter_roles"] = f"Under “{KIND_LABELS[kind]}” only {allowed} invite."
    if errors:
        raise Invalid(fields=errors)
    return dict(name=name, kind=kind, reward_bips=numbers["reward_bips"], reward_fixed_cents=numbers["reward_fixed"],
                invitee_fixed_cents=numbers["invitee_fixed"], credit_scope=data.credit_scope,
                monthly_cap=numbers["monthly_cap"], inviter_roles=roles, active=bool(data.active))


def get(program_id: str) -> dict:
    """The program with its counts, as the pages show it; NotFound when there is none."""
    program = queries.program_with_counts(program_id)
    if program is None:
        raise NotFound(program_id)
    return present(program)


def create(data: ProgramInput) -> str:
    """A new program (version 1); returns its id. Commits."""
    terms = validate(data)
    program_id = new_id("rpr")
    queries.insert_program(program_id, terms, clock.now())
    db.session.commit()
    return program_id


def update(program_id: str, data: ProgramInput) -> int | None:
    """New terms for the program: one version up, so share cards (cached by code and version) are
    drawn again. Returns the new version, or None when nothing changed (nothing written).
    Its kind is fixed once it has invites: they were made, and their invitees' roles chosen, under it."""
    current = queries.lock_program(program_id)
    if current is None:
        db.session.rollback()
        raise NotFound(program_id)
    try:
        terms = validate(data, kinds=(current["kind"],) if queries.has_invites(program_id) else PROGRAM_KINDS)
        if _same(current, terms):
            db.session.rollback()
            return None
        version = queries.update_terms(program_id, terms, clock.now())
    except BaseException:
        db.session.rollback()
        raise
    db.session.commit()
    return version


def _same(current: Mapping, terms: Mapping) -> bool:
    """The terms are what the program has already (who may invite compared as a set)."""
    return all(set(current[k]) == set(v) if k == "inviter_roles" else current[k] == v for k, v in terms.items())


def set_active(program_id: str, active: bool) -> dict:
    """Open the program to invites, or close it: a closed program's links answer "not valid"
    (referrals.queries.landing) and nobody gets a new code for it. Commits; returns the program."""
    if not queries.set_active(program_id, active, clock.now()):
        db.session.rollback()
        raise NotFound(program_id)
    db.session.commit()
    return get(program_id)


def parse_active(value: str | None) -> bool:
    """The toggle's `active` field: 1 opens, 0 closes."""
    if value not in ("0", "1"):
        raise Invalid("Say whether to activate (1) or deactivate (0) the program.")
    return value == "1"


# --- what the pages show --------------------------------------------------------------------

def present(program: Mapping) -> dict:
    """A program with its terms in words."""
    return dict(program, offer=offers.offer(program), kind_label=KIND_LABELS.get(program["kind"], program["kind"]),
                roles_label=", ".join(ROLE_LABELS[r] for r in ROLE_LABELS if r in program["inviter_roles"]),
                scope_label=CREDIT_SCOPES.get(program["credit_scope"], program["credit_scope"]),
                has_invites=program.get("invites", 0) > 0)


def programs() -> list[dict]:
    """Every program, active first then newest, with its offer and counts."""
    return [present(p) for p in queries.programs_with_counts()]


def decode_cursor(value: str | None) -> tuple[datetime, str] | None:
    """The (created_at, invite_id) a page of invites starts after; Invalid for one we did not make."""
    return keyset.decode(value, ("rfi_",), "That page link is broken. Start again from the newest invites.")


def short_print(value: str | None) -> str | None:
    """The first 8 characters of a keyed hash or device id, after any `xxx_` prefix: enough to see
    which invites share one, too little to be the value."""
    if not value:
        return None
    return value.rpartition("_")[2][:8] or None


def invites_page(program_id: str, after: tuple[datetime, str] | None, *,
                 flagged_only: bool = False) -> tuple[list[dict], str | None]:
    """A page of the program's invites, as the growth team reads them, and the next page's cursor."""
    rows, cursor = keyset.split_page(
        queries.invites_of(program_id, after=after, flagged_only=flagged_only, limit=PAGE_SIZE + 1),
        PAGE_SIZE, "invite_id")
    return [_invite(row) for row in rows], cursor


def _invite(row: dict) -> dict:
    return dict(
        row,
        invitee=row["invitee_name"] if row["invitee_user_id"] else (row["invitee_hint"] or "—"),
        source_label=SOURCE_LABELS.get(row["source"] or "", row["source"] or "—"),
        status_label=STATUS_LABELS.get(row["status"], row["status"]),
        flags=[(flag, FRAUD_LABELS.get(flag, flag)) for flag in row["fraud_flags"]],
        ip_print=short_print(row["ip_addr_sha"]), device_print=short_print(row["device_fp"]),
    )
