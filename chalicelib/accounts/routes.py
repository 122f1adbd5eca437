"""Platform accounts: registration with atomic limits and velocity checks (PA2017-7, PA2020-10)."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib.accounts import account_views, grading, lifecycle as account_lifecycle, registration as accounts
from chalicelib.core.operation import operation
from chalicelib.core.operation_spec import Call, Param, Reply
from chalicelib.core.scopes import Scope

bp = Blueprint(__name__)


@operation(bp, "POST", "/v1/accounts", scope=Scope.ACCOUNTS,
           summary="Register an account for a verified subject", tag="accounts",
           request_schema="account_request.json", responses={201: "account.json"}, errors=(403, 404, 409, 422, 429),
           produces={"account_id": "/account_id", "subject_id": "/subject_id"},
           articles=("PA2017-7", "PA2020-10", "PA2020-18(8)", "MB2018-7", "PA2020-8"),
           description="Refuses unverified or lapsed subjects, blacklisted subjects and devices, refused names, "
                       "registration bursts (429) and subjects at their limit (409 LIMIT_REACHED, atomic). With scene, "
                       "the name is checked under that policy scene, and name_check names it (an unknown scene is 422 "
                       "SCENE_UNKNOWN).")
def register_account(call: Call) -> Reply:
    return Reply(accounts.register(call.tenant_id, call.body), status=201)


@operation(bp, "GET", "/v1/accounts/{account_id}", scope=Scope.ACCOUNTS, summary="An account", tag="accounts",
           responses={200: "account.json"}, errors=(404,), articles=("PA2020-10", "PA2017-7"),
           description="Its status (ACTIVE, SUSPENDED for inactivity, CANCELLED) and last_active_at, from which an "
                       "account unused for six months is suspended; the owning subject is named by id only.")
def get_account(call: Call) -> dict:
    return account_views.get(call.tenant_id, call.path["account_id"])


@operation(bp, "GET", "/v1/subjects/{subject_id}/accounts", scope=Scope.ACCOUNTS,
           summary="A subject's accounts and registration flags",
           tag="accounts", responses={200: "subject_accounts.json"}, errors=(404,), articles=("PA2017-7", "PA2020-10"),
           query=(Param("limit", "Page size.", {"type": "integer", "minimum": 1, "maximum": 200}),
                  Param("cursor", "From the previous page's next_cursor.", {"type": "string", "maxLength": 2048})))
def subject_accounts(call: Call) -> dict:
    return account_views.of_subject(call.tenant_id, call.path["subject_id"], call.query.get("limit", 100),
                               call.query.get("cursor"))


@operation(bp, "POST", "/v1/accounts/{account_id}/activity", scope=Scope.ACCOUNTS,
           summary="Record that an account was active",
           tag="accounts",
           request_schema="account_activity_request.json", responses={200: "account_activity.json"}, errors=(404, 422),
           articles=("PA2020-10",), description="Moves last_active_at forward (never back); POST /v1/logs does too.")
def account_activity(call: Call) -> dict:
    return account_lifecycle.record_activity(call.tenant_id, call.path["account_id"], call.body.get("at"))


@operation(bp, "POST", "/v1/accounts/{account_id}/reactivation", scope=Scope.ACCOUNTS,
           summary="Reactivate an account suspended for inactivity",
           tag="accounts", responses={200: "account.json"}, errors=(404, 409), articles=("PA2020-10",))
def reactivate_account(call: Call) -> dict:
    return account_lifecycle.reactivate(call.tenant_id, call.path["account_id"])


@operation(bp, "POST", "/v1/accounts/{account_id}/cancellation", scope=Scope.ACCOUNTS,
           summary="Cancel an account, freeing its slot",
           tag="accounts", request_schema="cancellation_request.json", responses={200: "account_cancellation.json"},
           errors=(404, 409), articles=("PA2017-9", "RL2020-24"),
           description="Frees the slot atomically; when the subject has no other account, its identity data is "
                       "erased (crypto-shredded). Log records stay until their retention ends.")
def cancel_account(call: Call) -> dict:
    return account_lifecycle.cancel(call.tenant_id, call.path["account_id"], call.body["reason"])


@operation(bp, "GET", "/v1/accounts/{account_id}/grade", scope=Scope.ACCOUNTS,
           summary="An account's grade, the services it allows, and why",
           tag="accounts", responses={200: "account_grade.json"}, errors=(404,),
           articles=("MB2018-9", "PA2020-7", "PA2020-15"))
def account_grade(call: Call) -> dict:
    return grading.of_account(call.tenant_id, call.path["account_id"])
