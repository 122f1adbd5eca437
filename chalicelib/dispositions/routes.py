"""Dispositions, restrictions, credit levels and blacklists."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib.core.operation import operation
from chalicelib.core.operation_spec import Call, Param, Reply
from chalicelib.core.scopes import Scope
from chalicelib.dispositions import blacklist, credit, records, revocation, service as dispositions
from chalicelib.dispositions.reasons import decided_by
from chalicelib.identity import subjects
from chalicelib.identity.routes import IDEMPOTENCY_KEY

bp = Blueprint(__name__)
DISPOSITION_ARTICLES = ("GR2017-11", "PA2017-13", "PA2020-19")
BLACKLIST_ARTICLES = ("GR2017-11", "PA2017-13", "RL2020-23")


@operation(bp, "POST", "/v1/dispositions", scope=Scope.MODERATION, decision=True,
           summary="Record and apply a disposition", tag="dispositions",
           request_schema="disposition_request.json", responses={201: "disposition.json"}, headers=(IDEMPOTENCY_KEY,),
           errors=(404, 409, 422), articles=DISPOSITION_ARTICLES, produces={"disposition_id": "/disposition_id"},
           description="Kept as a record; takes effect in the same transaction: credit strike, blacklist "
                       "entries (BLACKLIST), re-registration ban on the account's name (CLOSE_ACCOUNT, "
                       "PROHIBIT_REREGISTRATION).")
def create_disposition(call: Call) -> Reply:
    answer = dispositions.create(call.caller, call.body, call.headers.get("idempotency-key"), call.lambda_context,
                                 decided_by(call))
    return Reply(answer, status=201)


@operation(bp, "GET", "/v1/dispositions/{disposition_id}", scope=Scope.MODERATION,
           summary="A disposition and its effects",
           tag="dispositions", responses={200: "disposition.json"}, errors=(404,), articles=DISPOSITION_ARTICLES)
def get_disposition(call: Call) -> dict:
    return records.get(call.tenant_id, call.path["disposition_id"])


@operation(bp, "POST", "/v1/dispositions/{disposition_id}/revocation", scope=Scope.MODERATION, decision=True,
           summary="Revoke a disposition, reversing its effects",
           tag="dispositions", request_schema="revocation_request.json", responses={200: "disposition.json"},
           errors=(404, 409), articles=("RL2020-11",))
def revoke_disposition(call: Call) -> dict:
    return revocation.revoke(call.tenant_id, call.path["disposition_id"], call.body["reason"], decided_by(call))


@operation(bp, "GET", "/v1/subjects/{subject_id}/restrictions", scope=(Scope.MODERATION, Scope.INSPECT),
           summary="Restrictions in force on a subject",
           tag="dispositions", responses={200: "restrictions.json"}, errors=(404,), articles=DISPOSITION_ARTICLES)
def subject_restrictions(call: Call) -> dict:
    subjects.require(call.tenant_id, call.path["subject_id"])  # 404 for a subject this tenant does not know
    return records.restrictions(call.tenant_id, "SUBJECT", call.path["subject_id"])


@operation(bp, "GET", "/v1/accounts/{account_id}/restrictions", scope=(Scope.MODERATION, Scope.INSPECT),
           summary="Restrictions in force on an account",
           tag="dispositions", responses={200: "restrictions.json"}, articles=DISPOSITION_ARTICLES)
def account_restrictions(call: Call) -> dict:
    return records.restrictions(call.tenant_id, "ACCOUNT", call.path["account_id"])


@operation(bp, "GET", "/v1/subjects/{subject_id}/credit", scope=(Scope.MODERATION, Scope.INSPECT),
           summary="Credit level, score and what makes it up",
           tag="dispositions", responses={200: "credit.json"}, errors=(404,),
           articles=("GR2017-7", "PA2020-13", "MB2018-11", "RL2020-11"))
def subject_credit(call: Call) -> dict:
    return credit.of_subject(call.tenant_id, call.path["subject_id"])


@operation(bp, "POST", "/v1/blacklist/check", scope=Scope.CHECKS,
           summary="Check up to 100 keys, documents or phones", tag="blacklist",
           request_schema="blacklist_check_request.json", responses={200: "blacklist_check.json"}, errors=(422,),
           articles=BLACKLIST_ARTICLES)
def check_blacklist(call: Call) -> dict:
    return blacklist.check(call.tenant_id, blacklist.flatten(call.body))


@operation(bp, "GET", "/v1/blacklist", scope=Scope.MODERATION,
           summary="Active entries of one blacklist", tag="blacklist",
           responses={200: "blacklist_list.json"}, articles=BLACKLIST_ARTICLES,
           query=(Param("type", "Which list.", {"enum": ["GROUP", "GROUP_FOUNDER", "GROUP_MANAGER", "GROUP_MEMBER",
                                                         "PUBLIC_ACCOUNT", "REGISTRATION_SUBJECT", "PHONE", "DEVICE"]},
                        required=True),
                  Param("limit", "Page size.", {"type": "integer", "minimum": 1, "maximum": 200}),
                  Param("cursor", "From the previous page's next_cursor.", {"type": "string", "maxLength": 2048})))
def list_blacklist(call: Call) -> dict:
    return blacklist.listing(call.tenant_id, call.query["type"], call.query.get("limit", 100), call.query.get("cursor"))


@operation(bp, "DELETE", "/v1/blacklist/{list_type}/{key}", scope=Scope.MODERATION,
           summary="Remove a blacklist entry, with a recorded reason",
           tag="blacklist", responses={200: "blacklist_entry.json"}, errors=(404, 409), articles=BLACKLIST_ARTICLES,
           query=(Param("reason", "Why the entry is removed; kept with it.", {"type": "string", "minLength": 1,
                                                                              "maxLength": 500}, required=True),))
def remove_blacklisted(call: Call) -> dict:
    return blacklist.remove(call.tenant_id, call.path["list_type"], call.path["key"], call.query["reason"])
