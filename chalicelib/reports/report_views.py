"""What is shown of a report (PA2020-20, RL2020-24): the reporter follows it with the receipt's tracking
token and sees only their own report and its feedback, never who else reported; a moderator sees it with
the contact masked and the token never.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from chalicelib.core import clock, ids
from chalicelib.core.errors import InvalidRequest
from chalicelib.core.pii import remask
from chalicelib.reports import store as storage

TOKEN_MAX = 128


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
    report = ids.lookup(ids.Kind.REPORT, report_id, lambda i: storage.store().report(tenant_id, i))
    if report is None or not hmac.compare_digest(report["token_hash"], hashlib.sha256(token.encode()).hexdigest()):
        raise ids.not_found(ids.Kind.REPORT, report_id)
    case = storage.store().case(tenant_id, report["case_id"]) or {}
    feedback = report.get("feedback")
    if feedback and not report.get("feedback_seen_at"):
        # proof the reporter was shown the outcome (PA2020-20 feedback), recorded once
        seen = clock.iso()
        storage.store().mark_feedback_seen(tenant_id, report_id, seen)
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
