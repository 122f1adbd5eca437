"""Filings with the internet information offices: the exports and their download links."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib.core.operation import operation
from chalicelib.core.operation_spec import Call, Param
from chalicelib.core.scopes import Scope
from chalicelib.filings import export as filings

bp = Blueprint(__name__)


@operation(bp, "GET", "/v1/filings", scope=Scope.INSPECT,
           summary="Filing exports with presigned download links", tag="filings",
           responses={200: "filing_list.json"},
           articles=("MB2018-9", "MB2018-10", "GR2017-7", "GR2017-11", "PA2017-7", "PA2017-13", "PA2020-7", "PA2020-10",
                     "PA2020-19"),
           query=(Param("limit", "Page size.", {"type": "integer", "minimum": 1, "maximum": 50}),
                  Param("cursor", "From the previous page's next_cursor.", {"type": "string", "maxLength": 2048})),
           description="Exported by a scheduled function for each ended period (policy filings.period) and by the "
                       "operator CLI. Links expire after 15 minutes.")
def list_filings(call: Call) -> dict:
    return filings.listing(call.tenant_id, call.query.get("limit", 12), call.query.get("cursor"))
