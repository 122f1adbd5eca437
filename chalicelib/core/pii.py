"""Masking of identity numbers (MB2018-7, RL2020-24): what a response or log may show.

`redact` is the last line of defence for logs: it masks anything shaped like a resident ID,
unified social credit code or mainland mobile number wherever it appears in a string.
"""

from __future__ import annotations

import re

# 18-digit resident ID (last may be X), legacy 15-digit ID, USCC (GB 32100 alphabet), mobile.
_RESIDENT_ID = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[0-9Xx])(?![0-9A-Za-z])|(?<![0-9A-Za-z])(\d{6})(\d{6})(\d{3})(?![0-9A-Za-z])")
_USCC = re.compile(r"(?<![0-9A-Za-z])([0-9A-HJ-NPQRTUWXY]{2}\d{6})([0-9A-HJ-NPQRTUWXY]{9})([0-9A-HJ-NPQRTUWXY])(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<![0-9])(?:\+?86[- ]?)?(1[3-9]\d)(\d{4})(\d{4})(?![0-9])")


def mask_middle(value: str, keep_start: int, keep_end: int) -> str:
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[len(value) - keep_end:]


def mask_mobile(number: str) -> str:
    """``13800138000`` → ``138****8000``."""
    return mask_middle(number, 3, 4)


def mask_document(number: str) -> str:
    """``110101199003070078`` → ``1101**********0078``."""
    return mask_middle(number, 4, 4)


def redact(text: str) -> str:
    text = _RESIDENT_ID.sub(lambda m: mask_document(m.group(0)), text)
    text = _USCC.sub(lambda m: mask_document(m.group(0)), text)
    return _MOBILE.sub(lambda m: m.group(1) + "****" + m.group(3), text)
