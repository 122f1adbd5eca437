"""Account transfers: application, announcement, completion after the notice period (PA2020-11)."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib.accounts import transfers
from chalicelib.core.operation import operation
from chalicelib.core.operation_spec import Call, Reply
from chalicelib.core.scopes import Scope

bp = Blueprint(__name__)


@operation(bp, "POST", "/v1/accounts/{account_id}/transfers", scope=Scope.ACCOUNTS,
           summary="Apply to transfer an account", tag="accounts",
           request_schema="transfer_request.json", responses={201: "transfer.json"}, errors=(404, 409, 422),
           articles=("PA2020-11",), produces={"transfer_id": "/transfer_id", "account_id": "/account_id"})
def apply_transfer(call: Call) -> Reply:
    return Reply(transfers.apply(call.tenant_id, call.path["account_id"], call.body), status=201)


@operation(bp, "GET", "/v1/transfers/{transfer_id}", scope=Scope.ACCOUNTS, summary="A transfer", tag="accounts",
           responses={200: "transfer.json"}, errors=(404,), articles=("PA2020-11",))
def get_transfer(call: Call) -> dict:
    return transfers.view(transfers.require(call.tenant_id, call.path["transfer_id"]))


@operation(bp, "POST", "/v1/transfers/{transfer_id}/announcement", scope=Scope.ACCOUNTS,
           summary="Record the published announcement",
           tag="accounts", request_schema="transfer_announcement_request.json", responses={200: "transfer.json"},
           errors=(404, 409, 422), articles=("PA2020-11",))
def announce_transfer(call: Call) -> dict:
    return transfers.announce(call.tenant_id, call.path["transfer_id"], call.body)


@operation(bp, "POST", "/v1/transfers/{transfer_id}/completion", scope=Scope.ACCOUNTS,
           summary="Complete a transfer after the notice period",
           tag="accounts", responses={200: "transfer.json"}, errors=(404, 409), articles=("PA2020-11", "PA2017-7"),
           description="Moves the account between the subjects in one transaction: the transferee's limit holds.")
def complete_transfer(call: Call) -> dict:
    return transfers.complete(call.tenant_id, call.path["transfer_id"])
