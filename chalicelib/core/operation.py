"""Declaring an API operation once: its route, schemas and documentation in one place.

`@operation(...)` registers the Chalice route on a Blueprint and records an `Operation`
(core/operation_spec.py) that the OpenAPI document is built from, so the document cannot drift
from the routes. The wrapper does, for every route, what no handler should repeat:

1. authenticate the tenant by `X-Api-Key` (unless the operation is public), and refuse a key
   that holds none of the scopes the operation declares (403 SCOPE_MISSING, core/scopes.py);
   on a decision, policy moderation.require_actor makes X-Actor required (400 ACTOR_REQUIRED);
2. refuse bodies over the hard limit, then over the tenant's policy limit (413);
3. read the path, headers and query against their declarations (core/request_parts.py), parse
   JSON strictly and validate it against the request schema (400, core/request_json.py), then
   rewrite every timestamp of the body and the query to UTC ``Z`` (`validation.canonical`), so no
   handler sees an offset or a timestamp outside the accepted range (common.json AcceptedTimestamp);
4. call the handler with a `Call`, and check its answer against the response schema
   (dev and tests; skipped in prod; core/answers.py);
5. render any `ComplianceError` as the error envelope, and anything else as `INTERNAL`
   with the request id, logged with its traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

from chalice import Blueprint, Response

from chalicelib.core import audit_trail, auth, request_json, request_parts, scopes
from chalicelib.core.answers import check_answer, error_response, json_response
from chalicelib.core.config import HARD_BODY_LIMIT_BYTES
from chalicelib.core.errors import ComplianceError, internal_error
from chalicelib.core.observability import current_request_id, logger
from chalicelib.core.operation_spec import OPERATIONS, X_ACTOR, Call, Handler, Operation, Reply


def operation(bp: Blueprint, method: str, path: str, **spec: Any) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        operation_id = spec.pop("operation_id", handler.__name__)
        if method != "GET" and not spec.get("public"):
            spec["headers"] = (*spec.get("headers", ()), X_ACTOR)
        op = Operation(method=method, path=path, operation_id=operation_id, **spec)
        if (path, method) in OPERATIONS:
            raise ValueError(f"operation declared twice: {method} {path}")
        OPERATIONS[(path, method)] = op

        def view(**path_params: str) -> Response:
            return _serve(op, handler, bp, path_params)

        view.__name__ = operation_id
        bp.route(path, methods=[method], content_types=list(op.content_types))(view)
        return handler

    return register


def _serve(op: Operation, handler: Handler, bp: Blueprint, path_params: dict[str, str]) -> Response:
    request = bp.current_request
    request_id = current_request_id.get()
    actor = x_actor = None
    try:
        raw = request.raw_body or b""
        if isinstance(raw, str):  # chalice local hands some bodies over as text
            raw = raw.encode()
        if len(raw) > HARD_BODY_LIMIT_BYTES:
            raise request_json.too_large(len(raw), HARD_BODY_LIMIT_BYTES)
        principal = None if op.public else auth.authenticate(request.headers.get("x-api-key"))
        if principal is not None:
            auth.require_scope(principal, scopes.granting(op.scope), op.operation_id)
        path_params = {name: unquote(value) for name, value in path_params.items()}  # API Gateway passes them encoded
        request_parts.check_path(path_params)
        request_parts.check_headers(op, request.headers)
        request_parts.check_actor(op, principal, request.headers)
        if principal is not None:
            logger.thread_safe_append_keys(tenant_id=principal.tenant_id, key_id=principal.key_id)
            actor = audit_trail.current_actor.set(principal.key_id)
            if X_ACTOR in op.headers:
                x_actor = audit_trail.current_x_actor.set(request.headers.get(X_ACTOR.name))
        body = request_json.body(op.request_schema, raw, principal)
        query = request_parts.query_values(op, request.query_params or {})
        call = Call(principal, body, path_params, query, request.headers, request_id,
                    getattr(request, "lambda_context", None))
        answer = handler(call)
        reply = answer if isinstance(answer, Reply) else Reply(answer)
        check_answer(op, reply)
        return json_response(reply.body, reply.status, reply.headers)
    except ComplianceError as error:
        logger.info("request refused", extra={"code": error.error_code, "status": error.status})
        return error_response(error)
    except Exception:
        logger.exception("unhandled error", extra={"operation": op.operation_id})
        return error_response(internal_error(request_id))
    finally:
        if x_actor is not None:
            audit_trail.current_x_actor.reset(x_actor)
        if actor is not None:
            audit_trail.current_actor.reset(actor)
