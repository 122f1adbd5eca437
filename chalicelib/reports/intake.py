"""Report intake with receipts (MB2018-14, GR2017-12, PA2017-15, PA2020-20, BJ2011-13).

A report is screened (the reporter's intake window and any restriction from past misuse),
given its deadline from the tenant's policy, and joins the one open case on its target, or
opens it. Nothing is dropped silently: a reporter over the window limit is told so (429 with
Retry-After); a restricted reporter's report is kept, flagged LOW priority, and the receipt
says so. What the reporter then sees with the receipt's tracking token is in `report_views`.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.core import audit_events as audit, audit_trail, clock, crypto, idempotency, ids, policy, stores
from chalicelib.core.dynamo import error_code
from chalicelib.core.errors import Conflict, TooManyRequests
from chalicelib.core.pii import mask_document, mask_mobile
from chalicelib.reports import reporter_rules, rules, store as storage
from chalicelib.reports.store import ReportsStore

ATTEMPTS = 8  # joiners racing for one case re-read it and try again
# The receipt's bearer secrets: whoever holds the token reads the report and its feedback (RL2020-24).
TOKEN_FIELDS = ("tracking_token", "status_url")


def store() -> ReportsStore:
    return storage.store()


def reporter_key(report_id: str, reporter: dict[str, Any]) -> str:
    return reporter.get("account_id") or f"anon-{report_id}"


def submit(tenant_id: str, body: dict[str, Any], idempotency_key: str | None,
           lambda_context: Any = None) -> dict[str, Any]:
    if not idempotency_key:
        return _submit(tenant_id, body)
    key = crypto.index_key(tenant_id, stores.main_table())
    # a retry must give back the same token, so the stored answer keeps it, sealed under the tenant key
    return idempotency.run_once(tenant_id, "reports.create", idempotency_key, idempotency.fingerprint(key, body),
                                lambda: _submit(tenant_id, body), lambda_context,
                                idempotency.Secrets(key, TOKEN_FIELDS))


def _submit(tenant_id: str, body: dict[str, Any]) -> dict[str, Any]:
    settings = policy.current(tenant_id).effective["reports"]
    now = clock.now()
    received = clock.iso(now)
    report_id = ids.new(ids.Kind.REPORT)
    reporter = body["reporter"]
    rkey = reporter_key(report_id, reporter)
    screening = reporter_rules.Screening(rules.Priority.NORMAL, None, None)
    if reporter.get("account_id"):
        _take_intake_slot(tenant_id, rkey, settings["reporter_limit"])
        screening = reporter_rules.screen(reporter_rules.ReporterRecord.of(store().reporter(tenant_id, rkey)), received)
    deadline = rules.deadline(now, body["category"], settings["due_hours"])
    token = "trk_" + secrets.token_urlsafe(24)
    report = {"report_id": report_id, "reporter_key": rkey, "anonymous": not reporter.get("account_id"),
              "target_type": body["target"]["type"], "target_id": body["target"]["id"],
              "target_account_id": body["target"].get("account_id"), "category": body["category"],
              "description": body["description"], "evidence": body.get("evidence", []), "received_at": received,
              "own_due_at": clock.iso(deadline.due_at), "deadline_rule": deadline.rule,
              "deadline_hours": deadline.hours,
              "priority": screening.priority.value, "screening_reason": screening.reason,
              "token_hash": hashlib.sha256(token.encode()).hexdigest()}
    if reporter.get("contact"):
        report.update(seal_contact(tenant_id, report_id, reporter["contact"]))
    case, joined = _file(tenant_id, report)
    return {"report_id": report_id, "case_id": case["case_id"], "tracking_token": token,
            "status_url": f"/v1/reports/{report_id}?token={token}", "received_at": received, "due_at": case["due_at"],
            "deadline": {"category": body["category"], "rule": deadline.rule, "hours": deadline.hours,
                         "own_due_at": report["own_due_at"], "article": "PA2020-20"},
            "joined_open_case": joined, "priority": screening.priority.value,
            "screening": None if screening.reason is None else {
                "reason": screening.reason, "restricted_until": screening.restricted_until, "article": "PA2017-15",
                "message": "Kept and handled after other reports: the reporter's intake is restricted for misuse.",
                "message_zh": "举报已受理；因该举报人此前多次恶意举报，暂列为低优先级处理。"}}


def _take_intake_slot(tenant_id: str, rkey: str, rule: dict[str, int]) -> None:
    window, now = rule["window_minutes"] * 60, clock.now_epoch()
    start = int(now // window * window)
    try:
        store().take_intake_slot(tenant_id, rkey, start, window, rule["limit"])
    except ClientError as exc:
        if error_code(exc) != "ConditionalCheckFailedException":
            raise
        raise TooManyRequests("Too many reports from this reporter in the window; retry later.",
                              message_zh="该举报人在当前时段内举报过多，请稍后再试。", code="REPORT_RATE_LIMITED",
                              article="PA2020-20", headers={"Retry-After": str(max(1, int(start + window - now)))},
                              details={"limit": rule["limit"], "window_minutes": rule["window_minutes"]}) from exc


def seal_contact(tenant_id: str, owner_id: str, contact: str) -> dict[str, Any]:
    """A contact (phone or e-mail) is personal data (RL2020-24): sealed under the owner's data key, shown masked."""
    sealed = crypto.seal(tenant_id, owner_id, {"contact": contact})
    digits = contact.replace("+86", "").replace(" ", "").replace("-", "")
    masked = mask_mobile(digits) if digits.isdigit() else mask_document(contact)  # at most a third shows
    return {"contact_masked": masked, "contact": sealed.ciphertext, "contact_key": sealed.wrapped_key}


