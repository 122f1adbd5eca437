"""Who asks to be verified (MB2018-7, MB2018-8, RL2020-24): the request checked offline (an invalid document
or mobile number, or a document the subject type cannot use, is refused before any provider sees it), and
what the subject item records of the applicant: the document masked; on a match, the identity sealed and
the mobile masked and blind-indexed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chalicelib.core import clock, crypto
from chalicelib.core.errors import Unprocessable
from chalicelib.core.pii import mask_document, mask_mobile
from chalicelib.identity import documents, rules as identity
from chalicelib.identity.documents import DocumentType


@dataclass(frozen=True)
class Applicant:
    subject_type: identity.SubjectType
    document: documents.DocumentCheck
    name: str
    mobile: documents.DocumentCheck | None


def validated(body: dict[str, Any]) -> Applicant:
    today = clock.now().date()
    subject_type = identity.SubjectType(body["subject_type"])
    document = documents.validate(DocumentType(body["document"]["type"]), body["document"]["number"], today)
    if not document.valid:
        raise Unprocessable("The document number is not valid; no verification was attempted.",
                            message_zh="证件号码无效，未进行核验。", code="DOCUMENT_INVALID", article="MB2018-7",
                            details={"reasons": [r.value for r in document.reasons]})
    if not identity.accepts(subject_type, document.type):
        raise Unprocessable(f"A {subject_type.value} cannot verify with a {document.type.value}.",
                            message_zh="该主体类型不能使用此类证件核验。", code="DOCUMENT_TYPE_MISMATCH",
                            article="MB2018-8",
                            details={"accepted": sorted(t.value for t in identity.ACCEPTED_DOCUMENTS[subject_type])})
    mobile = None
    if body.get("mobile"):
        mobile = documents.validate(DocumentType.MOBILE, body["mobile"], today)
        if not mobile.valid:
            raise Unprocessable("The mobile number is not a valid mainland mobile number.",
                                message_zh="手机号码不是有效的大陆手机号。", code="MOBILE_INVALID", article="MB2018-7",
                                details={"reasons": [r.value for r in mobile.reasons]})
    return Applicant(subject_type, document, body["real_name"].strip(), mobile)


def subject_fields(tenant_id: str, subject_id: str, applicant: Applicant, key: bytes, *,
                   sealed: bool) -> dict[str, Any]:
    """What the subject item records: masked document; with `sealed` (a match), the sealed identity
    and the mobile's masked form and blind index too."""
    document = applicant.document
    pii: dict[str, Any] = {"name": applicant.name, "document_type": document.type.value,
                           "document_number": document.normalized}
    fields: dict[str, Any] = {"subject_type": applicant.subject_type.value, "document_type": document.type.value,
                              "document_masked": mask_document(document.normalized or "", document.type.value)}
    region = document.details.get("region")
    if isinstance(region, dict) and region.get("code"):
        fields["region_code"] = region["code"]
    if not sealed:
        return fields
    if applicant.mobile is not None and applicant.mobile.normalized:
        pii["mobile"] = applicant.mobile.normalized
        fields["mobile_masked"] = mask_mobile(applicant.mobile.normalized)
        fields["mobile_index"] = crypto.blind_index(key, "MOBILE", applicant.mobile.normalized)
    envelope = crypto.seal(tenant_id, subject_id, pii)
    fields.update(pii=envelope.ciphertext, pii_key=envelope.wrapped_key)
    return fields
