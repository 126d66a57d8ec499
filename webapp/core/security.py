"""Password hashing and keyed hashes of personal data.

E-mails and IPs are stored as HMAC-SHA256 under a server key, never as a plain
sha256: the space of e-mails and IPv4 addresses is small enough to brute-force.
"""
from __future__ import annotations

import hashlib
import hmac

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def password_needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def _pii_key(secret_key: str) -> bytes:
    # A key derived for this one purpose, so the session-signing key itself
    # never touches stored values.
    return hmac.new(secret_key.encode(), b"growthdesk/pii-hash/v1", hashlib.sha256).digest()


def keyed_hash(value: str, *, secret_key: str | None = None) -> str:
    """HMAC-SHA256 of a normalised value (trimmed, lower-cased), hex."""
    key = _pii_key(secret_key or current_app.config["SECRET_KEY"])
    return hmac.new(key, value.strip().lower().encode(), hashlib.sha256).hexdigest()


def keyed_hashes(value: str) -> list[str]:
    """The keyed hash of `value` under the current key, then under each earlier key still accepted
    (SECRET_KEY_FALLBACKS): what a lookup by hash matches while a key rotates out. Writes store
    only the first, keyed_hash(value) (docs/security.md, "Keyed hashes")."""
    keys = [current_app.config["SECRET_KEY"], *reversed(current_app.config.get("SECRET_KEY_FALLBACKS") or ())]
    return [keyed_hash(value, secret_key=key) for key in keys]


# --- signed requests (the marketplace's events) -------------------------------------------------
# As GitHub signs webhooks: "sha256=" and the hex HMAC-SHA256 of the raw body under a shared secret.
SIGNATURE_HEADER = "X-Growth-Signature"
SIGNATURE_PREFIX = "sha256="


def body_signature(secret: str, body: bytes) -> str:
    """The X-Growth-Signature value of `body` under `secret`: what a signer sends."""
    return SIGNATURE_PREFIX + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signature_matches(body: bytes, signature: str | None, secrets: list[str]) -> bool:
    """Whether `signature` is `body`'s under one of `secrets`, compared in constant time (a guess
    learns nothing from how long the comparison took). Anything but "sha256=<hex>" fails."""
    if not signature:
        return False
    given = signature.encode("utf-8", "replace")
    matched = False
    for secret in secrets:  # every one, not the first match: the time says nothing about which
        matched |= hmac.compare_digest(body_signature(secret, body).encode(), given)
    return matched
