"""Real-name identity: offline document checks, verification, re-confirmation, V-accounts."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib.api.operation import Call, operation
from chalicelib.services import identity

bp = Blueprint(__name__)


@operation(bp, "POST", "/v1/identity/validate", summary="Validate an identity document number offline",
           tag="identity", request_schema="document_validate.json", responses={200: "document_validation.json"},
           articles=("MB2018-7", "GR2017-6", "PA2017-6", "PA2020-8", "BJ2011-9"),
           description="Structure, check digits, dates and regions, per document type. An invalid number is a 200 "
                       "with valid=false and reason codes; an unknown type is a 400.")
def validate_document(call: Call) -> dict:
    return identity.check_view(identity.validate_document(call.body["type"], call.body["number"]))
