"""Real-name verification (MB2018-7, GR2017-6, PA2017-6, PA2020-8, BJ2011-9).

Flow: offline validation (an invalid number never reaches a provider) → per-document daily
attempt cap → provider → one transaction recording the attempt and the subject's state.
Identity numbers leave this module only as blind indexes, masked forms and ciphertext.
With an `Idempotency-Key`, a retry returns the first answer and changes nothing
(core/idempotency.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from chalicelib.core import (
    audit_events as audit,
    clock,
    crypto,
    idempotency,
    ids,
    outbound as tenant_endpoints,
    policy,
    stores,
)
from chalicelib.core.auth import Principal
from chalicelib.core.errors import Forbidden, ProviderUnavailable, Unprocessable
from chalicelib.core.pii import mask_document, mask_mobile
from chalicelib.identity import documents, rules as identity, store as storage
from chalicelib.identity.documents import DocumentType
from chalicelib.identity.provider_codes import Outcome
from chalicelib.identity.providers import HttpProvider, Provider, SandboxProvider, VerificationRequest
from chalicelib.identity.store import IdentityStore

CHINA_TIME = timezone(timedelta(hours=8))
_RETRYABLE = {Outcome.RATE_LIMITED, Outcome.PROVIDER_ERROR}
_REFUSED = {Outcome.INVALID_INPUT: ("PROVIDER_INVALID_INPUT", "The provider refused the input as invalid.",
                                    "核验服务认为输入信息无效。"),
            Outcome.UNSUPPORTED: ("PROVIDER_UNSUPPORTED", "The provider cannot verify this document or number.",
                                  "核验服务不支持该证件或号码。")}


@dataclass(frozen=True)
class Applicant:
    subject_type: identity.SubjectType
    document: documents.DocumentCheck
    name: str
    mobile: documents.DocumentCheck | None


def verify(principal: Principal, body: dict[str, Any], idempotency_key: str | None,
           lambda_context: Any = None) -> dict[str, Any]:
    applicant = _validated(body)
    table = stores.main_table()
    key = crypto.index_key(principal.tenant_id, table)
    if not idempotency_key:
        return _verify(principal, applicant, key)
    return idempotency.run_once(principal.tenant_id, "identity.verify", idempotency_key,
                                idempotency.fingerprint(key, body), lambda: _verify(principal, applicant, key),
                                lambda_context)


def _validated(body: dict[str, Any]) -> Applicant:
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


def _verify(principal: Principal, applicant: Applicant, key: bytes) -> dict[str, Any]:
    tenant_id = principal.tenant_id
    settings = policy.current(tenant_id).effective["identity"]
    document = applicant.document
    document_index = crypto.blind_index(key, document.type.value, document.normalized or "")
    subject_id = subject_id_of(document_index)
    store = storage.store()
    now = clock.now()
    _take_attempt(store, tenant_id, document_index, settings["max_attempts_per_document_per_day"], now)

    provider = _provider(principal, settings)
    # Time-ordered id (ms, then random), so a subject's history sorts by time within a second too.
    verification_id = ids.new(ids.Kind.VERIFICATION)
    answer = provider.verify(VerificationRequest(verification_id, document.type, document.normalized or "",
                                                 applicant.name,
                                                 applicant.mobile.normalized if applicant.mobile else None))
    if answer.outcome in _RETRYABLE:
        raise ProviderUnavailable("The verification provider did not answer; retry later.",
                                  message_zh="核验服务暂无应答，请稍后重试。",
                                  code="PROVIDER_RATE_LIMITED" if answer.outcome is Outcome.RATE_LIMITED
                                  else "PROVIDER_UNAVAILABLE",
                                  details={"provider": answer.provider, "attempts": answer.attempts,
                                           "provider_code": answer.provider_code},
                                  headers={"Retry-After": "5"})
    if answer.outcome in _REFUSED:
        code, en, zh = _REFUSED[answer.outcome]
        raise Unprocessable(en, message_zh=zh, code=code, details={"provider": answer.provider})

    at = clock.iso(now)
    matched = answer.outcome is Outcome.MATCH
    until = clock.iso(identity.reconfirm_by(now, settings["reconfirm_days"])) if matched else None
    subject = _subject_fields(tenant_id, subject_id, applicant, key, sealed=matched)
    mobile_masked = mask_mobile(applicant.mobile.normalized or "") if applicant.mobile else None
    record = {"verification_id": verification_id, "at": at, "outcome": answer.outcome.value,
              "provider": answer.provider, "provider_code": answer.provider_code,
              "document_type": document.type.value, "document_masked": subject["document_masked"],
              "mobile_masked": mobile_masked, "kind": "VERIFICATION"}
    store.record_verification(tenant_id, subject_id, subject, record, until, audit.event(
        tenant_id, "identity.verification", subject_id=subject_id, verification_id=verification_id,
        outcome=answer.outcome.value, provider=answer.provider, document_type=document.type.value))
    return {"verification_id": verification_id, "subject_id": subject_id, "outcome": answer.outcome.value,
            "verified": matched, "subject_type": applicant.subject_type.value,
            "document": {"type": document.type.value, "masked": subject["document_masked"]},
            "mobile_masked": mobile_masked, "provider": answer.provider,
            "verified_at": at if matched else None, "reconfirm_by": until}


def subject_id_of(document_index: str) -> str:
    """A subject is its document: the id is derived from the document's blind index."""
    return "sub_" + document_index[:40]


def _take_attempt(store: IdentityStore, tenant_id: str, document_index: str, limit: int, now: datetime) -> None:
    local = now.astimezone(CHINA_TIME)
    midnight = (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    retry_after = max(1, int((midnight - local).total_seconds()))
    store.take_attempt(tenant_id, document_index, local.strftime("%Y-%m-%d"), limit,
                       int(clock.now_epoch()) + 2 * 86400, retry_after)


def _provider(principal: Principal, settings: dict[str, Any]) -> Provider:
    if settings["provider"] == "sandbox":
        if not principal.sandbox:
            raise Forbidden("The sandbox verifier is only for sandbox tenants; set identity.provider to http.",
                            message_zh="沙箱核验仅供沙箱租户使用；请将 identity.provider 设为 http。",
                            code="SANDBOX_PROVIDER_FORBIDDEN")
        return SandboxProvider()
    gateway = settings["http_provider"]
    if not gateway["url"] or not gateway["secret_parameter"]:
        raise Unprocessable("identity.http_provider needs url and secret_parameter in the policy.",
                            message_zh="策略中的 identity.http_provider 需要配置 url 和 secret_parameter。",
                            code="PROVIDER_NOT_CONFIGURED")
    tenant_endpoints.check(principal.tenant_id, gateway["url"], gateway["secret_parameter"],
                           setting="identity.http_provider", code_prefix="PROVIDER")
    secret = tenant_endpoints.secret(gateway["secret_parameter"], code_prefix="PROVIDER")
    return HttpProvider(gateway["url"], secret, timeout_ms=gateway["timeout_ms"], max_retries=gateway["max_retries"])


def _subject_fields(tenant_id: str, subject_id: str, applicant: Applicant, key: bytes, *,
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
