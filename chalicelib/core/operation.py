"""Declaring an API operation once: its route, schemas and documentation in one place.

`@operation(...)` registers the Chalice route on a Blueprint and records an `Operation`
that the OpenAPI document is built from, so the document cannot drift from the routes.
The wrapper does, for every route, what no handler should repeat:

1. authenticate the tenant by `X-Api-Key` (unless the operation is public), and refuse a key
   that holds none of the scopes the operation declares (403 SCOPE_MISSING, core/scopes.py);
   on a decision, policy moderation.require_actor makes X-Actor required (400 ACTOR_REQUIRED);
2. refuse bodies over the hard limit, then over the tenant's policy limit (413);
3. parse JSON strictly and validate it against the request schema (400), then rewrite every
   timestamp of the body and the query to UTC ``Z`` (`validation.canonical`), so no handler sees
   an offset or a timestamp outside the accepted range (common.json AcceptedTimestamp);
4. call the handler with a `Call`, and check its answer against the response schema
   (dev and tests; skipped in prod);
5. render any `ComplianceError` as the error envelope, and anything else as `INTERNAL`
   with the request id, logged with its traceback.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from chalice import Blueprint, Response

from chalicelib.core import audit_trail, auth, policy, scopes, validation
from chalicelib.core.auth import Principal
from chalicelib.core.config import HARD_BODY_LIMIT_BYTES, validate_responses
from chalicelib.core.errors import ComplianceError, InvalidRequest, PayloadTooLarge, internal_error
from chalicelib.core.observability import current_request_id, logger
from chalicelib.core.scopes import Scope

JSON_TYPES = ("application/json",)
# Every id in a path is ours (sub_…, acc_…, dsp_…) or a platform's account/group id: printable,
# short. Anything else is refused before it reaches a key expression.
PATH_ID = re.compile(r"[A-Za-z0-9_.:@-]{1,128}")
INTEGER = re.compile(r"-?[0-9]{1,18}")
ACCEPTED_TIMESTAMP = "common.json#/$defs/AcceptedTimestamp"
# RFC 8259 section 8.2: "\ud800" alone is valid JSON but no Unicode text; every later encode of the
# string (a digest, an encryption, the DynamoDB request) would fail on it. Raw UTF-8 cannot carry one.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


@dataclass(frozen=True)
class Param:
    name: str
    description: str
    schema: dict[str, Any] = field(default_factory=lambda: {"type": "string"})
    required: bool = False


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    operation_id: str
    summary: str
    tag: str
    responses: Mapping[int, str]
    request_schema: str | None = None
    public: bool = False
    articles: tuple[str, ...] = ()
    query: tuple[Param, ...] = ()
    headers: tuple[Param, ...] = ()
    errors: tuple[int, ...] = ()
    content_types: tuple[str, ...] = JSON_TYPES
    description: str = ""
    # What the success answer hands on: parameter name -> JSON pointer into the body (OpenAPI links, core/openapi.py)
    produces: Mapping[str, str] = field(default_factory=dict)
    # A path parameter narrower than PATH_ID, as its handler checks it (documented, core/openapi.py)
    path_schemas: Mapping[str, dict[str, Any]] = field(default_factory=dict)
    # The key scopes that grant this operation, any one of them (core/scopes.py); public operations none
    scope: Scope | tuple[Scope, ...] | None = None
    # A moderation decision (a case or appeal decided, a disposition made or revoked): policy
    # moderation.require_actor makes X-Actor required on it (PA2017-13, GR2017-11)
    decision: bool = False


@dataclass(frozen=True)
class Call:
    """What a handler receives: the caller, the validated body and the request's parts."""

    principal: Principal | None
    body: Any
    path: Mapping[str, str]
    query: Mapping[str, Any]  # parsed by the parameters' schemas: integers are ints
    headers: Mapping[str, str]
    request_id: str
    lambda_context: Any = None

    @property
    def caller(self) -> Principal:
        assert self.principal is not None, "public operations have no caller"
        return self.principal

    @property
    def tenant_id(self) -> str:
        return self.caller.tenant_id

    @property
    def actor(self) -> str | None:
        """The platform's own id of the person or service acting (X-Actor, validated), or None.

        What a decision records as `decided_by`, beside the key id (`caller.key_id`), which the audit
        event records anyway (PA2017-13, GR2017-11)."""
        return audit_trail.current_x_actor.get() if self.principal is not None else None


