"""Offline validation of identity documents: one entry point, never raises on any input."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from chalicelib.identity.documents import mobile, organization, resident_id, travel
from chalicelib.identity.documents.common import DocumentCheck, DocumentType, Reason

_CHECKS: dict[DocumentType, Callable[[str, date], DocumentCheck]] = {
    DocumentType.RESIDENT_ID: resident_id.validate,
    DocumentType.USCC: lambda n, _: organization.validate_uscc(n),
    DocumentType.ORG_CODE: lambda n, _: organization.validate_org_code(n),
    DocumentType.HK_MACAU_PERMIT: lambda n, _: travel.validate_hk_macau(n),
    DocumentType.TAIWAN_PERMIT: lambda n, _: travel.validate_taiwan(n),
    DocumentType.PR_CARD: travel.validate_pr_card,
    DocumentType.PASSPORT: lambda n, _: travel.validate_passport(n),
    DocumentType.MOBILE: lambda n, _: mobile.validate(n),
}


def validate(kind: DocumentType, number: str, today: date) -> DocumentCheck:
    """The offline verdict on `number` as a document of `kind`, judged as of `today`."""
    return _CHECKS[kind](number, today)


canonical_mobile = mobile.canonical

__all__ = ["DocumentCheck", "DocumentType", "Reason", "canonical_mobile", "validate"]
