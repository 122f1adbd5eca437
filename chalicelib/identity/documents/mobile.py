"""Mainland mobile numbers (MB2018-7: phone numbers are one of the means of real-name checks).

phonenumbers (lite metadata) parses every written form (+86, 0086, spaces) and knows which
ranges are allocated; the segment table (generated from that metadata, chalicelib/data/
mobile_segments.json) adds what it does not say: which operator and which kind of line.
Virtual-operator (MVNO) and IoT/data-only numbers are valid but carry a risk warning, because they
are what batch and fake registrations mostly use (PA2020-10, PA2020-18(8)).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from chalicelib.identity.documents.common import DocumentCheck, DocumentType, Reason, compact, verdict

MOBILE, DATA_ONLY, VIRTUAL_OPERATOR, SATELLITE = "MOBILE", "DATA_ONLY", "VIRTUAL_OPERATOR", "SATELLITE"
CM, CU, CT, CBN = "CHINA_MOBILE", "CHINA_UNICOM", "CHINA_TELECOM", "CHINA_BROADNET"

# Every four-digit prefix phonenumbers' metadata takes as mobile, with its line type and operator: generated
# by infra/name_tables.py (a drift test regenerates it), so no hand-written table can refuse a live segment.
_SEGMENTS_FILE = Path(__file__).resolve().parents[2] / "data" / "mobile_segments.json"


@lru_cache(maxsize=1)
def segments() -> dict[str, tuple[str, str]]:
    return {prefix: (line, operator) for prefix, (line, operator) in json.loads(_SEGMENTS_FILE.read_text()).items()}


_RISK = {VIRTUAL_OPERATOR: Reason.VIRTUAL_OPERATOR_RISK, DATA_ONLY: Reason.IOT_NUMBER_RISK}


def segment(national: str) -> tuple[str, str] | None:
    return segments().get(national[:4])


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
