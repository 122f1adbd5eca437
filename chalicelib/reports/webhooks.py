"""The tenant's signed feedback webhook (PA2020-20 feedback; RL2020-11 appeal outcomes).

Decisions and appeal outcomes are POSTed to `reports.webhook.url`, signed like the verification
gateway's requests (X-Compliance-Timestamp, X-Compliance-Signature: HMAC-SHA256 over
``{timestamp}.{body}``). A delivery that fails is kept in the tenant's outbox, with its attempts,
and sent on the webhooks queue as its own unit of work, delayed by its backoff
(reports/webhook_rules.py): one tenant's endpoint that never answers only ever holds its own
deliveries, never a sweep. The report-case sweep re-queues a delivery whose message was lost.
"""

from __future__ import annotations

import json
import secrets
from datetime import timedelta
from enum import Enum
from typing import Any

from chalicelib.core import clock, outbound, outbound_settings, policy, work_queues
from chalicelib.core.errors import ComplianceError
from chalicelib.core.observability import logger
from chalicelib.identity.providers import signed_headers
from chalicelib.reports import (  # noqa: F401  (webhook_docs: declares the webhooks)
    store as storage,
    webhook_docs,
    webhook_rules as rules,
)

MAX_ATTEMPTS = rules.MAX_ATTEMPTS
JOB = "webhook-delivery"


class Attempt(Enum):
    DELIVERED = "DELIVERED"
    RETRY = "RETRY"          # failed; the next attempt waits its backoff
    ABANDONED = "ABANDONED"  # its last attempt failed, or its deadline passed
    GONE = "GONE"            # delivered (or given up) already: a duplicate message


def _store() -> storage.ReportsStore:
    return storage.store()


def backoff_seconds(attempt: int) -> int:
    return rules.backoff_seconds(attempt)


def deliver(tenant_id: str, event_type: str, payload: dict[str, Any]) -> dict[str, Any]:
    """Send one event now; on failure keep it and queue its second attempt. Returns the delivery state."""
    settings = policy.setting(tenant_id, "reports", "webhook")
    if not settings["url"] or not settings["secret_parameter"]:
        return {"status": "NOT_CONFIGURED"}
    delivery_id = f"whd_{secrets.token_hex(8)}"
    body = {"delivery_id": delivery_id, "type": event_type, "tenant_id": tenant_id, "sent_at": clock.iso(), **payload}
    state = _post(tenant_id, settings, body)
    if state["status"] != "DELIVERED":
        now = clock.now()
        key = _store().queue_delivery(tenant_id, clock.iso(now), delivery_id, body, state.get("error"),
                                      next_attempt_at=clock.iso(now + _seconds(backoff_seconds(2))),
                                      deadline_at=clock.iso(rules.deadline(now)))
        _enqueue(tenant_id, delivery_id, key, backoff_seconds(2))
    return {**state, "delivery_id": delivery_id, "attempts": 1}


def _seconds(value: int) -> timedelta:
    return timedelta(seconds=value)


def _enqueue(tenant_id: str, run: str, key: str, delay: int) -> None:
    """The delivery's next attempt as its own message; if SQS cannot take it now, the sweep re-queues it."""
    try:
        work_queues.send("webhooks", [work_queues.Unit(JOB, run, tenant_id, key, step=1)], delay)
    except Exception:  # noqa: BLE001 - the outbox item stands; the sweep finds it overdue and sends it again
        logger.exception("webhook delivery not queued", extra={"tenant_id": tenant_id})


def attempt(tenant_id: str, key: str) -> Attempt:
    """One attempt at the queued delivery `key` (its outbox sort key)."""
    item = _store().queued_delivery(tenant_id, key)
    if item is None or item.get("status") == Attempt.ABANDONED.value:
        return Attempt.GONE
    settings, now = policy.setting(tenant_id, "reports", "webhook"), clock.now()
    deadline_at = clock.parse(item.get("deadline_at") or clock.iso(rules.deadline(clock.parse(_queued_at(item)))))
    if rules.given_up(int(item["attempts"]), deadline_at, now) or not settings["url"]:
        _store().delivery_abandoned(item, clock.iso(now))
        logger.warning("webhook delivery abandoned", extra={"tenant_id": tenant_id, "attempts": int(item["attempts"])})
        return Attempt.ABANDONED
    state = _post(tenant_id, settings, item["body"])
    if state["status"] == "DELIVERED":
        _store().delivered(item)
        return Attempt.DELIVERED
    wait = backoff_seconds(int(item["attempts"]) + 1)
    _store().delivery_failed(item, state.get("error"), clock.iso(now + _seconds(wait)))
    return Attempt.RETRY


def overdue(tenant_id: str) -> list[str]:
    """Queued deliveries whose next attempt is long past (their message was lost): their outbox keys."""
    now = clock.now()
    return [item["SK"] for item in _store().queued_deliveries(tenant_id)
            if item.get("status") != Attempt.ABANDONED.value
            and rules.overdue(clock.parse(item.get("next_attempt_at") or _queued_at(item)), now)]


def _queued_at(item: dict[str, Any]) -> str:
    return str(item["SK"]).partition("#")[0]  # keys.outbox_item: {at}#{delivery_id}


def _post(tenant_id: str, settings: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    try:
        outbound_settings.check(tenant_id, settings["url"], settings["secret_parameter"], setting="reports.webhook",
                                code_prefix="WEBHOOK")
        secret = outbound_settings.secret(settings["secret_parameter"], code_prefix="WEBHOOK")
    except ComplianceError as error:
        return {"status": "FAILED", "error": error.error_code}
    raw = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    try:
        answer = outbound.post(settings["url"], raw, signed_headers(secret, raw), timeout_ms=settings["timeout_ms"])
    except outbound.OutboundError as error:
        # Only our normalized reason is kept: never the endpoint's status or body (core/outbound.py).
        logger.warning("webhook delivery failed", extra={"reason": error.reason.value})
        return {"status": "FAILED", "error": error.reason.value}
    return {"status": "DELIVERED", "http_status": answer.status, "at": clock.iso()}
