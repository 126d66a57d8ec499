"""Attribution: a new account recorded against the invite that brought it, its fraud flags,
and the traces sign-ups and log-ins leave (sign_in_trace) for the self-referral rule.

Called by accounts/service.py inside the sign-up's (or log-in's) own transaction, so the
account and its invite are written together or not at all; nothing here commits. The
request's facts arrive as an attribution.Arrival, read by the view. docs/decisions.md,
"Invites — attribution", gives the rules in words.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..core import clock
from ..core.ids import new_id
from ..core.security import keyed_hash, keyed_hashes
from . import offers, queries, rules
from .attribution import WINDOW, Arrival, Visit
from .rules import Fingerprint, InviteStatus


@dataclass(frozen=True)
class _Referrer:
    """One invite that could claim a new account: a link visit or a pending e-mail invite."""
    at: datetime                 # when it reached the invitee: the first visit, or the e-mail's sending
    program_id: str
    inviter_user_id: str
    inviter_email: str
    source: str
    invite_id: str | None = None  # the pending e-mail invite's row; None for a link (a new row)


def invitation(visit: Visit | None) -> dict | None:
    """The invite the sign-up page names ("Invited by …"): the landing of the visit's code, with
    the role the invite is for (`invitee_role`) and the invitee's welcome credit in words
    (`welcome`, or None); None without a visit or once it no longer counts."""
    if visit is None:
        return None
    landing = queries.landing(visit.code)
    if landing is None:
        return None
    return {**landing, "invitee_role": rules.invitee_role(landing["kind"], landing["inviter_role"]),
            "welcome": offers.welcome(landing)}


def on_sign_up(*, user_id: str, email: str, role: str, arrival: Arrival) -> str | None:
    """Record the invite that brought this new account, if one did, then its sign-in traces.
    Returns the accepted invite's id. Runs in the caller's transaction (the account's)."""
    now = clock.now()
    # Stored under the current key; matched under it and any earlier key still accepted.
    ip_shas = keyed_hashes(arrival.ip) if arrival.ip else []
    invite_id = _attribute(user_id=user_id, email=email, role=role, arrival=arrival, ip_shas=ip_shas, now=now)
    queries.touch_traces(user_id, ip_sha=ip_shas[0] if ip_shas else None, device_id=arrival.device_id, at=now)
    return invite_id


def on_log_in(user_id: str, arrival: Arrival) -> None:
    """A log-in's traces: where the account signs in from (its IP's keyed hash, its device id)."""
    queries.touch_traces(user_id, ip_sha=keyed_hash(arrival.ip) if arrival.ip else None,
                         device_id=arrival.device_id, at=clock.now())


def canonical_email(email: str) -> str:
    """An address as one mailbox: trimmed, lower case, without a +tag (ada+2@x and ADA@x are one)."""
    local, at, domain = email.strip().lower().rpartition("@")
    return f"{local.split('+', 1)[0]}{at}{domain}" if at else email.strip().lower()


def _referrers(email_shas: list[str], role: str, visit: Visit | None, now: datetime) -> list[_Referrer]:
    """Every invite that may claim the account, first to reach the invitee first. Only invites for
    the role the invitee chose count: a provider's invite does not bring in a buyer."""
    found = []
    row = queries.referrer_of_code(visit.code) if visit is not None else None
    if row is not None and rules.invitee_role(row["kind"], row["inviter_role"]) == role:
        found.append(_Referrer(visit.first_seen, row["program_id"], row["inviter_user_id"], row["inviter_email"],
                               visit.source))
    for row in queries.pending_email_invites(email_shas, since=now - WINDOW):
        if rules.invitee_role(row["kind"], row["inviter_role"]) == role:
            found.append(_Referrer(row["created_at"], row["program_id"], row["inviter_user_id"], row["inviter_email"],
                                   "email", row["invite_id"]))
    return sorted(found, key=lambda r: (r.at, r.invite_id is None))


def _attribute(*, user_id: str, email: str, role: str, arrival: Arrival, ip_shas: list[str],
               now: datetime) -> str | None:
    email_shas = keyed_hashes(email)
    candidates = [r for r in _referrers(email_shas, role, arrival.visit, now) if r.inviter_user_id != user_id]
    if not candidates:
        return None
    winner = candidates[0]
    if winner.invite_id is None:  # a link: the same inviter's e-mail invite, if pending, is the row to accept
        pending = next((r for r in candidates if r.invite_id and (r.program_id, r.inviter_user_id)
                        == (winner.program_id, winner.inviter_user_id)), None)
        if pending is not None:  # it stays an e-mail invite (its source, the inviter's daily count)
            winner = _Referrer(winner.at, winner.program_id, winner.inviter_user_id, winner.inviter_email,
                               pending.source, pending.invite_id)

    flags, burst = _fraud_flags(email=email, inviter=winner, arrival=arrival, ip_shas=ip_shas, now=now)
    accepted = dict(invitee_user_id=user_id, accepted_at=now, source=winner.source, device_fp=arrival.device_id,
                    invitee_email_sha=email_shas[0], ip_addr_sha=ip_shas[0] if ip_shas else None,
                    status=str(InviteStatus.HELD if flags else InviteStatus.SIGNED_UP), fraud_flags=sorted(flags))
    if winner.invite_id is not None and queries.accept_invite(winner.invite_id, **accepted):
        invite_id = winner.invite_id
    else:  # a link, or (never in practice: one address, one account) the e-mail invite was taken meanwhile
        invite_id = new_id("rfi")
        queries.insert_accepted_invite(invite_id=invite_id, program_id=winner.program_id,
                                       inviter_user_id=winner.inviter_user_id, created_at=winner.at, **accepted)
    if burst:  # the earlier sign-ups of the burst are held too, now that it is one
        queries.flag_invites(burst, rules.SIGNUP_BURST)
    return invite_id


def _fraud_flags(*, email: str, inviter: _Referrer, arrival: Arrival, ip_shas: list[str],
                 now: datetime) -> tuple[frozenset[str], list[str]]:
    """The fraud rules this sign-up breaks, and the earlier invites of its burst when it makes one."""
    ip_sha = ip_shas[0] if ip_shas else None
    shared = queries.traces_shared_with(inviter.inviter_user_id, ip_shas=ip_shas, device_id=arrival.device_id)
    inviter_print = Fingerprint(email_sha=keyed_hash(canonical_email(inviter.inviter_email)),
                                device_fp=arrival.device_id if "device" in shared else None,
                                ip_sha=ip_sha if "ip" in shared else None)
    invitee_print = Fingerprint(email_sha=keyed_hash(canonical_email(email)), device_fp=arrival.device_id,
                                ip_sha=ip_sha)
    queries.lock_sign_up_sources(ip_sha, arrival.device_id)
    near = queries.accepted_near(ip_shas=ip_shas, device_id=arrival.device_id, at=now, window=rules.BURST_WINDOW)
    uninvited = queries.uninvited_sign_ups_near(ip_shas=ip_shas, device_id=arrival.device_id, at=now,
                                                window=rules.BURST_WINDOW)
    flags = rules.fraud_flags(invitee=invitee_print, inviter=inviter_print, email=email, signed_up_at=now,
                              same_source=[row["accepted_at"] for row in near] + uninvited)
    burst = [row["invite_id"] for row in near] if rules.SIGNUP_BURST in flags else []
    return flags, burst
