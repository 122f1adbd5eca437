"""Upfront ("V") verification (MB2018-8, MB2018-10) and professional qualifications (PA2020-9)."""

from __future__ import annotations

import secrets
from typing import Any

from chalicelib.core import audit_events as audit, clock, crypto, keys, stores
from chalicelib.core.errors import Conflict, Unprocessable
from chalicelib.core.pii import mask_document
from chalicelib.identity import documents, rules as identity, store as storage, upfront_rules as upfront
from chalicelib.identity.documents import DocumentType
from chalicelib.identity.documents.common import compact
from chalicelib.identity.subjects import partition


def _verified_subject(tenant_id: str, subject_id: str, article: str) -> dict[str, Any]:
    subject, _ = partition(tenant_id, subject_id)
    status = identity.effective_status(subject.get("status"), subject.get("reconfirm_by"), clock.iso())
    if status != identity.SubjectStatus.VERIFIED.value:
        raise Conflict("The subject's real identity is not verified (or has lapsed).",
                       message_zh="该主体的真实身份未认证或已过期。", code="SUBJECT_NOT_VERIFIED", article=article,
                       details={"status": status})
    refuse_erased(subject)
    return subject


def refuse_erased(subject: dict[str, Any]) -> None:
    """PA2017-9: a subject whose identity data was erased at its last cancellation must verify again."""
    if not subject.get("pii"):
        raise Conflict("The subject's identity data was erased when its last account was cancelled; verify it again.",
                       message_zh="该主体的身份信息已随最后一个账号注销而删除，请重新认证。", code="SUBJECT_PII_ERASED",
                       article="PA2017-9", details={"pii_erased_at": subject.get("pii_erased_at")})


def _put(tenant_id: str, subject_id: str, sort_key: str, item: dict[str, Any], event_type: str) -> None:
    event = audit.event(tenant_id, event_type, subject_id=subject_id,
                        record_id=item.get("qualification_id") or item.get("upfront_id"),
                        domain=item.get("domain"), category=item.get("category"))
    storage.store().put_in_subject(tenant_id, subject_id, sort_key, item, event)


def record_qualification(tenant_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """PA2020-9: a professional qualification for economics, education, medical/health or judicial content."""
    subject_id = body["subject_id"]
    _verified_subject(tenant_id, subject_id, "PA2020-9")
    now = clock.iso()
    if body["valid_until"] < now[:10]:
        raise Unprocessable("The qualification has already expired.", message_zh="该资质已过有效期。",
                            code="QUALIFICATION_EXPIRED", article="PA2020-9")
    number = compact(body["certificate_number"])
    key = crypto.index_key(tenant_id, stores.main_table())
    qualification_id = "qul_" + secrets.token_hex(8)
    item = {"qualification_id": qualification_id, "domain": body["domain"],
            "certificate_type": body["certificate_type"], "certificate_masked": mask_document(number),
            "certificate_index": crypto.blind_index(key, "CERTIFICATE", number), "issuer": body["issuer"],
            "valid_until": body["valid_until"], "recorded_at": now, "kind": "QUALIFICATION"}
    _put(tenant_id, subject_id, f"QUALIFICATION#{body['domain']}#{qualification_id}", item, "identity.qualification")
    return {"subject_id": subject_id, "valid": True,
            **{k: v for k, v in item.items() if k not in ("certificate_index", "kind")}}


def _registered_number_matcher(document_type: str) -> Any:
    """Normalize a material's number to the form the subject registered with (org code inside a USCC)."""
    kind = DocumentType(document_type)
    today = clock.now().date()

    def normalize(number: str) -> str | None:
        check = documents.validate(kind, number, today)
        if check.valid:
            return check.normalized
        if kind is DocumentType.ORG_CODE:
            uscc = documents.validate(DocumentType.USCC, number, today)
            return str(uscc.details["org_code"]) if uscc.valid else None
        return None

    return normalize


def approve_upfront(tenant_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """MB2018-8/10: approve a V-account only when every material agrees with the verified identity."""
    subject_id = body["subject_id"]
    subject = _verified_subject(tenant_id, subject_id, "MB2018-8")
    registered = crypto.unseal(tenant_id, subject_id, crypto.Sealed(subject["pii"], subject["pii_key"]))
    found = upfront.discrepancies(identity.SubjectType(subject["subject_type"]), registered["name"],
                                  registered["document_number"], body["claimed_name"], body["materials"],
                                  _registered_number_matcher(registered["document_type"]))
    if found:
        raise Unprocessable("The materials differ from the verified identity; no upfront verification.",
                            message_zh="证明材料与认证信息不一致，不予前台实名认证。", code="UPFRONT_DISCREPANCY",
                            article="MB2018-10", details={"discrepancies": [d.as_dict() for d in found]})
    now = clock.iso()
    upfront_id = "upf_" + secrets.token_hex(8)
    # RL2020-24: the claimed name is the verified name (checked above), which the subject holds sealed; the
    # record keeps no copy, so the filing reads the sealed one and erasure (PA2017-9) takes it with the rest.
    item = {"upfront_id": upfront_id, "category": body["category"], "approved_at": now,
            "materials": [{k: m[k] for k in ("type", "sha256") if k in m} for m in body["materials"]],
            "region_code": subject.get("region_code"), "kind": "UPFRONT",
            "GSI1PK": keys.upfront_index(tenant_id, body["category"]), "GSI1SK": f"{now}#{subject_id}"}
    _put(tenant_id, subject_id, f"UPFRONT#{upfront_id}", item, "identity.upfront_verification")
    return {"upfront_id": upfront_id, "subject_id": subject_id, "status": "APPROVED", "category": body["category"],
            "claimed_name": body["claimed_name"], "approved_at": now,
            "materials_checked": sorted({m["type"] for m in body["materials"]})}
