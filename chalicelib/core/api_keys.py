"""API keys: random, shown once, stored only as a SHA-256 digest.

A generated key carries 256 random bits, so a fast digest cannot be brute-forced and a
single GetItem by digest authenticates a request. Operator-chosen keys (the local demo key)
must still be long enough to carry at least 128 bits.
"""

from __future__ import annotations

import hashlib
import re
import secrets

KEY_PREFIX = "ck_"
MIN_KEY_LENGTH = 24
MAX_KEY_LENGTH = 256
_PRINTABLE_ASCII = re.compile(rf"[!-~]{{{MIN_KEY_LENGTH},{MAX_KEY_LENGTH}}}")


def generate_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def new_key_id() -> str:
    return "key_" + secrets.token_hex(8)


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def is_plausible(key: str | None) -> bool:
    """Reject what can never be a key before spending a database round trip on it."""
    return key is not None and _PRINTABLE_ASCII.fullmatch(key) is not None


def hint(key: str) -> str:
    """What may be shown of a key after creation: enough to recognise it, not to use it."""
    return f"{key[:3]}…{key[-4:]}"
