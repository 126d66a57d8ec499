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
from ..core.transactions import retry_on_deadlock
from ..credits import account as credit_account
from ..credits import queries as credit_queries
from ..credits import service as credits
from ..credits.rules import KIND_LABELS as ENTRY_LABELS
from ..credits.rules import MAX_CENTS, SIGN
from ..referrals import offers
from ..referrals.rules import (
    BURST_WINDOW,
    COLLUSION,
    DISPOSABLE_EMAIL,
    FRAUD_LABELS,
    PROGRAM_KINDS,
    SELF_REFERRAL,
    SIGNUP_BURST,
    SOURCE_LABELS,
    STATUS_LABELS,
    InviteStatus,
    cap_month,
)
from ..referrals.service import canonical_email
from . import queries

MAX_NAME = 80
MAX_BIPS = 10_000                # 100% of the buyer fee
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


# --- the review queue (SPEC §5: fraud holds) -------------------------------------------------------
# Held invites, oldest first, with the evidence behind each flag; the decisions themselves are the
# credits service's (approve, reject): here each one gets its own transaction and its commit.

REVIEW_PAGE_SIZE = 20
MAX_BULK = 100  # a page of the queue is 20; the bound keeps one request's work small
DECISIONS = {"approve": "Approved", "reject": "Rejected"}
ACTION_LABELS = {"approve": "Approved", "reject": "Rejected", "award": "Award", "clawback": "Clawback"}


class AlreadyDecided(Invalid):
    """The invite is no longer held: someone decided it (or its state moved on) first."""

    def __init__(self, message: str, item: dict):
        super().__init__(message)
        self.item = item


def review_cursor(value: str | None) -> tuple[datetime, str] | None:
    """The (accepted_at, invite_id) a page of the queue starts after."""
    return keyset.decode(value, ("rfi_",), "That page link is broken. Start again from the oldest held invites.")


def review_page(after: tuple[datetime, str] | None) -> tuple[list[dict], str | None]:
    """A page of held invites, oldest sign-up first, with their evidence; and the next page's cursor."""
    rows = queries.held_invites(window=BURST_WINDOW, after=after, limit=REVIEW_PAGE_SIZE + 1)
    cursor = None
    if len(rows) > REVIEW_PAGE_SIZE:
        rows = rows[:REVIEW_PAGE_SIZE]
        cursor = keyset.encode(rows[-1]["accepted_at"], rows[-1]["invite_id"])
    return [evidence(row) for row in rows], cursor


def held_count() -> int:
    return queries.held_count()


def review_item(invite_id: str) -> dict:
    """One invite as the queue shows it (held: its evidence and the form; decided: the decision)."""
    row = queries.invite_evidence(invite_id, window=BURST_WINDOW)
    if row is None:
        raise NotFound(invite_id)
    item = evidence(row)
    if item["status"] != InviteStatus.HELD:
        item["decision"] = _decision(queries.last_decision_on(invite_id))
    return item


