"""Account counters and the detection of fabricated numbers (PA2020-12)."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib.core.operation import operation
from chalicelib.core.operation_spec import Call, Param
from chalicelib.core.scopes import Scope
from chalicelib.metrics import service as metrics

bp = Blueprint(__name__)


@operation(bp, "POST", "/v1/metrics", scope=Scope.INGEST, summary="Ingest account counter readings", tag="content",
           request_schema="metric_batch.json", responses={200: "metric_ingestion.json"}, articles=("PA2020-12",),
           description="Cumulative subscriber, follower, read, forward and comment counts; an hourly sweep flags "
                       "irregular changes against the same hour of day over the trailing window.")
def ingest_metrics(call: Call) -> dict:
    return metrics.ingest(call.tenant_id, call.body["points"])


@operation(bp, "GET", "/v1/accounts/{account_id}/metric-flags", scope=Scope.INGEST,
           summary="Irregular counter changes, explained",
           tag="content", responses={200: "metric_flags.json"}, articles=("PA2020-12",),
           query=(Param("limit", "Page size.", {"type": "integer", "minimum": 1, "maximum": 500}),
                  Param("cursor", "From the previous page's next_cursor.", {"type": "string", "maxLength": 2048})))
def metric_flags(call: Call) -> dict:
    return metrics.flags(call.tenant_id, call.path["account_id"], call.query.get("limit", 100),
                         call.query.get("cursor"))
