"""API keys: random enough, never stored in plain text, cheap to reject when malformed."""

from __future__ import annotations

from chalicelib.core import api_keys


def test_generated_keys_carry_at_least_128_random_bits_and_differ():
    keys = {api_keys.generate_key() for _ in range(50)}
    assert len(keys) == 50
    for key in keys:
        assert key.startswith(api_keys.KEY_PREFIX)
        # token_urlsafe(32): 43 characters of 6 bits each = 256 bits.
        assert len(key) - len(api_keys.KEY_PREFIX) >= 22
        assert api_keys.is_plausible(key)


def test_digest_is_sha256_hex_and_hint_reveals_little():
    key = "ck_" + "A" * 40 + "wxyz"
    assert len(api_keys.key_digest(key)) == 64
    assert api_keys.key_digest(key) != key
    assert api_keys.hint(key) == "ck_…wxyz"


def test_implausible_keys_are_rejected_without_lookup():
    for bad in (None, "", "short", "x" * 300, "has space in it and is long enough",
                "中文中文中文中文中文中文中文中文中文中文中文中文"):
        assert not api_keys.is_plausible(bad)