def evidence(row: dict) -> dict:
    """A held invite in the words of the queue: which rules fired and what each saw (short
    fingerprints of hashes, never the values), its first booking and the cap it would count against.
    The e-mail addresses the query read (to compare the two mailboxes) do not leave this function."""
    row = dict(row)
    inviter_email, invitee_email = row.pop("inviter_email", None), row.pop("invitee_email", None)
    same_mailbox = bool(inviter_email and invitee_email
                        and canonical_email(inviter_email) == canonical_email(invitee_email))
    flags = list(row["fraud_flags"])
    prints = dict(email=short_print(row["invitee_email_sha"]), ip=short_print(row["ip_addr_sha"]),
                  device=short_print(row["device_fp"]))
    # What each rule saw, in the order the flags are listed.
    seen: dict[str, list[str]] = {}
    if SELF_REFERRAL in flags:
        matches = []
        if same_mailbox:
            matches.append(f"e-mail {prints['email']}: the same mailbox as the inviter's")
        if row["ip_is_inviters"]:
            matches.append(f"IP {prints['ip']}: the inviter has signed in from it")
        if row["device_is_inviters"]:
            matches.append(f"device {prints['device']}: the inviter has used it")
        seen[SELF_REFERRAL] = matches or ["the inviter's e-mail, IP or device (the match has since changed)"]
    if SIGNUP_BURST in flags:
        hours = int(BURST_WINDOW.total_seconds() // 3600)
        seen[SIGNUP_BURST] = [f"{count} sign-ups from {what} {prints[key]} within {hours} h"
                              for key, what, count in (("ip", "IP", row["ip_signups"]),
                                                       ("device", "device", row["device_signups"]))
                              if prints[key] and count > 1] or [f"sign-ups from one IP or device within {hours} h"]
    if DISPOSABLE_EMAIL in flags:
        seen[DISPOSABLE_EMAIL] = [f"e-mail {prints['email']} is on a throw-away domain"]
    if COLLUSION in flags:
        seen[COLLUSION] = [f"booking {row['booking_id']} had the inviter and the invitee on its two sides"
                           if row["booking_id"] else "a booking between the inviter and the invitee"]
    rules = [dict(flag=flag, label=FRAUD_LABELS.get(flag, flag), seen=seen.get(flag, [])) for flag in flags]

    booking = None
    if row["booking_id"]:
        month = cap_month(row["earned_at"])
        used = row["cap_used"] or 0
        booking = dict(booking_id=row["booking_id"], earned_at=row["earned_at"], refunded_at=row["refunded_at"],
                       buyer_fee_cents=row["buyer_fee_cents"], inviter_cents=row["inviter_cents"],
                       invitee_cents=row["invitee_cents"], month=month, month_label=month.strftime("%B %Y"),
                       cap_used=used, cap=row["monthly_cap"], over_cap=used >= row["monthly_cap"])
    return dict(row, rules=rules, prints=prints, booking=booking,
                status_label=STATUS_LABELS.get(row["status"], row["status"]),
                source_label=SOURCE_LABELS.get(row["source"] or "", row["source"] or "—"))


def parse_decision(value: str | None) -> str:
    if value not in DECISIONS:
        raise Invalid("Choose Approve or Reject.")
    return value


def decide(invite_id: str, decision: str, *, actor_user_id: str, reason: str) -> dict:
    """Approve or reject one held invite, in a transaction of its own, audited (growth_decision).
    Returns the invite as the queue now shows it. A second decision on an invite is refused with
    AlreadyDecided, naming who decided it first."""
    decision = parse_decision(decision)
    step = credits.approve if decision == "approve" else credits.reject

    def once() -> None:
        try:
            step(invite_id, actor_user_id=actor_user_id, reason=reason)
        except BaseException:
            db.session.rollback()
            raise
        db.session.commit()
    try:
        retry_on_deadlock(once)  # an approval pays, and can meet a booking's event on the same rows
    except Invalid:
        item = review_item(invite_id)
        if item["status"] != InviteStatus.HELD:
            raise AlreadyDecided(_already(item), item) from None
        raise
    return review_item(invite_id)


def _already(item: dict) -> str:
    """Why an invite cannot be decided again, in words: who decided it, when, and where it stands."""
    who = f"{item['inviter_name']}'s invite of {item['invitee_name'] or 'a new member'}"
    decision = item.get("decision")
    if decision is None:
        return f"{who} is no longer held for review (it is {item['status_label'].lower()})."
    return (f"{who} was already decided: {decision['label'].lower()} by {decision['actor_name']} on "
            f"{decision['created_at'].strftime('%-d %b %Y, %H:%M')} UTC. It is {item['status_label'].lower()} now.")


@dataclass
class BulkResult:
    decision: str
    decided: list[dict] = field(default_factory=list)      # the invites as they now stand
    refused: list[tuple[str, str]] = field(default_factory=list)  # (invite id, why not)

    def summary(self) -> str:
        count = len(self.decided)
        return f"{DECISIONS[self.decision]} {count} {'invite' if count == 1 else 'invites'}."


def decide_many(invite_ids: list[str], decision: str, *, actor_user_id: str, reason: str) -> BulkResult:
    """The same decision and reason for several held invites. Each is decided in a transaction of
    its own, oldest first: one a colleague decided meanwhile (or that cannot be approved) is named
    in the result and the rest go ahead. A missing reason refuses them all before any is decided."""
    decision = parse_decision(decision)
    ids = list(dict.fromkeys(i for i in invite_ids if i))  # in the queue's order, once each
    errors = {}
    if not ids:
        errors["invite_id"] = "Select the invites to decide first."
    elif len(ids) > MAX_BULK:
        errors["invite_id"] = f"Decide at most {MAX_BULK} invites at once."
    try:
        reason = credits.clean_reason(reason)
    except Invalid as exc:
        errors.update(exc.fields)
    if errors:
        raise Invalid(fields=errors)
    names = queries.invite_names(ids)
    result = BulkResult(decision)
    for invite_id in ids:
        if invite_id not in names:
            result.refused.append((invite_id, "There is no such invite."))
            continue
        try:
            result.decided.append(decide(invite_id, decision, actor_user_id=actor_user_id, reason=reason))
        except Invalid as exc:
            row = names[invite_id]
            result.refused.append((invite_id, f"{row['inviter_name']}'s invite of {row['invitee_name'] or '—'}: {exc}"
                                   if not isinstance(exc, AlreadyDecided) else str(exc)))
        except NotFound:
            result.refused.append((invite_id, "There is no such invite."))
    return result


def _decision(row: dict | None) -> dict | None:
    if row is None:
        return None
    return dict(row, label=ACTION_LABELS.get(row["action"], row["action"]),
                actor_name=row["actor_name"] or "a former team member")


def decisions_cursor(value: str | None) -> tuple[datetime, str] | None:
    return keyset.decode(value, ("gdc_",), "That page link is broken. Start again from the newest decisions.")


def decisions_page(after: tuple[datetime, str] | None, *, subject_user_id: str | None = None,
                   limit: int = PAGE_SIZE) -> tuple[list[dict], str | None]:
    """The growth team's decisions, newest first (all, or about one user), and the next cursor."""
    rows, cursor = keyset.split_page(
        queries.decisions(subject_user_id=subject_user_id, after=after, limit=limit + 1), limit, "decision_id")
    return [_decision(row) for row in rows], cursor


# --- one user's credits (/growth/users/<id>) ---------------------------------------------------

def credit_user(user_id: str) -> dict:
    """The account with its balance and owed, and the invite that brought it; NotFound for none."""
    user = queries.user(user_id)
    if user is None:
        raise NotFound(user_id)
    invited = queries.invited_by(user_id)
    if invited:
        invited = dict(invited, status_label=STATUS_LABELS.get(invited["status"], invited["status"]),
                       flags=[FRAUD_LABELS.get(f, f) for f in invited["fraud_flags"]])
    return dict(user, invited_by=invited)


def ledger_cursor(value: str | None) -> tuple[datetime, str] | None:
    """The ledger pages as /credits does (one decoder), with the growth team's words."""
    return credit_account.decode_cursor(value, broken="That page link is broken. Start again from the newest entries.")


def user_invites(user_id: str, after: tuple[datetime, str] | None) -> tuple[list[dict], str | None]:
    """A page of the user's invites with what each earned, newest first, and the next cursor."""
    rows, cursor = keyset.split_page(queries.invites_by(user_id, after=after, limit=PAGE_SIZE + 1),
                                     PAGE_SIZE, "invite_id")
    return [dict(row, status_label=STATUS_LABELS.get(row["status"], row["status"]),
                 invitee=row["invitee_name"] if row["invitee_user_id"] else (row["invitee_hint"] or "—"),
                 flags=[(f, FRAUD_LABELS.get(f, f)) for f in row["fraud_flags"]],
                 month_label=cap_month(row["earned_at"]).strftime("%B %Y") if row["earned_at"] else None)
            for row in rows], cursor


def ledger_page(user_id: str, after: tuple[datetime, str] | None) -> tuple[list[dict], str | None]:
    """A page of the user's ledger, newest first (the /credits history's statement), each entry with
    its signed amount, and for an award whether it was clawed back already."""
    rows, cursor = keyset.split_page(credit_queries.history(user_id, after=after, limit=PAGE_SIZE + 1),
                                     PAGE_SIZE, "entry_id")
    return [_ledger_entry(row) for row in rows], cursor


def _ledger_entry(row: dict) -> dict:
    return dict(row, signed_cents=SIGN[row["kind"]] * row["amount_cents"], kind_label=ENTRY_LABELS[row["kind"]],
                can_claw_back=row["kind"] == "award" and row["clawed_back_by"] is None)


def ledger_entry(user_id: str, entry_id: str) -> dict:
    """One of the user's entries as the ledger shows it; NotFound for an entry that is not theirs."""
    entry = credit_queries.entry(entry_id)
    if entry is None or entry["user_id"] != user_id:
        raise NotFound(entry_id)
    # The page that starts with this entry, one row long (keyset.starting_at).
    after = keyset.decode(keyset.starting_at(entry["created_at"], entry_id), ("crl_",))
    [row] = credit_queries.history(user_id, after=after, limit=1)
    return _ledger_entry(row)


def claw_back(user_id: str, entry_id: str, *, actor_user_id: str, reason: str) -> dict:
    """Take back one of the user's awards in full (credits.service.claw_back_award: once, audited,
    the shortfall owed), in one transaction. NotFound for an entry that is not this user's award;
    Invalid when it was already clawed back or the reason is missing. Returns {amount_cents,
    balance_cents, owed_cents} after it."""
    def once() -> dict:
        try:
            award = credit_queries.entry(entry_id)
            if award is None or award["user_id"] != user_id or award["kind"] != "award":
                raise NotFound(entry_id)
            credit = credits.claw_back_award(entry_id, actor_user_id=actor_user_id, reason=reason)
            after = credit_queries.balance(user_id)
        except BaseException:
            db.session.rollback()
            raise
        db.session.commit()
        return dict(amount_cents=credit.amount_cents, **after)
    return retry_on_deadlock(once)


ADJUSTMENT_KINDS = {"award": "Award credit", "clawback": "Claw back credit"}


def adjust(user_id: str, *, actor_user_id: str, kind: str, amount: str, reason: str,
           decision_id: str | None = None) -> dict:
    """A manual award or clawback (amount typed in dollars), audited, in one transaction. What a
    valid adjustment is, is the credits service's (its messages land on the form's fields); here
    only the dollars are read. `decision_id`: the form's one-time key, so a double submit records
    once (repeated=True the second time). Returns {kind, amount_cents, repeated, balance_cents,
    owed_cents} after it."""
    try:
        cents = cents_of(amount)
    except ValueError as exc:
        cents, amount_error = 0, str(exc)
    else:
        amount_error = None

    def once() -> dict:
        try:
            if not queries.user_exists(user_id):
                raise NotFound(user_id)
            try:
                done = credits.adjust(user_id, actor_user_id=actor_user_id, kind=kind, amount_cents=cents,
                                      reason=reason, decision_id=decision_id)
            except Invalid as exc:
                if amount_error:  # what was typed is not dollars: say that rather than "above zero"
                    exc.fields["amount"] = amount_error
                raise
            after = credit_queries.balance(user_id)
        except BaseException:
            db.session.rollback()
            raise
        db.session.commit()
        return dict(kind=done.kind, amount_cents=done.amount_cents, repeated=done.repeated, **after)
    return retry_on_deadlock(once)
