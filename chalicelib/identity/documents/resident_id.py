"""Resident identity card numbers, GB 11643 (MB2018-7, GR2017-6, PA2017-6, BJ2011-9).

18 digits: 6 division code, 8 birth date, 3 sequence (odd = male), 1 ISO 7064 MOD 11-2 check
(`X` for 10). Legacy 15-digit numbers (6 division, YYMMDD, 3 sequence, no check) are still
valid and are upgraded to 18 digits in `normalized`.
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
from chalicelib.identity.documents.regions import region_of

_EIGHTEEN = re.compile(r"\d{17}[\dX]")
_FIFTEEN = re.compile(r"\d{15}")


def validate(number: str, today: date) -> DocumentCheck:
    raw = compact(number)
    if _FIFTEEN.fullmatch(raw):
        body = raw[:6] + "19" + raw[6:]
        return _check(body + mod11_2_check(body), today, legacy=True)
    if not _EIGHTEEN.fullmatch(raw):
        return verdict(DocumentType.RESIDENT_ID, None, [Reason.FORMAT], [])
    return _check(raw, today, legacy=False)


def _check(full: str, today: date, *, legacy: bool) -> DocumentCheck:
    reasons: list[Reason] = []
    warnings: list[Reason] = [Reason.LEGACY_15_DIGIT] if legacy else []
    if full[17] != mod11_2_check(full[:17]):
        reasons.append(Reason.CHECKSUM)
    born = parse_date(int(full[6:10]), int(full[10:12]), int(full[12:14]))
    if not plausible_birth_date(born, today):
        reasons.append(Reason.DATE)
    region, county_known = region_of(full[:6])
    if region is None:
        reasons.append(Reason.REGION)
    elif not county_known:
        warnings.append(Reason.COUNTY_UNKNOWN)
    details: dict[str, object] = {"sex": "M" if int(full[16]) % 2 else "F"}
    if born is not None:
        details["birth_date"] = born.isoformat()
    if region is not None:
        details["region"] = region
    return verdict(DocumentType.RESIDENT_ID, full, reasons, warnings, details)