@dataclass(frozen=True)
class Reply:
    body: Any
    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)


Handler = Callable[[Call], Any]

# Every state-changing request may say who acted for the platform; checked as a declared header
# (400 ACTOR_INVALID) and recorded beside the key id on the audit event (PA2017-13, GR2017-11).
X_ACTOR = Param("X-Actor", "The platform's own id of the person or service acting; recorded with the key id on the "
                "audit event and on decisions.", {"type": "string", "pattern": "^[A-Za-z0-9_.:@-]{1,128}$"})

OPERATIONS: dict[tuple[str, str], Operation] = {}


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


# One encoder for every answer, as json.dumps(ensure_ascii=False, separators=(",", ":")) writes it: an answer is
# a tree built for the request, never circular, so the C encoder does not keep the id of every list and dict
# it enters (a sixth of a batch answer's encoding).
_ANSWER_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False)


def json_response(body: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    return Response(
        body=_ANSWER_ENCODER.encode(body),
        status_code=status,
        headers={"Content-Type": "application/json; charset=utf-8", **(headers or {})},
    )


def error_response(error: ComplianceError) -> Response:
    return json_response(error.envelope(), error.status, error.headers)


def _serve(op: Operation, handler: Handler, bp: Blueprint, path_params: dict[str, str]) -> Response:
    request = bp.current_request
    request_id = current_request_id.get()
    actor = x_actor = None
    try:
        raw = request.raw_body or b""
        if isinstance(raw, str):  # chalice local hands some bodies over as text
            raw = raw.encode()
        if len(raw) > HARD_BODY_LIMIT_BYTES:
            raise _too_large(len(raw), HARD_BODY_LIMIT_BYTES)
        principal = None if op.public else auth.authenticate(request.headers.get("x-api-key"))
        if principal is not None:
            auth.require_scope(principal, scopes.granting(op.scope), op.operation_id)
        path_params = {name: unquote(value) for name, value in path_params.items()}  # API Gateway passes them encoded
        _check_path(path_params)
        _check_headers(op, request.headers)
        _check_actor(op, principal, request.headers)
        if principal is not None:
            logger.thread_safe_append_keys(tenant_id=principal.tenant_id, key_id=principal.key_id)
            actor = audit_trail.current_actor.set(principal.key_id)
            if X_ACTOR in op.headers:
                x_actor = audit_trail.current_x_actor.set(request.headers.get(X_ACTOR.name))
        body = _body(op, raw, principal)
        query = _query(op, request.query_params or {})
        call = Call(principal, body, path_params, query, request.headers, request_id,
                    getattr(request, "lambda_context", None))
        answer = handler(call)
        reply = answer if isinstance(answer, Reply) else Reply(answer)
        _check_response(op, reply)
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


def _check_path(path_params: Mapping[str, str]) -> None:
    bad = sorted(name for name, value in path_params.items() if not PATH_ID.fullmatch(value))
    if bad:
        raise InvalidRequest("A path parameter is not a valid id.", message_zh="路径参数不是有效的编号。",
                             code="PATH_PARAMETER_INVALID", details={"parameters": bad, "pattern": PATH_ID.pattern})


def _check_headers(op: Operation, headers: Mapping[str, str]) -> None:
    """A declared header holds to its schema, as the body and the query do; the code names the header
    (If-Match: IF_MATCH_INVALID, X-Tracking-Token: TRACKING_TOKEN_INVALID)."""
    for param in op.headers:
        value = headers.get(param.name)
        found = [] if value is None and not param.required else validation.problems(
            f"header:{op.operation_id}:{param.name}", value, param.schema)
        if found:
            raise InvalidRequest(f"The {param.name} header is not valid.", message_zh=f"{param.name} 请求头无效。",
                                 code=param.name.upper().removeprefix("X-").replace("-", "_") + "_INVALID",
                                 details={"header": param.name, "errors": found})


def _check_actor(op: Operation, principal: Principal | None, headers: Mapping[str, str]) -> None:
    """Who decided is on record when the tenant's policy says every decision must name a person or service."""
    if not op.decision or principal is None or headers.get(X_ACTOR.name) is not None:
        return
    if policy.setting(principal.tenant_id, "moderation", "require_actor"):
        raise InvalidRequest("This tenant's policy requires the X-Actor header on decisions.",
                             message_zh="本租户策略要求处置决定必须携带 X-Actor 请求头。", code="ACTOR_REQUIRED",
                             article="PA2017-13", details={"header": X_ACTOR.name,
                                                           "policy": "moderation.require_actor"})


def _body(op: Operation, raw: bytes, principal: Principal | None) -> Any:
    if op.request_schema is None:
        return None
    if principal is not None:
        limit = policy.setting(principal.tenant_id, "requests", "max_body_bytes")
        if len(raw) > limit:
            raise _too_large(len(raw), limit)
    document = parse_json(raw)
    validation.check(op.request_schema, document)
    return validation.canonical(op.request_schema, document)


def _query(op: Operation, raw: Mapping[str, str]) -> dict[str, Any]:
    """Query parameters, integers converted, checked against the operation's parameter schemas."""
    if not op.query:
        return dict(raw)
    values: dict[str, Any] = {}
    for param in op.query:
        if param.name not in raw:
            continue
        value: Any = raw[param.name]
        if param.schema.get("type") == "integer":
            # ASCII digits only: str.isdigit() is true for "¹" and "٣", which int() refuses or misreads
            value = int(value) if INTEGER.fullmatch(value.strip()) else value
        values[param.name] = value
    schema = {"type": "object", "properties": {p.name: _accepting(p.schema) for p in op.query},
              "required": [p.name for p in op.query if p.required]}
    validation.check(f"query:{op.operation_id}", values, schema)
    return validation.canonical(f"query:{op.operation_id}", values, schema)


def _accepting(schema: dict[str, Any]) -> dict[str, Any]:
    """A date-time query parameter is bounded as a body's timestamps are, whatever its route wrote."""
    if schema.get("format") != "date-time":
        return schema
    return {"allOf": [schema, {"$ref": ACCEPTED_TIMESTAMP}]}


def parse_json(raw: bytes) -> Any:
    if not raw.strip():
        raise InvalidRequest("A JSON request body is required.", message_zh="需要 JSON 请求体。", code="BODY_REQUIRED")
    try:
        document = json.loads(raw.decode("utf-8"), parse_constant=_reject_constant, parse_float=_number)
    except UnicodeDecodeError as exc:
        raise InvalidRequest(
            "The request body is not UTF-8.", message_zh="请求体不是 UTF-8 编码。", code="MALFORMED_JSON",
            details={"position": exc.start},
        ) from exc
    except json.JSONDecodeError as exc:
        raise InvalidRequest(
            f"The request body is not valid JSON: {exc.msg}.", message_zh="请求体不是合法的 JSON。",
            code="MALFORMED_JSON", details={"line": exc.lineno, "column": exc.colno},
        ) from exc
    except RecursionError as exc:
        raise InvalidRequest("The JSON is nested too deeply.", message_zh="JSON 嵌套过深。",
                             code="MALFORMED_JSON") from exc
    if _SURROGATE_ESCAPE.search(raw) and not _is_text(document):
        raise InvalidRequest("The request body escapes a lone surrogate (\\ud800-\\udfff), which is not Unicode text.",
                             message_zh="请求体含有不成对的代理项转义，不是合法的 Unicode 文本。",
                             code="MALFORMED_JSON", details={"reason": "LONE_SURROGATE"})
    return document


def _is_text(document: Any) -> bool:
    try:
        json.dumps(document, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _reject_constant(name: str) -> Any:
    raise json.JSONDecodeError(f"{name} is not JSON", name, 0)


def _number(text: str) -> int | float:
    """JSON numbers written with a fraction or exponent: finite only, and integral ones as int
    (JSON Schema counts 3.0 as an integer, so the handlers must receive 3)."""
    value = float(text)
    if value != value or value in (float("inf"), float("-inf")):
        raise json.JSONDecodeError(f"{text} is out of range", text, 0)
    return int(value) if value.is_integer() else value


def _too_large(size: int, limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(details={"size_bytes": size, "limit_bytes": limit})


def _check_response(op: Operation, reply: Reply) -> None:
    if not validate_responses():
        return
    schema = op.responses.get(reply.status)
    if schema is None:
        raise AssertionError(f"{op.operation_id} answered {reply.status}, which it does not declare")
    if validation.precheck(schema)(reply.body):
        return
    found = validation.problems(schema, reply.body)
    if found:
        raise AssertionError(f"{op.operation_id} answered a body violating {schema}: {found}")


_PATH_PARAM = re.compile(r"{([^}]+)}")


def path_params(path: str) -> list[str]:
    return _PATH_PARAM.findall(path)
