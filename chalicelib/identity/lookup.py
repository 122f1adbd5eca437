"""Finding a subject by its raw document number (MB2018-7, RL2020-24).

The number is blind-indexed here as verification indexes it (the subject id is derived from that index), so
the number is never stored, logged or answered; any written form of it (spaces, hyphens, full-width digits,
a lower-case check letter) folds to the same canonical form and finds the same subject. The answer shows
the subject masked, as GET /v1/identity/subjects/{id} does.

A phone is not a lookup key: the subject keeps only its mobile's blind index and no index leads from it to
the subject (erasure takes it away with the rest, PA2017-9); a phone is checked against its blacklist entry.
"""

from __future__ import annotations

from typing import Any

from chalicelib.core import clock, crypto, stores
from chalicelib.core.errors import NotFound, Unprocessable
from chalicelib.core.pii import remask
from chalicelib.identity import documents, rules as identity, store as storage
from chalicelib.identity.documents import DocumentType
from chalicelib.identity.verification import subject_id_of


def _subject_id(tenant_id: str, document_type: str, number: str) -> str:
    kind = DocumentType(document_type)
    if kind is DocumentType.MOBILE:
        raise Unprocessable("A subject is looked up by its identity document, not by a mobile number.",
                            message_zh="主体须按身份证件查找，不能按手机号查找。", code="LOOKUP_DOCUMENT_TYPE",
                            article="MB2018-7", details={"document_type": document_type})
    check = documents.validate(kind, number, clock.now().date())
    if not check.valid:
        # The reasons name what is wrong with the number, never the number (RL2020-24).
        raise Unprocessable("document_number is not a valid number of this type.", message_zh="证件号码无效。",
                            code="DOCUMENT_INVALID", details={"reasons": [r.value for r in check.reasons]})
    index_key = crypto.index_key(tenant_id, stores.main_table())
    return subject_id_of(crypto.blind_index(index_key, check.type.value, check.normalized or ""))


def _masked(subject: dict[str, Any], now: str) -> dict[str, Any]:
    return {"subject_id": subject["subject_id"], "subject_type": subject["subject_type"],
            "status": identity.effective_status(subject.get("status"), subject.get("reconfirm_by"), now),
            "document": {"type": subject["document_type"],
                         "masked": remask(subject["document_masked"], subject["document_type"])},
            "mobile_masked": remask(subject.get("mobile_masked"), "MOBILE")}


def by_document(tenant_id: str, document_type: str, number: str) -> dict[str, Any]:
    """The tenant's subject with this document, masked, or 404 (one GetItem, in the caller's tenant only)."""
    subject = storage.store().subject(tenant_id, _subject_id(tenant_id, document_type, number))
    if subject is None:
        raise NotFound("No subject of this tenant has this document.", message_zh="本租户没有持该证件的主体。",
                       code="SUBJECT_NOT_FOUND")
    return {"items": [_masked(subject, clock.iso())]}
