"""A REVIEW goes somewhere (MB2018-12, PA2020-8, PA2020-13, PA2020-20): a check that names its
object opens a CHECK case on it, with the hits as evidence and a deadline from policy
``reviews.due_hours``, or gives the object's one open CHECK case this check's evidence.

A check that names no object (no ``review``) is answered as before, with no read or write here.
An object a reviewer approved checks PASS (``APPROVED_BY_REVIEW``) for exactly what was approved:
the same text or image, matched by the same entries. Each check route calls `after_check` once.
"""

from __future__ import annotations

from typing import Any

from chalicelib.core import audit_events as audit, audit_trail, clock, ids, policy
from chalicelib.core.errors import Conflict
from chalicelib.dispositions.reasons import CaseSource
from chalicelib.reports import intake as reports, review_evidence_rules, review_rules, rules
from chalicelib.reports.review_rules import CheckKind, ReviewStatus

ATTEMPTS = 8  # checks racing for one object's case re-read it and try again


def after_check(tenant_id: str, kind: CheckKind, body: dict[str, Any], answer: dict[str, Any]) -> dict[str, Any]:
    """The check's answer, with the object's case when its decision opens one (or its clearance)."""
    review = body.get("review")
    if review is None:
        return answer
    decided = review_rules.decision(kind, answer)
    if decided == "PASS":
        return {**answer, "review": {"status": ReviewStatus.NOT_OPENED.value}}
    object_type, object_id = review["object_type"], review["object_id"]
    fingerprint = review_evidence_rules.fingerprint(kind, body, answer)
    approved = reports.store().clearance(tenant_id, object_type, object_id, kind.value, fingerprint)
    if approved and approved["signature"] == review_evidence_rules.signature(kind, answer):
        return review_rules.cleared(kind, answer, approved["case_id"])
    settings = policy.current(tenant_id).effective["reviews"]
    if decided not in settings["open_on"]:
        return {**answer, "review": {"status": ReviewStatus.NOT_OPENED.value}}
    case, joined = _open(tenant_id, kind, body, answer, settings["due_hours"])
    return {**answer, "case_id": case["case_id"],
            "review": {"status": (ReviewStatus.JOINED if joined else ReviewStatus.OPENED).value,
                       "due_at": case["due_at"]}}


def _open(tenant_id: str, kind: CheckKind, body: dict[str, Any], answer: dict[str, Any],
          due_hours: dict[str, int]) -> tuple[dict[str, Any], bool]:
    review = body["review"]
    object_type, object_id = review["object_type"], review["object_id"]
    now = clock.now()
    evidence = review_evidence_rules.evidence(kind, body, answer, clock.iso(now))
    slot = review_rules.slot(kind, body)
    deadline = rules.deadline(now, review_rules.due_key(kind, body, due_hours), due_hours)
    due_at = clock.iso(deadline.due_at)
    for _ in range(ATTEMPTS):
        case_id = reports.store().open_review_case_id(tenant_id, object_type, object_id)
        current = reports.store().case(tenant_id, case_id) if case_id else None
        if current is not None and current["status"] != rules.CaseStatus.OPEN.value:
            current = None  # decided meanwhile; its pointer is gone or going
        if current is None:
            case = _new_case(kind, body, evidence, slot, deadline, due_at)
            ops = reports.store().new_case_ops(tenant_id, case)
        else:
            earlier = due_at < current["due_at"]
            case = {**current, "due_at": due_at if earlier else current["due_at"]}
            ops = reports.store().join_review_ops(tenant_id, current["case_id"], slot, evidence,
                                                  (due_at, deadline.rule) if earlier else None)
        event = audit.event(tenant_id, "case.check", case_id=case["case_id"], source=CaseSource.CHECK.value,
                            check=kind.value, scene=evidence["scene"], decision=evidence["decision"],
                            target_type=object_type, target_id=object_id, joined=current is not None)
        try:
            reports.store().commit(tenant_id, ops, event)
            return case, current is not None
        except audit_trail.ConditionFailed:
            continue  # another check opened, joined or decided the case first: read it again
    raise Conflict("The case on this object is busy; retry.", message_zh="该对象的审核案件正忙，请重试。",
                   code="CASE_CONTENDED")


def _new_case(kind: CheckKind, body: dict[str, Any], evidence: dict[str, Any], slot: str,
              deadline: rules.Deadline, due_at: str) -> dict[str, Any]:
    review = body["review"]
    return {"case_id": ids.new(ids.Kind.CASE), "status": rules.CaseStatus.OPEN.value,
            "source": CaseSource.CHECK.value, "target_type": review["object_type"], "target_id": review["object_id"],
            "target_account_id": review.get("account_id") or body.get("account_id"),
            "category": review_rules.category(kind, evidence["hits"]).value, "categories": {},
            "opened_at": evidence["checked_at"], "due_at": due_at, "deadline_rule": deadline.rule,
            "deadline_hours": deadline.hours, "reports": 0, "checks": 1, "priority": rules.Priority.NORMAL.value,
            "evidence": {slot: evidence}}
