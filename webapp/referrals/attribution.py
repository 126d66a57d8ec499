"""The attribution cookie: which invite link brought this browser here, and a device id.

A visit to /r/<code> leaves a first-party cookie (COOKIE) with the code, the `?s=` source, a
random device id and the moment of the visit, signed (itsdangerous, a salt of its own, keyed by
SECRET_KEY), HttpOnly, SameSite=Lax and Secure in production, for the attribution WINDOW of 30
days. The first valid referrer wins: a later visit to another link leaves a cookie alone while its
code still leads to an active program; an expired, tampered or no longer valid one is replaced.
Sign-up reads it (through `arrival()`) and records the invite; the cookie is then dropped.

A second, long-lived cookie (DEVICE_COOKIE, signed the same way) carries the device id past
sign-up, so log-ins leave the same device in sign_in_trace as the sign-up did: an inviter's own
device is known when someone signs up through their link (the self-referral rule). Nothing here
touches the database. docs/decisions.md, "Invites — attribution", says why each choice.
"""
from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app, request
from itsdangerous import BadData, TimestampSigner, URLSafeTimedSerializer

from ..core import clock
from . import codes, rules

COOKIE = "growthdesk_invite"
DEVICE_COOKIE = "growthdesk_device"
WINDOW = timedelta(days=30)               # the attribution window, from the first visit
DEVICE_LIFETIME = timedelta(days=400)     # the longest a browser keeps a cookie (Chrome caps it at 400 days)
_VISIT_SALT = "growthdesk/attribution/v1"
_DEVICE_SALT = "growthdesk/device/v1"
_DEVICE_ID = re.compile(r"^dfp_[0-9a-f]{32}$")


class _ClockSigner(TimestampSigner):
    """Signs and checks ages by the app's clock (core.clock), so tests can pin the moment."""

    def get_timestamp(self) -> int:
        return int(clock.now().timestamp())


def _serializer(salt: str) -> URLSafeTimedSerializer:
    # Signed with SECRET_KEY; earlier keys still accepted while they rotate out (docs/security.md).
    keys = [*(current_app.config.get("SECRET_KEY_FALLBACKS") or ()), current_app.secret_key]
    return URLSafeTimedSerializer(keys, salt=salt, signer=_ClockSigner)


def new_device_id() -> str:
    """A random id for this browser (128 bits): says nothing about the device itself."""
    return f"dfp_{secrets.token_hex(16)}"


@dataclass(frozen=True)
class Visit:
    """What the attribution cookie holds: the invite link a browser first came through."""
    code: str
    source: str
    device_id: str
    first_seen: datetime


@dataclass(frozen=True)
class Arrival:
    """Where a sign-up or log-in comes from, read off the request by the view, so the services
    that record it never see the request: the client's address, this browser's device id and the
    invite it came through (None without a valid attribution cookie)."""
    ip: str | None
    device_id: str
    visit: Visit | None = None
    device_known: bool = False  # the device cookie already holds device_id: nothing to set


def read_visit() -> Visit | None:
    """The request's attribution cookie, or None when it is missing, tampered with, older than
    the window or not shaped as this module writes it."""
    raw = request.cookies.get(COOKIE)
    if not raw or len(raw) > 512:
        return None
    try:
        data = _serializer(_VISIT_SALT).loads(raw, max_age=int(WINDOW.total_seconds()))
    except BadData:
        return None
    try:
        code, source, device_id, seen = data["c"], data["s"], data["d"], data["t"]
        first_seen = datetime.fromtimestamp(seen, UTC)
    except (KeyError, TypeError, ValueError, OverflowError, OSError):
        return None
    if (not isinstance(code, str) or codes.normalise(code) != code or source not in rules.SOURCES
            or not isinstance(device_id, str) or not _DEVICE_ID.match(device_id)
            or not clock.now() - WINDOW <= first_seen <= clock.now()):
        return None
    return Visit(code=code, source=source, device_id=device_id, first_seen=first_seen)


def _read_device() -> str | None:
    raw = request.cookies.get(DEVICE_COOKIE)
    if not raw or len(raw) > 256:
        return None
    try:
        device_id = _serializer(_DEVICE_SALT).loads(raw, max_age=int(DEVICE_LIFETIME.total_seconds()))
    except BadData:
        return None
    return device_id if isinstance(device_id, str) and _DEVICE_ID.match(device_id) else None


def _set(response, name: str, value: str, lifetime: timedelta) -> None:
    # Site-wide (werkzeug's default path): the sign-up and log-in pages read them.
    response.set_cookie(name, value, max_age=int(lifetime.total_seconds()), httponly=True,
                        samesite="Lax", secure=current_app.config["SESSION_COOKIE_SECURE"])


def remember_visit(response, code: str, source: str, *, still_valid) -> Visit | None:
    """Leave the attribution cookie for a visit to `code`'s page on `response`, unless an earlier
    visit's cookie still counts: the first valid referrer wins. `still_valid(code)` says whether
    an earlier cookie's code still leads to an active program (asked only for another code).
    Returns the visit the browser now carries."""
    current = read_visit()
    if current is not None and (current.code == code or still_valid(current.code)):
        return current
    device_id = _read_device() or (current.device_id if current else None) or new_device_id()
    now = clock.now()
    visit = Visit(code=code, source=source, device_id=device_id, first_seen=now.replace(microsecond=0))
    payload = {"c": code, "s": source, "d": device_id, "t": int(visit.first_seen.timestamp())}
    _set(response, COOKIE, _serializer(_VISIT_SALT).dumps(payload), WINDOW)
    return visit


def arrival() -> Arrival:
    """This request's Arrival: its address, the device id (the device cookie's, else the
    attribution cookie's, else a new one) and the invite it came through."""
    visit = read_visit()
    known = _read_device()
    device_id = known or (visit.device_id if visit else None) or new_device_id()
    return Arrival(ip=request.remote_addr, device_id=device_id, visit=visit, device_known=known is not None)


def keep_device(response, arrival: Arrival) -> None:
    """After a sign-up or log-in: the browser keeps its device id for the next log-in."""
    if not arrival.device_known:
        _set(response, DEVICE_COOKIE, _serializer(_DEVICE_SALT).dumps(arrival.device_id), DEVICE_LIFETIME)


def forget_visit(response) -> None:
    """After a sign-up: the invite has been recorded (or did not apply); the cookie has done its work."""
    response.delete_cookie(COOKIE, httponly=True, samesite="Lax",
                           secure=current_app.config["SESSION_COOKIE_SECURE"])
