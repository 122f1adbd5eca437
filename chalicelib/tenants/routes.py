"""Tenant self-service API keys: create for rotation, list, revoke."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib.core import scopes
from chalicelib.core.operation import operation
from chalicelib.core.operation_spec import Call, Param, Reply
from chalicelib.core.scopes import Scope
from chalicelib.core.tenants import ApiKey
from chalicelib.tenants import service as tenants

bp = Blueprint(__name__)


def key_view(key: ApiKey) -> dict:
    view = {"key_id": key.key_id, "hint": key.hint, "label": key.label, "status": key.status.value,
            "created_at": key.created_at, "scopes": scopes.ordered(key.scopes)}
    view.update({k: v for k in ("expires_at", "last_used_at") if (v := getattr(key, k)) is not None})
    if key.revoked_at:
        view["revoked_at"] = key.revoked_at
        view["revoked_reason"] = key.revoked_reason or ""
    return view


@operation(bp, "GET", "/v1/api-keys", scope=Scope.ADMIN,
           summary="List the tenant's API keys (never the keys themselves)", tag="api-keys",
           responses={200: "api_key_list.json"}, articles=("RL2020-24",),
           description="Each key's hint (its last four characters), scopes, status and hour of last use. Keys are "
                       "stored only as a SHA-256 digest, so no listing can hand out a key to identity data.")
def list_api_keys(call: Call) -> dict:
    return {"items": [key_view(k) for k in tenants.list_keys(call.tenant_id)]}


@operation(bp, "POST", "/v1/api-keys", scope=Scope.ADMIN, summary="Create an API key; it is shown once", tag="api-keys",
           request_schema="api_key_new.json", responses={201: "api_key_created.json"}, errors=(403, 409, 422),
           produces={"key_id": "/key_id"}, articles=("RL2020-24",),
           description="For rotation: the plaintext key is in this answer only. Its scopes default to the creating "
                       "key's and can never exceed them (403), so access to identity data is only ever narrowed.")
def create_api_key(call: Call) -> Reply:
    tenant, body = tenants.find_tenant(call.tenant_id), call.body
    plaintext, key = tenants.issue_key(tenant, label=body.get("label", ""), expires_at=body.get("expires_at"),
                                       scopes=_requested(call), granted_by=call.caller.scopes)
    return Reply({**key_view(key), "api_key": plaintext}, status=201)


def _requested(call: Call) -> frozenset[Scope]:
    """The scopes asked for; none named, a rotation: the creating key's own."""
    named = call.body.get("scopes")
    return call.caller.scopes if named is None else frozenset(map(Scope, named))


@operation(bp, "DELETE", "/v1/api-keys/{key_id}", scope=Scope.ADMIN, summary="Revoke an API key", tag="api-keys",
           responses={200: "api_key.json"}, errors=(404, 409),
           query=(Param("reason", "Why the key is revoked; kept with the key."),), articles=("RL2020-24",),
           description="Refused at once by the container that revoked it, within the auth cache's seconds by every "
                       "other; the reason and time are kept with the key and in the audit trail. A key cannot revoke "
                       "itself (409 API_KEY_SELF_REVOKE), so a tenant is never locked out.")
def revoke_api_key(call: Call) -> dict:
    revoked = tenants.revoke_key(call.tenant_id, call.path["key_id"], reason=call.query.get("reason", "")[:200],
                                 acting_key_id=call.caller.key_id)
    return key_view(revoked)
