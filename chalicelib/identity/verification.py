"""Real-name verification (MB2018-7, GR2017-6, PA2017-6, PA2020-8, BJ2011-9).

Flow: offline validation (`applicants`: an invalid number never reaches a provider) → per-document
daily attempt cap → provider (`provider_choice`) → one transaction recording the attempt and the
subject's state.
Identity numbers leave this module only as blind indexes, masked forms and ciphertext.
With an `Idempotency-Key`, a retry returns the first answer and changes nothing
(core/idempotency.py).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from chalicelib.core import (
    audit_events as audit,
    clock,
    crypto,
    idempotency,
    ids,
    policy,
    stores,
)
from chalicelib.core.auth import Principal
from chalicelib.core.errors import ProviderUnavailable, Unprocessable
from chalicelib.core.pii import mask_mobile
from chalicelib.identity import applicants, provider_choice, rules as identity, store as storage
from chalicelib.identity.provider_codes import Outcome
from chalicelib.identity.providers import VerificationRequest
from chalicelib.identity.store import IdentityStore

CHINA_TIME = timezone(timedelta(hours=8))
_RETRYABLE = {Outcome.RATE_LIMITED, Outcome.PROVIDER_ERROR}
_REFUSED = {Outcome.INVALID_INPUT: ("PROVIDER_INVALID_INPUT", "The provider refused the input as invalid.",
                                    "核验服务认为输入信息无效。"),
            Outcome.UNSUPPORTED: ("PROVIDER_UNSUPPORTED", "The provider cannot verify this document or number.",
                                  "核验服务不支持该证件或号码。")}


def verify(principal: Principal, body: dict[str, Any], idempotency_key: str | None,
           lambda_context: Any = None) -> dict[str, Any]:
    applicant = applicants.validated(body)
    table = stores.main_table()
    key = crypto.index_key(principal.tenant_id, table)
    if not idempotency_key:
        return _verify(principal, applicant, key)
    return idempotency.run_once(principal.tenant_id, "identity.verify", idempotency_key,
                                idempotency.fingerprint(key, body), lambda: _verify(principal, applicant, key),
                                lambda_context)


def _verify(principal: Principal, applicant: applicants.Applicant, key: bytes) -> dict[str, Any]:
    tenant_id = principal.tenant_id
    settings = policy.current(tenant_id).effective["identity"]
    document = applicant.document
    document_index = crypto.blind_index(key, document.type.value, document.normalized or "")
    subject_id = subject_id_of(document_index)
    store = storage.store()
    now = clock.now()
    _take_attempt(store, tenant_id, document_index, settings["max_attempts_per_document_per_day"], now)

    provider = provider_choice.provider_for(principal, settings)
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
    subject = applicants.subject_fields(tenant_id, subject_id, applicant, key, sealed=matched)
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
