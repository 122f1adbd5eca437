"""Verified subjects: status and history, the can-publish gate, re-confirmation (MB2018-7, PA2020-9).

The can-publish gate also refuses while a disposition that stops publishing is in force or
the subject is blacklisted (GR2017-11, PA2017-13, PA2020-19).
"""

from __future__ import annotations

from typing import Any

from chalicelib.core import clock
from chalicelib.core import stores
from chalicelib.identity.store import IdentityStore
from chalicelib.identity import rules as identity
from chalicelib.dispositions.rules import in_force
from chalicelib.core.errors import NotFound
from chalicelib.core.observability import logger

HISTORY_LIMIT = 50


def _store() -> IdentityStore:
    return IdentityStore(stores.main_table())


def not_found(subject_id: str) -> NotFound:
    return NotFound(f"No subject {subject_id!r} for this tenant.", message_zh="本租户没有该主体。",
                    code="SUBJECT_NOT_FOUND")


def require(tenant_id: str, subject_id: str) -> dict[str, Any]:
    """The subject item (one GetItem), or NotFound."""
    subject = _store().subject(tenant_id, subject_id) if subject_id.startswith("sub_") and len(subject_id) <= 64 else None
    if subject is None:
        raise not_found(subject_id)
    return subject


def partition(tenant_id: str, subject_id: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The subject item and the other items of its partition (newest first), or NotFound."""
    if not subject_id.startswith("sub_") or len(subject_id) > 64:
        raise not_found(subject_id)
    items = _store().subject_partition(tenant_id, subject_id)
    subject = next((i for i in items if i["SK"] == "SUBJECT"), None)
    if subject is None:
        raise not_found(subject_id)
    return subject, [i for i in items if i["SK"] != "SUBJECT"]


def _qualification_view(item: dict[str, Any], today: str) -> dict[str, Any]:
    return {"qualification_id": item["qualification_id"], "domain": item["domain"],
            "certificate_type": item["certificate_type"], "certificate_masked": item["certificate_masked"],
            "issuer": item["issuer"], "valid_until": item["valid_until"], "recorded_at": item["recorded_at"],
            "valid": item["valid_until"] >= today}


def view(tenant_id: str, subject_id: str) -> dict[str, Any]:
    subject, others = partition(tenant_id, subject_id)
    now = clock.iso()
    today = now[:10]
    history = [{k: i[k] for k in ("verification_id", "at", "outcome", "provider", "document_masked") if k in i}
               for i in others if i["SK"].startswith("VERIFICATION#")][:HISTORY_LIMIT]
    return {
        "subject_id": subject_id,
        "subject_type": subject["subject_type"],
        "status": identity.effective_status(subject.get("status"), subject.get("reconfirm_by"), now),
        "document": {"type": subject["document_type"], "masked": subject["document_masked"]},
        "mobile_masked": subject.get("mobile_masked"),
        "verified_at": subject.get("verified_at"),
        "reconfirm_by": subject.get("reconfirm_by"),
        "created_at": subject["created_at"],
        "history": history,
        "qualifications": [_qualification_view(i, today) for i in others if i["SK"].startswith("QUALIFICATION#")],
        "upfront_verifications": [{k: i[k] for k in ("upfront_id", "category", "approved_at")}
                                  for i in others if i["SK"].startswith("UPFRONT#")],
    }


def can_publish(tenant_id: str, subject_id: str, domain: str | None) -> dict[str, Any]:
    """MB2018-7: no publishing before real identity is verified; PA2020-9: qualified domains."""
    return gate(tenant_id, subject_id, "PUBLISH", domain)[1]


def gate(tenant_id: str, subject_id: str, action: str,
         domain: str | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the subject item, may it do `action` — PUBLISH, REGISTER — now, with every reason it may not)."""
    subject, others = partition(tenant_id, subject_id)
    now = clock.iso()
    qualified = [i["valid_until"] for i in others
                 if i["SK"].startswith("QUALIFICATION#") and i["domain"] == domain]
    reasons = _identity_reasons(subject, now, domain, qualified) + _disposition_refusals(tenant_id, subject_id, action)
    return subject, _answer(subject_id, now, domain, reasons)


def gate_from(subject_id: str, action: str, subject: dict[str, Any] | None, summary: dict[str, Any] | None,
              listed: list[dict[str, Any]]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The same answer as `gate` (no domain) from items already read in one BatchGetItem: the subject,
    its restriction summary, and its blacklist entries (GR2017-11, PA2017-13)."""
    if subject is None:
        raise not_found(subject_id)
    from chalicelib.dispositions import blacklist# it builds on this module

    now = clock.iso()
    reasons = _identity_reasons(subject, now, None, [])
    reasons += [_restricted(action, entry["disposition_id"], entry["type"], entry["statement"], entry["ground"]["article"])
                for name, entry in sorted((summary or {}).items())
                if name.startswith("r_") and action in entry["restricts"]
                and in_force(entry["starts_at"], entry.get("ends_at"), False, now)]
    reasons += [_blacklisted(entry["article"], entry["source_disposition"], entry["reason"])
                for entry in listed if blacklist.active(entry, now)]
    return subject, _answer(subject_id, now, None, reasons)


def _restricted(action: str, disposition_id: str, kind: str, statement: str, article: str) -> dict[str, str]:
    code, message_zh = _RESTRICTED[action]
    return {"code": code, "article": article, "source": disposition_id, "message": f"{kind} is in force: {statement}",
            "message_zh": message_zh}


def _blacklisted(article: str, source: str, reason: str) -> dict[str, str]:
    return {"code": "BLACKLISTED", "article": article, "source": source,
            "message": f"The subject is blacklisted: {reason}", "message_zh": "该主体已被列入黑名单。"}


def _identity_reasons(subject: dict[str, Any], now: str, domain: str | None,
                      qualified: list[str]) -> list[dict[str, Any]]:
    refusals = identity.publishing_refusals(subject.get("status"), subject.get("reconfirm_by"), now, domain,
                                            qualified, now[:10])
    return [{"code": r.code, "article": r.article, "message": r.message, "message_zh": r.message_zh} for r in refusals]


def _answer(subject_id: str, now: str, domain: str | None, reasons: list[dict[str, Any]]) -> dict[str, Any]:
    return {"subject_id": subject_id, "allowed": not reasons, "checked_at": now, "domain": domain, "reasons": reasons}


_RESTRICTED = {"PUBLISH": ("PUBLISHING_RESTRICTED", "处置措施生效期间不得发布信息。"),
               "REGISTER": ("REGISTRATION_RESTRICTED", "处置措施生效期间不得注册账号。"),
               "FOUND_GROUP": ("GROUP_FOUNDING_RESTRICTED", "处置措施生效期间不得创建群组。"),
               "JOIN_GROUP": ("GROUP_JOINING_RESTRICTED", "处置措施生效期间不得加入群组。")}
# GR2017-11: the group blacklists that also bar a subject from founding or joining.
_GROUP_LISTS = {"FOUND_GROUP": "GROUP_FOUNDER", "JOIN_GROUP": "GROUP_MEMBER"}


def _disposition_refusals(tenant_id: str, subject_id: str, action: str) -> list[dict[str, str]]:
    """Dispositions in force that stop `action`, and the subject's blacklisting (GR2017-11, PA2017-13)."""
    from chalicelib.dispositions import blacklist, service as dispositions# they build on this module

    found = [_restricted(action, r["disposition_id"], r["type"], r["statement"], r["article"])
             for r in dispositions.restrictions(tenant_id, "SUBJECT", subject_id)["restrictions"]
             if action in r["restricts"]]
    lists = [{"type": "REGISTRATION_SUBJECT", "key": subject_id}]
    if action in _GROUP_LISTS:
        lists.append({"type": _GROUP_LISTS[action], "key": subject_id})
    found += [_blacklisted(hit["article"], hit["source_disposition"], hit["reason"])
              for hit in blacklist.check(tenant_id, lists)["hits"]]
    return found


def due_for_reconfirmation(tenant_id: str, due_before: str | None, limit: int, cursor: str | None) -> dict[str, Any]:
    now = clock.iso()
    items, next_cursor = _store().due_for_reconfirmation(tenant_id, due_before or now, limit, cursor)
    return {"items": [{"subject_id": i["subject_id"], "subject_type": i["subject_type"],
                       "status": identity.effective_status(i.get("status"), i.get("reconfirm_by"), now),
                       "reconfirm_by": i["reconfirm_by"], "document_masked": i["document_masked"]} for i in items],
            "next_cursor": next_cursor}


def expire_lapsed(tenant_id: str) -> int:
    """The scheduled sweep: mark the tenant's VERIFIED subjects past their re-confirmation date EXPIRED.

    The can-publish gate already refuses them by time; the sweep makes the stored status
    match, so listings and filings read it directly.
    """
    store, now, expired = _store(), clock.iso(), 0
    cursor: str | None = None
    while True:
        items, cursor = store.due_for_reconfirmation(tenant_id, now, 100, cursor)
        for item in items:
            if item.get("status") == "VERIFIED" and store.expire(tenant_id, item["subject_id"], now):
                expired += 1
        if cursor is None:
            break
    logger.info("re-confirmation sweep", extra={"expired": expired, "tenant_id": tenant_id})
    return expired
