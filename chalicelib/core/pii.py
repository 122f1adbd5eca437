"""Masking of identity numbers (MB2018-7, GR2017-6, PA2017-9, RL2020-24): what a response, a filing or a log may show.

One bound for every document: at most a third of a number's characters, rounded down, stay
visible. Within that bound each document type keeps what lets its holder recognise it (the last
digits, and for 18-character codes the province at the start); a short number shows fewer, and
a number of one or two characters shows none.

`remask` applies the same bound to a masked form stored by earlier code (``1101**********0078``,
``138****8000``): every `*` stays, and the visible characters outside the type's shape become `*`,
so a stored form reads exactly as a fresh mask of the same number would.

`redact` is the last line of defence for logs: it masks anything shaped like a resident ID,
unified social credit code or mainland mobile number wherever it appears in a string.
"""

from __future__ import annotations

import re
from typing import overload

MASK = "*"

# Characters kept (at the start, at the end) before the third is applied, per DocumentType value.
# Core does not import identity; a test holds these keys equal to the DocumentType enum.
SHAPES: dict[str, tuple[int, int]] = {
    "RESIDENT_ID": (2, 4),      # 11************0078: province and last four, 6 of 18 (legacy 15: 1 + 4)
    "USCC": (2, 4),             # 91************001X: 6 of 18
    "ORG_CODE": (1, 2),         # 1******4X: 3 of 9
    "HK_MACAU_PERMIT": (1, 2),  # C******78: 3 of 9, 3 of 11
    "TAIWAN_PERMIT": (1, 2),    # ******78: 2 of 8; 1********90: 3 of 10
    "PR_CARD": (2, 4),          # 93************001X: 6 of 18; 2004 cards (15) 1 + 4
    "PASSPORT": (1, 2),         # E******78: 3 of 9
    "MOBILE": (0, 3),           # ********678: the last three the holder knows; 3 of 11 (the leading 1 says nothing)
}
# A certificate or contact of no known type: one character at the start, the rest at the end.
DEFAULT_SHAPE = (1, 4)

# 18-digit resident ID (last may be X), legacy 15-digit ID, USCC (GB 32100 alphabet), mobile with or without +86.
_APART = r"(?<![0-9A-Za-z]){}(?![0-9A-Za-z])"
_RESIDENT_ID = re.compile(_APART.format(r"(?:\d{17}[0-9Xx]|\d{15})"))
_USCC = re.compile(_APART.format(r"[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}"))
_MOBILE = re.compile(r"(?<![0-9])(?:\+?86[- ]?)?(1[3-9]\d{9})(?![0-9])")


def visible_span(length: int, kind: str | None = None) -> tuple[int, int]:
    """(start, end) characters a mask of `length` characters keeps: the type's shape, cut to a third."""
    start, end = SHAPES.get(str(getattr(kind, "value", kind)), DEFAULT_SHAPE)
    budget = length // 3
    end = min(end, budget)
    return min(start, budget - end), end


def mask_document(number: str, kind: str | None = None) -> str:
    """``110101199003070078`` as RESIDENT_ID → ``11************0078``; `kind` is a DocumentType (value)."""
    start, end = visible_span(len(number), kind)
    return "".join(c if i < start or i >= len(number) - end else MASK for i, c in enumerate(number))


def mask_mobile(number: str) -> str:
    """``13800138000`` → ``********000``."""
    return mask_document(number, "MOBILE")


@overload
def remask(masked: str, kind: str | None = None) -> str: ...
@overload
def remask(masked: None, kind: str | None = None) -> None: ...
def remask(masked: str | None, kind: str | None = None) -> str | None:
    """A stored masked form cut to the bound: its `*` stay, so it never shows more than it did."""
    return None if masked is None else mask_document(masked, kind)


def redact(text: str) -> str:
    text = _RESIDENT_ID.sub(lambda m: mask_document(m.group(0), "RESIDENT_ID"), text)
    text = _USCC.sub(lambda m: mask_document(m.group(0), "USCC"), text)
    return _MOBILE.sub(lambda m: m.group(0)[:m.start(1) - m.start(0)] + mask_mobile(m.group(1)), text)