def _file(tenant_id: str, report: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """Join the target's open case or open one, with the report, in one transaction."""
    for _ in range(ATTEMPTS):
        case_id = store().open_case_id(tenant_id, report["target_type"], report["target_id"])
        current = store().case(tenant_id, case_id) if case_id else None
        if current is not None and current["status"] != "OPEN":
            current = None  # decided meanwhile; its OPENCASE item is gone or going
        if current is None:
            case = _new_case(report)
            ops = store().new_case_ops(tenant_id, case)
        else:
            case = _joined(current, report)
            ops = store().join_case_ops(tenant_id, case["case_id"], report, report["own_due_at"] < current["due_at"])
        report["case_id"] = case["case_id"]
        report["due_at"] = case["due_at"]
        ops += store().report_ops(tenant_id, report)
        event = audit.event(tenant_id, "report.receive", report_id=report["report_id"], case_id=case["case_id"],
                            category=report["category"], target_type=report["target_type"],
                            target_id=report["target_id"], priority=report["priority"], joined=current is not None)
        try:
            store().commit(tenant_id, ops, event)
            return case, current is not None
        except audit_trail.ConditionFailed:
            continue  # another report opened or joined the case first: read it again
    raise Conflict("The case on this target is busy; retry.", message_zh="该对象的案件正忙，请重试。",
                   code="CASE_CONTENDED")


def _new_case(report: dict[str, Any]) -> dict[str, Any]:
    return {"case_id": ids.new(ids.Kind.CASE), "status": "OPEN",
            "target_type": report["target_type"], "target_id": report["target_id"],
            "target_account_id": report.get("target_account_id"), "category": report["category"],
            "categories": {report["category"]: 1}, "opened_at": report["received_at"], "due_at": report["own_due_at"],
            "reports": 1, "priority": report["priority"]}


def _joined(case: dict[str, Any], report: dict[str, Any]) -> dict[str, Any]:
    """The case is due at its most urgent report's deadline, and named after that report's category."""
    earlier = report["own_due_at"] < case["due_at"]
    return {**case, "reports": int(case["reports"]) + 1, "due_at": report["own_due_at"] if earlier else case["due_at"],
            "category": report["category"] if earlier else case["category"]}
