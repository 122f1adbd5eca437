"""The OpenAPI 3.1 document, built from the live route table and the schema files.

Nothing here is written by hand per route: every Chalice route must have an `Operation`
(declared with `@operation`), and its schemas are embedded from ``schemas/``. OpenAPI 3.1
uses JSON Schema 2020-12, so the files go in as they are, with their cross-file `$ref`s
rewritten to point into ``#/components/schemas``.

The document declares what the server enforces, no more and no less: a path id is PATH_ID (or the
narrower schema its handler checks), a cursor is spelled as core/dynamo reads one, a date-time query
parameter is bounded as core/request_parts.py bounds it, and every status an operation can answer is listed:
its own (`errors=`) and those of the wrapper (see `_error_statuses`). The links between operations
are built in core/openapi_links.py.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from chalice import Chalice

from chalicelib import __version__
from chalicelib.core import (
    error_catalogue,
    openapi_examples,
    openapi_links,
    openapi_webhooks,
    request_parts,
    scopes,
    validation,
)
from chalicelib.core.dynamo import CURSOR_PATTERN
from chalicelib.core.operation_spec import OPERATIONS, Operation, Param, path_params
from chalicelib.core.request_parts import PATH_ID

ERROR_REF = "#/components/schemas/common/$defs/ErrorEnvelope"
DESCRIPTION = (
    "Real-name identity, name and avatar checks, registration limits, reports, dispositions, credit and "
    "blacklists, six-month logs and filings, as required by MB2018, GR2017, BJ2011, PA2017, PA2020 and RL2020.\n\n"
    '**Errors** are `{"error": {"code", "message", "message_zh", "details"}}`; `code` is stable and '
    "`details.article` cites the regulation where one applies. Every code, with its status, messages and article, "
    "is at `GET /v1/errors` and in `x-error-codes` below.\n\n"
    "**Versions.** `info.version` is the API version; CHANGELOG.md lists what each release changed. Within a major "
    "version nothing is removed or narrowed: a field or operation to be retired is first marked `deprecated` here "
    "for at least one release.\n\n"
    "**Webhooks** (`webhooks` below): case and appeal decisions POSTed to the tenant's endpoint, signed; the "
    "Python client (clients/python) verifies them.")
PATH_SCHEMA = {"type": "string", "pattern": f"^{PATH_ID.pattern}$"}
STATUS_TEXT = {
    400: "Invalid request (malformed JSON or schema violation)",
    401: "Missing, unknown or revoked API key",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict with the current state",
    412: "Precondition failed (If-Match)",
    413: "Request body too large",
    415: "Unsupported media type",
    422: "Well-formed but cannot be processed",
    429: "Too many requests",
    500: "Internal error (with request id)",
    503: "A backing service is unavailable",
}


def component_name(file_name: str) -> str:
    return file_name.removesuffix(".json")


def _rewrite(node: Any, owner: str) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key in ("$id", "$schema"):
                continue
            if key == "$ref" and isinstance(value, str):
                target, _, fragment = value.partition("#")
                name = component_name(target) if target else owner
                out[key] = f"#/components/schemas/{name}{fragment}"
            else:
                out[key] = _rewrite(value, owner)
        return out
    if isinstance(node, list):
        return [_rewrite(item, owner) for item in node]
    return node


def _json_body(schema_file: str) -> dict[str, Any]:
    reference = f"#/components/schemas/{component_name(schema_file)}"
    return {"content": {"application/json": {"schema": {"$ref": reference}}}}


def _operation(op: Operation, operations: list[Operation]) -> dict[str, Any]:
    doc: dict[str, Any] = {"operationId": op.operation_id, "summary": op.summary, "tags": [op.tag]}
    description = op.description
    if op.articles:
        description = (description + "\n\n" if description else "") + "Regulations: " + ", ".join(op.articles)
    if not op.public:  # PA2017-13: the key scopes that grant it, any one of them
        description = (description + "\n\n" if description else "") + "Scope: " + " or ".join(_scopes(op))
    if description:
        doc["description"] = description
    parameters = [{"name": n, "in": "path", "required": True, "schema": op.path_schemas.get(n, PATH_SCHEMA)}
                  for n in path_params(op.path)]
    parameters += [_parameter(p, "query") for p in op.query] + [_parameter(p, "header") for p in op.headers]
    if parameters:
        doc["parameters"] = parameters
    if op.request_schema:
        body = _json_body(op.request_schema)
        for extra in op.content_types[1:]:
            body["content"][extra] = body["content"]["application/json"]
        doc["requestBody"] = {"required": True, **body}
    responses: dict[str, Any] = {str(s): {"description": "Success", **_json_body(f)} for s, f in op.responses.items()}
    links = openapi_links.of(op, operations)
    if links:
        responses[str(min(op.responses))]["links"] = links
    for status in sorted(_error_statuses(op)):
        responses[str(status)] = {"description": STATUS_TEXT[status],
                                  "content": {"application/json": {"schema": {"$ref": ERROR_REF}}}}
    doc["responses"] = responses
    openapi_examples.attach(op.operation_id, doc)
    doc["security"] = [] if op.public else [{"ApiKey": []}]
    if not op.public:
        doc["x-scope"] = _scopes(op)
    return doc


def _scopes(op: Operation) -> list[str]:
    return scopes.ordered(scopes.granting(op.scope))


def _parameter(param: Param, where: str) -> dict[str, Any]:
    schema = request_parts.accepting(param.schema) if where == "query" else param.schema  # as it is validated
    if where == "query" and param.name == "cursor":  # a page token is read by core/dynamo, 400 CURSOR_INVALID
        schema = {**schema, "pattern": CURSOR_PATTERN}
    return {"name": param.name, "in": where, "required": param.required, "description": param.description,
            "schema": _rewrite(schema, "common")}


def _error_statuses(op: Operation) -> set[int]:
    """The operation's own refusals and the wrapper's: any request may be over the hard body limit (413),
    carry a Content-Type other than the route's (415, Chalice checks every route) or fail inside (500);
    an authenticated one needs its key (401) and a backing service (503); input can be malformed (400)."""
    statuses = set(op.errors) | {413, 415, 500}
    if not op.public:
        statuses |= {401, 403, 503}  # 403 SCOPE_MISSING: the key lacks the operation's scope
    if op.request_schema or op.query or op.headers or path_params(op.path):
        statuses.add(400)
    return statuses


API_PREFIX = "/v1/"


def operations_of(app: Chalice) -> list[Operation]:
    """The declared operation of every route in the app; a route without one is a bug."""
    found = []
    for path, methods in sorted(app.routes.items()):
        if not path.startswith(API_PREFIX):  # the console's pages are served by the app, but are no operation
            continue
        for method in sorted(methods):
            op = OPERATIONS.get((path, method))
            if op is None:
                raise LookupError(f"route {method} {path} has no @operation declaration")
            found.append(op)
    return found


@lru_cache(maxsize=4)
def _document(app: Chalice) -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    operations = operations_of(app)
    for op in operations:
        paths.setdefault(op.path, {})[op.method.lower()] = _operation(op, operations)
    schemas = {component_name(name): _rewrite(schema, component_name(name))
               for name, schema in validation.all_schemas().items()}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Compliance API for Chinese social platforms",
            "version": __version__,
            "description": DESCRIPTION,
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"ApiKey": {"type": "apiKey", "in": "header", "name": "X-Api-Key"}},
        },
        "security": [{"ApiKey": []}],
        "webhooks": openapi_webhooks.section(),
        "x-error-codes": [entry.view() for entry in error_catalogue.entries()],
    }


def document(app: Chalice) -> dict[str, Any]:
    return _document(app)
