"""Health, the OpenAPI document, and who the caller is."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib import __version__
from chalicelib.core import clock, error_catalogue, openapi, scopes
from chalicelib.core.config import settings
from chalicelib.core.observability import SERVICE
from chalicelib.core.operation import operation
from chalicelib.core.operation_spec import Call
from chalicelib.core.scopes import ANY_KEY
from chalicelib.tenants import service as tenants

bp = Blueprint(__name__)


@operation(bp, "GET", "/v1/health", summary="Liveness check (no key needed)", tag="meta", public=True,
           responses={200: "health.json"},
           description="The service, its version (the API version, see CHANGELOG.md), the stage and the time. "
                       "Touches no backing service.")
def health(call: Call) -> dict:
    return {"status": "ok", "service": SERVICE, "version": __version__, "stage": settings().stage, "time": clock.iso()}


@operation(bp, "GET", "/v1/openapi.json", summary="This API as an OpenAPI 3.1 document", tag="meta", public=True,
           responses={200: "openapi.json"},
           description="Built from the live route table and the schema files: every operation with its articles, "
                       "scopes, statuses and recorded examples, the webhooks, and the error catalogue "
                       "(`x-error-codes`). Rendered at /docs.")
def openapi_document(call: Call) -> dict:
    return openapi.document(bp.current_app)


@operation(bp, "GET", "/v1/errors", summary="Every stable error code with its status, messages and article", tag="meta",
           public=True, responses={200: "error_catalogue.json"},
           description="The error catalogue (no key needed): branch on `code`, never on a message. Also in this "
                       "document as `x-error-codes`.")
def error_codes(call: Call) -> dict:
    return error_catalogue.published()


@operation(bp, "GET", "/v1/tenant", scope=ANY_KEY, summary="The calling tenant and the key used", tag="meta",
           responses={200: "tenant.json"},
           description="Who the key belongs to: the tenant (a platform), whether it is a sandbox (the sandbox "
                       "verifier), and the key's id and scopes. Any key may read it.")
def current_tenant(call: Call) -> dict:
    tenant = tenants.find_tenant(call.tenant_id)
    return {
        "tenant_id": tenant.tenant_id,
        "name": tenant.name,
        "sandbox": tenant.sandbox,
        "created_at": tenant.created_at,
        "key_id": call.caller.key_id,
        "scopes": scopes.ordered(call.caller.scopes),
    }
