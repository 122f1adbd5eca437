"""What every document check shares: the result shape, reason codes, check-digit arithmetic."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any


class DocumentType(str, Enum):
    RESIDENT_ID = "RESIDENT_ID"
    USCC = "USCC"
    ORG_CODE = "ORG_CODE"
    HK_MACAU_PERMIT = "HK_MACAU_PERMIT"
    TAIWAN_PERMIT = "TAIWAN_PERMIT"
    PR_CARD = "PR_CARD"
    PASSPORT = "PASSPORT"
    MOBILE = "MOBILE"


class Reason(str, Enum):
    """Why a number is invalid (`reasons`) or doubtful (`warnings`)."""

    FORMAT = "FORMAT"
    CHECKSUM = "CHECKSUM"
    DATE = "DATE"
    REGION = "REGION"
    AUTHORITY = "AUTHORITY"
    ORG_CODE_CHECKSUM = "ORG_CODE_CHECKSUM"
    DEGENERATE = "DEGENERATE"
    NATIONALITY = "NATIONALITY"
    NOT_MOBILE = "NOT_MOBILE"
    # warnings
    COUNTY_UNKNOWN = "COUNTY_UNKNOWN"
    LEGACY_15_DIGIT = "LEGACY_15_DIGIT"
    LEGACY_FORMAT = "LEGACY_FORMAT"
    CHECK_DIGIT_UNVERIFIED = "CHECK_DIGIT_UNVERIFIED"
    VIRTUAL_OPERATOR_RISK = "VIRTUAL_OPERATOR_RISK"
    IOT_NUMBER_RISK = "IOT_NUMBER_RISK"


@dataclass(frozen=True)
class DocumentCheck:
    """The offline verdict on one number. `normalized` is set whenever the format was readable."""

    type: DocumentType
    valid: bool
    normalized: str | None
    reasons: tuple[Reason, ...] = ()
    warnings: tuple[Reason, ...] = ()
    details: dict[str, Any] = field(default_factory=dict)


def verdict(kind: DocumentType, normalized: str | None, reasons: list[Reason], warnings: list[Reason],
            details: dict[str, Any] | None = None) -> DocumentCheck:
    return DocumentCheck(kind, not reasons, normalized, tuple(dict.fromkeys(reasons)),
                         tuple(dict.fromkeys(warnings)), details or {})


_SEPARATORS = re.compile(r"[\s\-‐‑–—()（）.]")


def compact(number: str) -> str:
    """Drop spaces, hyphens, brackets and dots; fold full-width forms and case."""
    folded = number.translate({code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)})
    return _SEPARATORS.sub("", folded).upper()


_MOD11_2_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def mod11_2_check(body17: str) -> str:
    """ISO 7064 MOD 11-2 check character of GB 11643 (resident ID, 2023 permanent residence card)."""
    total = sum(int(d) * w for d, w in zip(body17, _MOD11_2_WEIGHTS, strict=False))
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


def parse_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def plausible_birth_date(born: date | None, today: date) -> bool:
    return born is not None and date(1900, 1, 1) <= born <= today
