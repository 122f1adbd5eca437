"""Verified subjects: status and history, re-confirmation (MB2018-7, PA2020-9).

The read model of identity; the gates that decide what a subject may do now are in
chalicelib/eligibility/.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chalicelib.core import clock, ids
from chalicelib.core.observability import logger
from chalicelib.core.pii import remask
from chalicelib.identity import rules as identity, store as storage
from chalicelib.identity.store import IdentityStore

HISTORY_LIMIT = 50
SWEEP_PAGE = 100


def _store() -> IdentityStore:
    return storage.store()


def require(tenant_id: str, subject_id: str) -> dict[str, Any]:
    """The subject item (one GetItem), or NotFound."""
    return ids.require(ids.Kind.SUBJECT, subject_id, lambda i: _store().subject(tenant_id, i))


def partition(tenant_id: str, subject_id: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The subject item and the other items of its partition (newest first), or NotFound."""
    items = ids.lookup(ids.Kind.SUBJECT, subject_id, lambda i: _store().subject_partition(tenant_id, i)) or []
    subject = next((i for i in items if i["SK"] == "SUBJECT"), None)
    if subject is None:
        raise ids.not_found(ids.Kind.SUBJECT, subject_id)
    return subject, [i for i in items if i["SK"] != "SUBJECT"]


def _qualification_view(item: dict[str, Any], today: str) -> dict[str, Any]:
    return {"qualification_id": item["qualification_id"], "domain": item["domain"],
            "certificate_type": item["certificate_type"], "certificate_masked": remask(item["certificate_masked"]),
            "issuer": item["issuer"], "valid_until": item["valid_until"], "recorded_at": item["recorded_at"],
            "valid": item["valid_until"] >= today}


def view(tenant_id: str, subject_id: str) -> dict[str, Any]:
    subject, others = partition(tenant_id, subject_id)
    now = clock.iso()
    today = now[:10]
    history = [{k: remask(i[k], i.get("document_type")) if k == "document_masked" else i[k]
                for k in ("verification_id", "at", "outcome", "provider", "document_masked") if k in i}
               for i in others if i["SK"].startswith("VERIFICATION#")][:HISTORY_LIMIT]
    return {
        "subject_id": subject_id,
        "subject_type": subject["subject_type"],
        "status": identity.effective_status(subject.get("status"), subject.get("reconfirm_by"), now),
        "document": {"type": subject["document_type"],
                     "masked": remask(subject["document_masked"], subject["document_type"])},
        "mobile_masked": remask(subject.get("mobile_masked"), "MOBILE"),
        "verified_at": subject.get("verified_at"),
        "reconfirm_by": subject.get("reconfirm_by"),
        "created_at": subject["created_at"],
        "history": history,
        "qualifications": [_qualification_view(i, today) for i in others if i["SK"].startswith("QUALIFICATION#")],
        "upfront_verifications": [{k: i[k] for k in ("upfront_id", "category", "approved_at")}
                                  for i in others if i["SK"].startswith("UPFRONT#")],
    }


def due_for_reconfirmation(tenant_id: str, due_before: str | None, limit: int, cursor: str | None) -> dict[str, Any]:
    now = clock.iso()
    items, next_cursor = _store().due_for_reconfirmation(tenant_id, due_before or now, limit, cursor)
    return {"items": [{"subject_id": i["subject_id"], "subject_type": i["subject_type"],
                       "status": identity.effective_status(i.get("status"), i.get("reconfirm_by"), now),
                       "reconfirm_by": i["reconfirm_by"],
                       "document_masked": remask(i["document_masked"], i.get("document_type"))}
                      for i in items],
            "next_cursor": next_cursor}


def expire_lapsed(tenant_id: str, stop: Callable[[], bool] = lambda: False) -> tuple[int, bool]:
    """The scheduled sweep: mark the tenant's VERIFIED subjects past their re-confirmation date EXPIRED;
    (how many, whether it reached the end) — it stops between pages once `stop()` says so.

    The can-publish gate already refuses them by time; the sweep makes the stored status
    match, so listings and filings read it directly. An expired subject leaves the re-confirmation
    index (identity/store.py), so each run reads only what lapsed since the last, and a run stopped
    part-way starts again at the front of what is left.
    """
    store, now, expired = _store(), clock.iso(), 0
    cursor: str | None = None
    while True:
        if stop():
            return expired, False
        # Forward within a run (the index lags its table a moment): a continued run starts at the front.
        items, cursor = store.due_for_reconfirmation(tenant_id, now, SWEEP_PAGE, cursor)
        for item in items:
            if item.get("status") == "VERIFIED" and store.expire(tenant_id, item["subject_id"], now):
                expired += 1
            elif item.get("status") != "VERIFIED":
                store.leave_reconfirm_index(tenant_id, item["subject_id"])
        if cursor is None:
            break
    logger.info("re-confirmation sweep", extra={"expired": expired, "tenant_id": tenant_id})
    return expired, True
