"""User log events kept at least six months (MB2018-16, GR2017-13, PA2017-16)."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib.core.operation import operation
from chalicelib.core.operation_spec import Call, Param
from chalicelib.core.scopes import Scope
from chalicelib.logs import service as logs

bp = Blueprint(__name__)
ARTICLES = ("MB2018-16", "GR2017-13", "PA2017-16")


@operation(bp, "POST", "/v1/logs", scope=Scope.INGEST,
           summary="Ingest a batch of up to 500 user log events", tag="logs",
           request_schema="log_batch.json", responses={200: "log_ingestion.json"}, articles=ARTICLES,
           description="Each event is validated on its own: bad ones are reported by index, good ones stored; "
                       "events the store would not take after retries come back as failed.")
def ingest_logs(call: Call) -> dict:
    return logs.ingest(call.tenant_id, call.body["events"])


@operation(bp, "GET", "/v1/logs", scope=(Scope.INGEST, Scope.INSPECT),
           summary="An account's log events in a time range, oldest first", tag="logs",
           responses={200: "log_list.json"}, articles=ARTICLES,
           query=(Param("account_id", "The account.", {"type": "string", "minLength": 1, "maxLength": 128},
                        required=True),
                  Param("from", "From this time (inclusive).", {"type": "string", "format": "date-time"}),
                  Param("to", "To this time (inclusive).", {"type": "string", "format": "date-time"}),
                  Param("limit", "Page size.", {"type": "integer", "minimum": 1, "maximum": 500}),
                  Param("cursor", "From the previous page's next_cursor.", {"type": "string", "maxLength": 2048})))
def list_logs(call: Call) -> dict:
    query = call.query
    return logs.listing(call.tenant_id, query["account_id"], query.get("from"), query.get("to"),
                        query.get("limit", 100), query.get("cursor"))
