"""Prefixed, time-ordered ids (usr_..., ssv_..., fdp_...) as the blueprint names them.

48 bits of milliseconds then 80 random bits, Crockford base32: ids sort by
creation time, which keeps B-tree inserts local and keyset cursors stable.
"""
import secrets
import time

_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"


def new_id(prefix: str, *, at_ms: int | None = None) -> str:
    ms = int(time.time() * 1000) if at_ms is None else at_ms
    value = (ms << 80) | secrets.randbits(80)
    chars = []
    for _ in range(26):
        value, rem = divmod(value, 32)
        chars.append(_ALPHABET[rem])
    return f"{prefix}_{''.join(reversed(chars))}"
