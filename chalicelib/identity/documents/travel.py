"""Documents of people without a resident ID: travel permits, permanent residence cards, passports.

- HK_MACAU_PERMIT: Mainland Travel Permit for Hong Kong and Macao Residents: H (Hong Kong) or
  M (Macao) and 8 digits; the older form added a 2-digit issue count (warning LEGACY_FORMAT).
- TAIWAN_PERMIT: Mainland Travel Permit for Taiwan Residents: 8 digits; the older 10-digit
  booklet number is accepted with LEGACY_FORMAT.
- PR_CARD: Foreigner's Permanent Residence ID Card. The 2023 card is 18 digits laid out like a
  resident ID ("9", province of issue, ISO 3166 numeric nationality, birth date, sequence,
  MOD 11-2 check). The 2004 card is 15 characters (ISO 3166 alpha-3 nationality, province of
  issue, YYMMDD birth date, sequence, check); its check scheme is not published, so it is
  reported as CHECK_DIGIT_UNVERIFIED rather than guessed.
- PASSPORT: format only (5-17 letters and digits); Chinese passport patterns are recognised.
"""

from __future__ import annotations

import re
from datetime import date

from chalicelib.identity.documents.common import (
    DocumentCheck,
    DocumentType,
    Reason,
    compact,
    mod11_2_check,
    parse_date,
    plausible_birth_date,
    verdict,
)
from chalicelib.identity.documents.regions import PROVINCES

_HK_MACAU = re.compile(r"([HM])(\d{8})(\d{2})?")
_TAIWAN = re.compile(r"\d{8}|\d{10}")
_PR_2023 = re.compile(r"9\d{16}[\dX]")
_PR_2004 = re.compile(r"[A-Z]{3}\d{12}")
_PASSPORT = re.compile(r"[A-Z0-9]{5,17}")
_CN_PASSPORT = re.compile(r"E[A-HJ-NP-Z0-9]\d{7}|[EGDSP]\d{8}")


def validate_hk_macau(number: str) -> DocumentCheck:
    raw = compact(number)
    match = _HK_MACAU.fullmatch(raw)
    if not match:
        return verdict(DocumentType.HK_MACAU_PERMIT, None, [Reason.FORMAT], [])
    warnings = [Reason.LEGACY_FORMAT] if match.group(3) else []
    issued_for = {"H": "香港特别行政区", "M": "澳门特别行政区"}[match.group(1)]
    return verdict(DocumentType.HK_MACAU_PERMIT, raw, [], warnings, {"region": issued_for})


def validate_taiwan(number: str) -> DocumentCheck:
    raw = compact(number)
    if not _TAIWAN.fullmatch(raw):
        return verdict(DocumentType.TAIWAN_PERMIT, None, [Reason.FORMAT], [])
    return verdict(DocumentType.TAIWAN_PERMIT, raw, [], [Reason.LEGACY_FORMAT] if len(raw) == 10 else [])


def validate_pr_card(number: str, today: date) -> DocumentCheck:
    raw = compact(number)
    reasons: list[Reason] = []
    warnings: list[Reason] = []
    if _PR_2023.fullmatch(raw):
        province, nationality = raw[1:3], raw[3:6]
        born = parse_date(int(raw[6:10]), int(raw[10:12]), int(raw[12:14]))
        if raw[17] != mod11_2_check(raw[:17]):
            reasons.append(Reason.CHECKSUM)
        if nationality == "000":
            reasons.append(Reason.NATIONALITY)
        details: dict[str, object] = {"format": "2023", "nationality_code": nationality}
    elif _PR_2004.fullmatch(raw):
        nationality, province = raw[:3], raw[3:5]
        century = 1900 if int(raw[5:7]) > today.year % 100 else 2000
        born = parse_date(century + int(raw[5:7]), int(raw[7:9]), int(raw[9:11]))
        warnings.append(Reason.CHECK_DIGIT_UNVERIFIED)
        details = {"format": "2004", "nationality_code": nationality}
    else:
        return verdict(DocumentType.PR_CARD, None, [Reason.FORMAT], [])
    if province not in PROVINCES:
        reasons.append(Reason.REGION)
    else:
        details["issued_in"] = PROVINCES[province]
    if not plausible_birth_date(born, today):
        reasons.append(Reason.DATE)
    elif born is not None:
        details["birth_date"] = born.isoformat()
    return verdict(DocumentType.PR_CARD, raw, reasons, warnings, details)


def validate_passport(number: str) -> DocumentCheck:
    raw = compact(number)
    if not _PASSPORT.fullmatch(raw) or not any(ch.isdigit() for ch in raw):
        return verdict(DocumentType.PASSPORT, None, [Reason.FORMAT], [])
    return verdict(DocumentType.PASSPORT, raw, [], [], {"chinese_pattern": bool(_CN_PASSPORT.fullmatch(raw))})
