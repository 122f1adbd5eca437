"""Report intake with receipts (MB2018-14, GR2017-12, PA2017-15, PA2020-20, BJ2011-13).

A report is screened (the reporter's intake window and any restriction from past misuse),
given its deadline from the tenant's policy, and joins the one open case on its target, or
opens it. Nothing is dropped silently: a reporter over the window limit is told so (429 with
Retry-After); a restricted reporter's report is kept, flagged LOW priority, and the receipt
says so. The reporter follows the report with the receipt's tracking token, and sees only
their own report and its feedback, never who else reported.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.core import audit_events as audit, audit_trail, clock, crypto, idempotency, ids, policy, stores
from chalicelib.core.dynamo import error_code
from chalicelib.core.errors import Conflict, InvalidRequest, TooManyRequests
from chalicelib.core.pii import mask_document, mask_mobile, remask
from chalicelib.reports import rules, store as storage
from chalicelib.reports.store import ReportsStore

ATTEMPTS = 8  # joiners racing for one case re-read it and try again
# The receipt's bearer secrets: whoever holds the token reads the report and its feedback (RL2020-24).
TOKEN_FIELDS = ("tracking_token", "status_url")
TOKEN_MAX = 128


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
    screening = rules.Screening(rules.Priority.NORMAL, None, None)
    if reporter.get("account_id"):
        _take_intake_slot(tenant_id, rkey, settings["reporter_limit"])
        screening = rules.screen(rules.ReporterRecord.of(store().reporter(tenant_id, rkey)), received)
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


def tracking_token(header: str | None, query: str | None) -> str:
    """The token from the X-Tracking-Token header, or else the `token` query parameter (kept for existing
    clients: a query string reaches access logs, browser history and proxies)."""
    token = header or query
    if not token:
        raise InvalidRequest("The tracking token is required, in the X-Tracking-Token header.",
                             message_zh="需要在 X-Tracking-Token 请求头中提供查询凭证。",
                             code="TRACKING_TOKEN_REQUIRED")
    if len(token) > TOKEN_MAX:
        raise InvalidRequest("The tracking token is too long.", message_zh="查询凭证过长。",
                             code="TRACKING_TOKEN_INVALID", details={"max_length": TOKEN_MAX})
    return token


def status(tenant_id: str, report_id: str, token: str) -> dict[str, Any]:
    """What the reporter may see: their own report, the case's deadline, and the feedback once decided."""
    report = ids.lookup(ids.Kind.REPORT, report_id, lambda i: store().report(tenant_id, i))
    if report is None or not hmac.compare_digest(report["token_hash"], hashlib.sha256(token.encode()).hexdigest()):
        raise ids.not_found(ids.Kind.REPORT, report_id)
    case = store().case(tenant_id, report["case_id"]) or {}
    feedback = report.get("feedback")
    if feedback and not report.get("feedback_seen_at"):
        # proof the reporter was shown the outcome (PA2020-20 feedback), recorded once
        seen = clock.iso()
        store().mark_feedback_seen(tenant_id, report_id, seen)
        report["feedback_seen_at"] = seen
    return {"report_id": report_id, "case_id": report["case_id"], "status": "DECIDED" if feedback else "RECEIVED",
            "category": report["category"], "target": {"type": report["target_type"], "id": report["target_id"]},
            "received_at": report["received_at"], "due_at": case.get("due_at", report["due_at"]),
            "priority": report["priority"], "feedback": feedback, "feedback_seen_at": report.get("feedback_seen_at")}


_VIEW = ("report_id", "case_id", "category", "received_at", "own_due_at", "priority", "screening_reason", "anonymous",
         "contact_masked", "evidence", "description", "feedback", "feedback_at", "feedback_seen_at")


def view(report: dict[str, Any]) -> dict[str, Any]:
    """A report as the platform's moderators see it: the contact masked, the token never."""
    found = {k: report[k] for k in _VIEW if report.get(k) is not None}
    if "contact_masked" in found:  # stored by earlier code with more showing
        found["contact_masked"] = remask(found["contact_masked"])
    found["target"] = {"type": report["target_type"], "id": report["target_id"]}
    if not report.get("anonymous"):
        found["reporter_account_id"] = report["reporter_key"]
    return found
