"""The tenant's signed feedback webhook (PA2020-20 feedback; RL2020-11 appeal outcomes).

Decisions and appeal outcomes are POSTed to `reports.webhook.url`, signed like the verification
gateway's requests (X-Compliance-Timestamp, X-Compliance-Signature: HMAC-SHA256 over
``{timestamp}.{body}``). A delivery that fails is kept in the tenant's outbox and retried by the
scheduled sweep, with its attempts recorded, so "feedback was sent" is always answerable.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from chalicelib.core import clock, outbound as tenant_endpoints, policy, stores
from chalicelib.core.errors import ComplianceError
from chalicelib.core.observability import logger
from chalicelib.identity.providers import signed_headers
from chalicelib.reports.store import ReportsStore

MAX_ATTEMPTS = 10


def _store() -> ReportsStore:
    return ReportsStore(stores.main_table())


def deliver(tenant_id: str, event_type: str, payload: dict[str, Any]) -> dict[str, Any]:
    """Send one event now; on failure queue it. Returns the delivery state to record."""
    settings = policy.setting(tenant_id, "reports", "webhook")
    if not settings["url"] or not settings["secret_parameter"]:
        return {"status": "NOT_CONFIGURED"}
    delivery_id = f"whd_{secrets.token_hex(8)}"
    body = {"delivery_id": delivery_id, "type": event_type, "tenant_id": tenant_id, "sent_at": clock.iso(), **payload}
    state = _post(tenant_id, settings, body)
    if state["status"] != "DELIVERED":
        _store().queue_delivery(tenant_id, clock.iso(), delivery_id, body, state.get("error"))
    return {**state, "delivery_id": delivery_id, "attempts": 1}


def redeliver(tenant_id: str) -> int:
    """Retry queued deliveries (the sweep); returns how many went through."""
    settings = policy.setting(tenant_id, "reports", "webhook")
    delivered = 0
    for item in _store().queued_deliveries(tenant_id):
        if int(item["attempts"]) >= MAX_ATTEMPTS or not settings["url"]:
            continue
        state = _post(tenant_id, settings, item["body"])
        if state["status"] == "DELIVERED":
            _store().delivered(item)
            delivered += 1
        else:
            _store().delivery_failed(item, state.get("error"))
    return delivered


def _post(tenant_id: str, settings: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    try:
        tenant_endpoints.check(tenant_id, settings["url"], settings["secret_parameter"], setting="reports.webhook",
                               code_prefix="WEBHOOK")
        secret = tenant_endpoints.secret(settings["secret_parameter"], code_prefix="WEBHOOK")
    except ComplianceError as error:
        return {"status": "FAILED", "error": error.error_code}
    raw = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    try:
        answer = tenant_endpoints.post(settings["url"], raw, signed_headers(secret, raw),
                                       timeout_ms=settings["timeout_ms"])
    except tenant_endpoints.OutboundError as error:
        # Only our normalized reason is kept: never the endpoint's status or body (core/outbound.py).
        logger.warning("webhook delivery failed", extra={"reason": error.reason.value})
        return {"status": "FAILED", "error": error.reason.value}
    return {"status": "DELIVERED", "http_status": answer.status, "at": clock.iso()}
