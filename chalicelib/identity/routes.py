"""Real-name identity: offline document checks, verification, re-confirmation, V-accounts."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib.core.operation import operation
from chalicelib.core.operation_spec import Call, Param, Reply
from chalicelib.core.scopes import Scope
from chalicelib.eligibility import gates
from chalicelib.identity import document_checks as identity, lookup, subjects, upfront, verification
from chalicelib.identity.rules import QualificationDomain

bp = Blueprint(__name__)

# Printable ASCII, as the idempotency key header draft has it, with no blank at either end (HTTP strips those).
IDEMPOTENCY_KEY = Param("Idempotency-Key", "Retrying with the same key returns the first answer and changes nothing.",
                        {"type": "string", "minLength": 1, "maxLength": 128,
                         "pattern": "^[!-~](?:[ -~]*[!-~])?$"})
SUBJECT_ERRORS = (404,)


@operation(bp, "POST", "/v1/identity/validate", scope=Scope.CHECKS,
           summary="Validate an identity document number offline",
           tag="identity", request_schema="document_validate.json", responses={200: "document_validation.json"},
           articles=("MB2018-7", "GR2017-6", "PA2017-6", "PA2020-8", "BJ2011-9"),
           description="Structure, check digits, dates and regions, per document type. An invalid number is a 200 "
                       "with valid=false and reason codes; an unknown type is a 400.")
def validate_document(call: Call) -> dict:
    return identity.check_view(identity.validate_document(call.body["type"], call.body["number"]))


@operation(bp, "POST", "/v1/identity/verifications", scope=Scope.IDENTITY,
           summary="Verify a subject's real identity with a provider",
           tag="identity", request_schema="verification_request.json", responses={201: "verification.json"},
           headers=(IDEMPOTENCY_KEY,), errors=(403, 409, 422, 429), produces={"subject_id": "/subject_id"},
           articles=("MB2018-7", "GR2017-6", "PA2017-6", "PA2020-8", "BJ2011-9", "RL2020-24"),
           description="Validates offline first (invalid: 422, no provider call), caps attempts per document per day "
                       "(429), asks the tenant's provider, and records the attempt. Only a MATCH verifies the subject.")
def verify_identity(call: Call) -> Reply:
    answer = verification.verify(call.caller, call.body, call.headers.get("idempotency-key"), call.lambda_context)
    return Reply(answer, status=201)


@operation(bp, "GET", "/v1/identity/subjects/{subject_id}", scope=(Scope.IDENTITY, Scope.INSPECT),
           summary="A subject's status, masked identity and history",
           tag="identity", responses={200: "subject.json"}, errors=SUBJECT_ERRORS, articles=("MB2018-7", "PA2020-9"))
def get_subject(call: Call) -> dict:
    return subjects.view(call.tenant_id, call.path["subject_id"])


@operation(bp, "GET", "/v1/identity/subjects/{subject_id}/can-publish", scope=Scope.IDENTITY,
           summary="May this subject publish now?",
           tag="identity", responses={200: "can_publish.json"}, errors=SUBJECT_ERRORS,
           articles=("MB2018-7", "PA2020-9"),
           query=(Param("domain", "Content domain that needs a professional qualification (PA2020-9).",
                        {"enum": [d.value for d in QualificationDomain]}),))
def can_publish(call: Call) -> dict:
    return gates.can_publish(call.tenant_id, call.path["subject_id"], call.query.get("domain"))


@operation(bp, "GET", "/v1/identity/reconfirmations", scope=Scope.IDENTITY,
           summary="Subjects due for re-confirmation, soonest first",
           tag="identity", responses={200: "reconfirmation_list.json"}, articles=("MB2018-7",),
           query=(Param("due_before", "Due at or before this time (default: now).",
                        {"type": "string", "format": "date-time"}),
                  Param("limit", "Page size.", {"type": "integer", "minimum": 1, "maximum": 100}),
                  Param("cursor", "From the previous page's next_cursor.", {"type": "string", "maxLength": 2048})))
def list_reconfirmations(call: Call) -> dict:
    return subjects.due_for_reconfirmation(call.tenant_id, call.query.get("due_before"), call.query.get("limit", 50),
                                           call.query.get("cursor"))


@operation(bp, "POST", "/v1/identity/upfront-verifications", scope=Scope.IDENTITY,
           summary="Upfront (V) verification against materials",
           tag="identity", request_schema="upfront_request.json", responses={201: "upfront.json"},
           errors=(404, 409, 422), articles=("MB2018-8", "MB2018-10"), produces={"subject_id": "/subject_id"})
def upfront_verification(call: Call) -> Reply:
    return Reply(upfront.approve_upfront(call.tenant_id, call.body), status=201)


@operation(bp, "POST", "/v1/identity/qualifications", scope=Scope.IDENTITY,
           summary="Record a professional qualification",
           tag="identity", request_schema="qualification_request.json", responses={201: "qualification.json"},
           errors=(404, 409, 422), articles=("PA2020-9",), produces={"subject_id": "/subject_id"})
def record_qualification(call: Call) -> Reply:
    return Reply(upfront.record_qualification(call.tenant_id, call.body), status=201)


# A POST, so the raw number is in no URL or access log; inspectors read subjects masked (PA2017-13).
@operation(bp, "POST", "/v1/subjects/lookup", scope=(Scope.IDENTITY, Scope.INSPECT),
           summary="Find a subject by its raw document number", tag="identity",
           request_schema="subject_lookup_request.json", responses={200: "subject_lookup.json"},
           errors=(404, 422), articles=("MB2018-7", "RL2020-24"),
           description="The number is blind-indexed as verification indexes it and never stored, logged or answered; "
                       "any written form of it finds the same subject. 404 when the tenant has none.")
def lookup_subject(call: Call) -> dict:
    return lookup.by_document(call.tenant_id, call.body["document_type"], call.body["document_number"])
