"""Mainland mobile numbers (MB2018-7: phone numbers are one of the means of real-name checks).

phonenumbers (lite metadata) parses every written form (+86, 0086, spaces) and knows which
ranges are allocated; the segment table below adds what it does not say: which operator
and which kind of line. Virtual-operator (MVNO) and IoT/data-only numbers are valid but carry
a risk warning, because they are what batch and fake registrations mostly use (PA2020-10,
PA2020-18(8)).
"""

from __future__ import annotations

import re

from chalicelib.identity.documents.common import DocumentCheck, DocumentType, Reason, compact, verdict

MOBILE, DATA_ONLY, VIRTUAL_OPERATOR, SATELLITE = "MOBILE", "DATA_ONLY", "VIRTUAL_OPERATOR", "SATELLITE"
CM, CU, CT, CBN = "CHINA_MOBILE", "CHINA_UNICOM", "CHINA_TELECOM", "CHINA_BROADNET"

# Longest prefix wins. (line type, operator) per MIIT segment allocations.
SEGMENTS: dict[str, tuple[str, str]] = {
    **{p: (MOBILE, CM) for p in ("134", "135", "136", "137", "138", "139", "150", "151", "152", "157", "158",
                                 "159", "172", "178", "182", "183", "184", "187", "188", "195", "197", "198")},
    **{p: (MOBILE, CU) for p in ("130", "131", "132", "155", "156", "166", "175", "176", "185", "186", "196")},
    **{p: (MOBILE, CT) for p in ("133", "153", "173", "177", "180", "181", "189", "190", "191", "193", "199")},
    "192": (MOBILE, CBN),
    "1349": (SATELLITE, CT),
    "1740": (SATELLITE, CT),
    "1741": (SATELLITE, CT),
    "147": (DATA_ONLY, CM), "148": (DATA_ONLY, CM), "145": (DATA_ONLY, CU),
    "146": (DATA_ONLY, CU), "149": (DATA_ONLY, CT), "144": (DATA_ONLY, CM),
    "165": (VIRTUAL_OPERATOR, CM), "1703": (VIRTUAL_OPERATOR, CM), "1705": (VIRTUAL_OPERATOR, CM),
    "1706": (VIRTUAL_OPERATOR, CM),
    "167": (VIRTUAL_OPERATOR, CU), "171": (VIRTUAL_OPERATOR, CU), "1704": (VIRTUAL_OPERATOR, CU),
    "1707": (VIRTUAL_OPERATOR, CU), "1708": (VIRTUAL_OPERATOR, CU), "1709": (VIRTUAL_OPERATOR, CU),
    "162": (VIRTUAL_OPERATOR, CT), "1700": (VIRTUAL_OPERATOR, CT), "1701": (VIRTUAL_OPERATOR, CT),
    "1702": (VIRTUAL_OPERATOR, CT),
}
_RISK = {VIRTUAL_OPERATOR: Reason.VIRTUAL_OPERATOR_RISK, DATA_ONLY: Reason.IOT_NUMBER_RISK}


def segment(national: str) -> tuple[str, str] | None:
    for length in (4, 3):
        found = SEGMENTS.get(national[:length])
        if found:
            return found
    return None


_CANONICAL = re.compile(r"(?:\+86|0086|86)?(1\d{10})")


def validate(number: str) -> DocumentCheck:
    import phonenumbers  # deferred: 20-30 ms of metadata, needed only for MOBILE

    canonical = _CANONICAL.fullmatch(compact(number))
    if canonical:  # the common written forms need no general parser
        parsed = phonenumbers.PhoneNumber(country_code=86, national_number=int(canonical.group(1)))
    else:
        try:
            parsed = phonenumbers.parse(number.strip()[:64], "CN")
        except phonenumbers.NumberParseException:
            return verdict(DocumentType.MOBILE, None, [Reason.FORMAT], [])
    national = str(parsed.national_number)
    if parsed.country_code != 86 or len(national) != 11 or not national.startswith("1"):
        return verdict(DocumentType.MOBILE, None, [Reason.NOT_MOBILE if parsed.country_code == 86 else Reason.FORMAT],
                       [])
    found = segment(national)
    if found is None or not phonenumbers.is_valid_number(parsed):
        return verdict(DocumentType.MOBILE, national, [Reason.NOT_MOBILE], [])
    line_type, operator = found
    warnings = [_RISK[line_type]] if line_type in _RISK else []
    return verdict(DocumentType.MOBILE, national, [], warnings,
                   {"line_type": line_type, "operator": operator, "e164": f"+86{national}"})


def canonical(number: str) -> str:
    """The one form a phone is blind-indexed in, wherever it is (blacklists, registration velocity, checks):
    the 11 national digits when it reads as a mainland number (+86, 0086, spaces, dashes, full-width digits
    all fold), otherwise its compacted text, so that no other written form of one number indexes apart."""
    return validate(number).normalized or compact(number)
