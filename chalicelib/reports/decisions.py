"""Deciding a case (MB2018-14, GR2017-12, PA2020-20): close it, apply its dispositions, answer
every reporter.

The decision, the case's closing, its dispositions and their effects (credit strikes,
blacklist entries, name bans) and the audit events are ONE transaction: a case is never
closed without its dispositions, nor disposed twice. Feedback to the reporters follows in
idempotent steps (a case may have thousands); until all are answered the case says
`effects_status: PENDING`, and repeating the same decision, or the scheduled sweep, finishes
the work without doing any of it twice.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from chalicelib.core import audit_events as audit, audit_trail, clock, crypto, idempotency, stores
from chalicelib.core.errors import Conflict, Unprocessable
from chalicelib.dispositions import reasons, service as dispositions
from chalicelib.reports import cases, intake as reports, reporters, review_rules, rules, stats_rules, webhooks

MAX_ITEMS = 90  # of DynamoDB's 100 per transaction, with room for the audit chain
WEBHOOK_REPORT_IDS = 1000


def decide(tenant_id: str, case_id: str, body: dict[str, Any], idempotency_key: str | None,
           lambda_context: Any = None, actor: str | None = None) -> dict[str, Any]:
    if not idempotency_key:
        return _decide(tenant_id, case_id, body, actor)
    key = crypto.index_key(tenant_id, stores.main_table())
    return idempotency.run_once(tenant_id, f"cases.decide.{case_id}", idempotency_key,
                                idempotency.fingerprint(key, body), lambda: _decide(tenant_id, case_id, body, actor),
                                lambda_context)


def _fingerprint(body: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _decide(tenant_id: str, case_id: str, body: dict[str, Any], actor: str | None) -> dict[str, Any]:
    case = cases.require(tenant_id, case_id)
    if case["status"] == rules.CaseStatus.DECIDED.value:
        if case["decision"].get("fingerprint") != _fingerprint(body):
            raise Conflict("The case is already decided.", message_zh="该案件已作出处理决定。", code="CASE_DECIDED",
                           details={"decision": {k: v for k, v in case["decision"].items() if k != "fingerprint"}})
        return finish(tenant_id, case)  # the same decision again: finish what an interrupted run left
    source = rules.source_of(case)
    outcome = _outcome(body["outcome"], source)
    if not rules.is_violation(outcome.value) and body.get("dispositions"):
        raise Unprocessable(f"A decision of {outcome.value} takes no dispositions.",
                            message_zh="未违规的决定不能附带处置。",
                            code="DISPOSITIONS_WITHOUT_VIOLATION")
    content = review_rules.content_type(case["evidence"]) if case.get("evidence") else None
    statement = reasons.statement(body, source=source, target_type=case["target_type"], actor=actor, content=content)
    # a disposition made with the decision shares its statement of reasons unless it states its own
    shared = {**{k: body[k] for k in reasons.REQUEST_FIELDS if k in body}, "content_type": statement["content_type"]}
    planned = [dispositions.plan(tenant_id, {**shared, **d, "case_id": case_id}, source=source, actor=actor)
               for d in body.get("dispositions", [])]
    now = clock.now()
    decided_at = clock.iso(now)
    decision = {"outcome": outcome.value, "statement": body["statement"], "ground": body["ground"],
                "decided_at": decided_at, "late": rules.is_overdue(case["due_at"], decided_at),
                "disposition_ids": [p.record["disposition_id"] for p in planned], "fingerprint": _fingerprint(body),
                **statement}
    ops = dispositions.effect_ops(tenant_id, planned) + _closing_ops(tenant_id, case, decision)
    if outcome is rules.CaseOutcome.APPROVE:  # the object is cleared for exactly what was checked
        ops += reports.store().clearance_ops(tenant_id, case, decided_at)
    if len(ops) > MAX_ITEMS:
        raise Unprocessable("The decision's dispositions write too much for one transaction; split them.",
                            message_zh="该决定的处置过多，请拆分。", code="DECISION_TOO_LARGE",
                            details={"items": len(ops), "max": MAX_ITEMS})
    event = audit.event(tenant_id, "case.decide", case_id=case_id, outcome=outcome.value, ground=body["ground"],
                        reports=int(case["reports"]), late=decision["late"], source=source.value,
                        decided_by=actor, automated_decision=statement["automated_decision"],
                        disposition_ids=decision["disposition_ids"] or None)
    try:
        reports.store().commit(tenant_id, ops, [event, *(p.event for p in planned)])
    except audit_trail.ConditionFailed as exc:
        raise Conflict("The case changed while it was being decided (a report joined, or another decision); "
                       "read it and decide again.", message_zh="案件在决定过程中发生变化，请重新读取后再决定。",
                       code="CASE_CHANGED") from exc
    return finish(tenant_id, {**case, "status": "DECIDED", "decision": decision, "effects_status": "PENDING"})


def _outcome(asked: str, source: reasons.CaseSource) -> rules.CaseOutcome:
    """A CHECK case is decided APPROVE or REJECT (the checked object); the others NO_VIOLATION or VIOLATION."""
    outcome = rules.CaseOutcome(asked)
    allowed = rules.outcomes_for(source)
    if outcome not in allowed:
        raise Unprocessable(f"A {source.value} case is decided {' or '.join(o.value for o in allowed)}.",
                            message_zh="该来源的案件不能作出此种决定。", code="OUTCOME_NOT_FOR_SOURCE",
                            details={"source": source.value, "outcomes": [o.value for o in allowed]})
    return outcome


def _closing_ops(tenant_id: str, case: dict[str, Any], decision: dict[str, Any]) -> list[dict[str, Any]]:
    hours = round(stats_rules.hours_between(case["opened_at"], decision["decided_at"]), 3)
    return reports.store().closing_ops(tenant_id, case, decision, hours)


def finish(tenant_id: str, case: dict[str, Any]) -> dict[str, Any]:
    """Answer every reporter, tell the tenant's webhook, and mark the decision's effects COMPLETE."""
    if case.get("effects_status") != "PENDING":
        return cases.view(case, clock.iso())
    decision = case["decision"]
    feedback = {"case_id": case["case_id"], "outcome": decision["outcome"], "statement": decision["statement"],
                "ground": decision["ground"], "decided_at": decision["decided_at"], "article": "PA2020-20"}
    links, _ = reports.store().case_reports(tenant_id, case["case_id"])
    counts = reporters.record_feedback(tenant_id, links, feedback)
    delivery = webhooks.deliver(tenant_id, "case.decided", {
        "case": {"case_id": case["case_id"], "target": {"type": case["target_type"], "id": case["target_id"]},
                 **{k: v for k, v in decision.items() if k != "fingerprint"}},
        "report_ids": [link["report_id"] for link in links[:WEBHOOK_REPORT_IDS]],
        "reports_truncated": len(links) > WEBHOOK_REPORT_IDS})
    summary = {"reports": counts["reports"], "answered": counts["reports"]}
    try:
        store = reports.store()
        store.commit(tenant_id, store.effects_complete_ops(tenant_id, case["case_id"], summary, delivery),
                     audit.event(tenant_id, "case.feedback", case_id=case["case_id"], reports=counts["reports"],
                                 webhook=delivery["status"]))
    except audit_trail.ConditionFailed:
        pass  # a concurrent run completed it
    return cases.get(tenant_id, case["case_id"])


def finish_pending(tenant_id: str) -> int:
    """The sweep: complete decisions an interrupted request left PENDING."""
    pending = reports.store().pending_decisions(tenant_id)
    for case in pending:
        finish(tenant_id, case)
    return len(pending)
