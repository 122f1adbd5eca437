"""The tenant's tamper-evident audit trail (GR2017-11, PA2017-11, PA2017-13)."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib.audit import verification as audit
from chalicelib.core.errors import InvalidRequest
from chalicelib.core.operation import operation
from chalicelib.core.operation_spec import Call, Param
from chalicelib.core.scopes import Scope

bp = Blueprint(__name__)
ARTICLES = ("GR2017-11", "PA2017-11", "PA2017-13")


@operation(bp, "GET", "/v1/audit", scope=Scope.INSPECT, summary="Audit-trail events, oldest first", tag="audit",
           responses={200: "audit_list.json"}, articles=ARTICLES,
           query=(Param("from_seq", "First sequence number (default 1).",
                        {"type": "integer", "minimum": 1, "maximum": 999999999999}),  # SK E#{seq:012d}
                  Param("limit", "Page size.", {"type": "integer", "minimum": 1, "maximum": 500})))
def list_audit(call: Call) -> dict:
    return audit.listing(call.tenant_id, call.query.get("from_seq", 1), call.query.get("limit", 100))


@operation(bp, "POST", "/v1/audit/verify", scope=Scope.INSPECT,
           summary="Recompute the hash chain in bounded pages and report the first broken link",
           tag="audit", request_schema="audit_verify_request.json", responses={200: "audit_verification.json"},
           errors=(400,), articles=ARTICLES)
def verify_audit(call: Call) -> dict:
    body, limit = call.body, call.body.get("limit", audit.MAX_EVENTS)
    if body.get("from") == "checkpoint":
        if "from_seq" in body:
            raise InvalidRequest("Give from_seq or from, not both.", message_zh="from_seq 与 from 只能给出其一。",
                                 code="VERIFY_START_AMBIGUOUS", details={"fields": ["from_seq", "from"]})
        return audit.verify_incrementally(call.tenant_id, limit)
    return audit.verify(call.tenant_id, body.get("from_seq", 1), limit)
