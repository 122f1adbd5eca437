"""Appeals by the operator of a disposed account (PA2020-20, RL2020-11 credit repair and appeals).

Only the subject the case's dispositions fell on may appeal, within the policy window after
the decision, with one appeal pending per decision at a time. OVERTURNED revokes, in the same
transaction as the appeal's decision, every disposition of the case still in force, which
reverses what each caused (credit strikes, blacklist entries, name bans), recorded, not deleted;
the appellant is told on the appeal and through the tenant's webhook.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from chalicelib.accounts import account_views as accounts
from chalicelib.core import audit_events as audit, audit_trail, clock, ids, policy
from chalicelib.core.errors import Conflict, Forbidden, NotFound, ProviderUnavailable
from chalicelib.core.observability import logger
from chalicelib.dispositions import records as disposition_records, revocation as disposition_revocation
from chalicelib.identity import subjects
from chalicelib.reports import cases, intake as reports, rules, webhooks


def file(tenant_id: str, case_id: str, body: dict[str, Any]) -> dict[str, Any]:
    case = cases.require(tenant_id, case_id)
    decision = case.get("decision") or {}
    records = [r for r in (disposition_records.by_id(tenant_id, d) for d in decision.get("disposition_ids", [])) if r]
    active = [r for r in records if r["status"] == "ACTIVE"]
    if not decision.get("outcome") or not rules.is_violation(decision["outcome"]) or not active:
        raise Conflict("Only a decision with dispositions in force can be appealed.",
                       message_zh="只有附带有效处置的决定可以申诉。", code="APPEAL_NOT_APPEALABLE", article="PA2020-20")
    settings = policy.current(tenant_id).effective["reports"]
    now = clock.now()
    closes = _parse(decision["decided_at"]) + timedelta(days=settings["appeal_window_days"])
    if now > closes:
        raise Conflict(f"The appeal window closed at {clock.iso(closes)}.", message_zh="申诉期限已过。",
                       code="APPEAL_WINDOW_CLOSED", article="PA2020-20",
                       details={"window_days": settings["appeal_window_days"], "closed_at": clock.iso(closes)})
    subjects.require(tenant_id, body["subject_id"])
    operators = _operators(tenant_id, active)
    if body["subject_id"] not in operators:
        raise Forbidden("Only the operator of the disposed account may appeal this decision.",
                        message_zh="只有被处置账号的运营主体可以申诉。", code="APPEAL_NOT_OPERATOR",
                        article="PA2020-20")
    appeal_id = ids.new(ids.Kind.APPEAL)
    due_at = clock.iso(now + timedelta(hours=settings["appeal_due_hours"]))
    appeal = {"appeal_id": appeal_id, "case_id": case_id, "subject_id": body["subject_id"],
              "account_id": body.get("account_id"), "statement": body["statement"],
              "evidence": body.get("evidence", []),
              "filed_at": clock.iso(now), "due_at": due_at, "status": "PENDING",
              "disposition_ids": [r["disposition_id"] for r in active]}
    ops = reports.store().appeal_filing_ops(tenant_id, appeal)
    try:
        reports.store().commit(tenant_id, ops, audit.event(
            tenant_id, "appeal.file", appeal_id=appeal_id, case_id=case_id, subject_id=body["subject_id"]))
    except audit_trail.ConditionFailed as exc:
        raise Conflict("An appeal against this decision is already pending.", message_zh="该决定已有待处理的申诉。",
                       code="APPEAL_PENDING", details={"pending_appeal": case.get("pending_appeal")}) from exc
    return view(appeal)


def _operators(tenant_id: str, records: list[dict[str, Any]]) -> set[str]:
    """The subjects the dispositions fell on: named on them, or the subject an account was registered for."""
    found = {r["subject_id"] for r in records if r.get("subject_id")}
    for record in records:
        if record["target_type"] == "ACCOUNT" and not record.get("subject_id"):
            try:
                found.add(accounts.get(tenant_id, record["target_id"])["subject_id"])
            except NotFound:
                continue  # an account the platform never registered with us: only a named subject may appeal
    return found


def decide(tenant_id: str, appeal_id: str, body: dict[str, Any], actor: str | None = None) -> dict[str, Any]:
    appeal = require(tenant_id, appeal_id)
    if appeal["status"] != "PENDING":
        raise Conflict("The appeal is already decided.", message_zh="该申诉已有结论。", code="APPEAL_DECIDED")
    outcome = rules.AppealOutcome(body["outcome"])
    at = clock.iso()
    reversed_ids: list[str] = []
    revoke_ops: list[dict[str, Any]] = []
    events = [audit.event(tenant_id, "appeal.decide", appeal_id=appeal_id, case_id=appeal["case_id"],
                          outcome=outcome.value, decided_by=actor)]
    if outcome is rules.AppealOutcome.OVERTURNED:
        records = [r for r in (disposition_records.by_id(tenant_id, d) for d in appeal["disposition_ids"])
                   if r and r["status"] == "ACTIVE"]
        reversed_ids = [r["disposition_id"] for r in records]
        revoke_ops, revoke_events = disposition_revocation.revocation(tenant_id, records, at,
                                                                      f"appeal {appeal_id} overturned", actor)
        events += revoke_events
    ops = reports.store().appeal_decision_ops(tenant_id, appeal, outcome.value, body["statement"], at,
                                              reversed_ids, actor) + revoke_ops
    try:
        reports.store().commit(tenant_id, ops, events)
    except audit_trail.ConditionFailed as exc:
        raise Conflict("The appeal or its dispositions changed meanwhile; read and decide again.",
                       message_zh="申诉或其处置已变更，请重新读取后再决定。", code="APPEAL_CHANGED") from exc
    decided = {**appeal, "status": outcome.value, "statement_decision": body["statement"], "decided_at": at,
               "reversed": reversed_ids, "decided_by": actor}
    try:  # after the commit: a failure here must not turn the decision into an error
        decided["notice"] = webhooks.deliver(tenant_id, "appeal.decided", {"appeal": view(decided)})
        reports.store().set_appeal_notice(tenant_id, appeal_id, decided["notice"])
    except ProviderUnavailable as exc:
        logger.error("appeal notice not sent or not recorded", extra={"appeal_id": appeal_id, "code": exc.error_code})
        decided.setdefault("notice", {"status": "FAILED"})
    return view(decided)


def require(tenant_id: str, appeal_id: str) -> dict[str, Any]:
    return ids.require(ids.Kind.APPEAL, appeal_id, lambda i: reports.store().appeal(tenant_id, i))


def get(tenant_id: str, appeal_id: str) -> dict[str, Any]:
    return view(require(tenant_id, appeal_id))


def listing(tenant_id: str, status: str, limit: int, cursor: str | None) -> dict[str, Any]:
    items, next_cursor = reports.store().appeals_page(tenant_id, status, limit, cursor)
    return {"items": [view(i) for i in items], "next_cursor": next_cursor}


_VIEW = ("appeal_id", "case_id", "subject_id", "account_id", "statement", "evidence", "filed_at", "due_at", "status",
         "disposition_ids", "statement_decision", "decided_at", "decided_by", "reversed", "notice")


def view(appeal: dict[str, Any]) -> dict[str, Any]:
    return {k: appeal[k] for k in _VIEW if appeal.get(k) is not None}


def _parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))
