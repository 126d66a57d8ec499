"""Personal invite codes: the `<code>` of /r/<code>.

Ten characters drawn by `secrets` from 31 that cannot be mistaken for one another (no 0/o,
1/l/i): 31^10 ≈ 8 × 10^14 codes, about 49 bits, so guessing one of even a million live codes
takes ~10^8 tries, far past the public page's rate limit. Lower case only, so a code typed in
capitals or read aloud still works. Never derived from the user id: the code says nothing
about who holds it. Stored in referral_code (migration 060), unique per user and program.
"""
from __future__ import annotations

import secrets

ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
LENGTH = 10
_ALLOWED = frozenset(ALPHABET)


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(text: str) -> str | None:
    """The code `text` spells (any case, surrounding spaces ignored), or None when it cannot be
    one: the wrong length or a character outside the alphabet. Checked before any lookup, so a
    malformed or huge code never reaches the database."""
    if len(text) > LENGTH + 8:
        return None
    code = text.strip().lower()
    if len(code) != LENGTH or not _ALLOWED.issuperset(code):
        return None
    return code
