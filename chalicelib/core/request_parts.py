"""The path, headers and query of a request read against its operation's declaration (core/operation.py):
a path id is PATH_ID or refused, a declared header holds to its schema, X-Actor is required on a decision
when the tenant's policy says so, and the query's integers are read as ints and every date-time bounded as
a body's timestamps are (common.json AcceptedTimestamp), then rewritten to UTC ``Z``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from chalicelib.core import policy, validation
from chalicelib.core.auth import Principal
from chalicelib.core.errors import InvalidRequest
from chalicelib.core.operation_spec import X_ACTOR, Operation

# Every id in a path is ours (sub_…, acc_…, dsp_…) or a platform's account/group id: printable,
# short. Anything else is refused before it reaches a key expression.
PATH_ID = re.compile(r"[A-Za-z0-9_.:@-]{1,128}")
INTEGER = re.compile(r"-?[0-9]{1,18}")
ACCEPTED_TIMESTAMP = "common.json#/$defs/AcceptedTimestamp"


def check_path(path_params: Mapping[str, str]) -> None:
    bad = sorted(name for name, value in path_params.items() if not PATH_ID.fullmatch(value))
    if bad:
        raise InvalidRequest("A path parameter is not a valid id.", message_zh="路径参数不是有效的编号。",
                             code="PATH_PARAMETER_INVALID", details={"parameters": bad, "pattern": PATH_ID.pattern})


def check_headers(op: Operation, headers: Mapping[str, str]) -> None:
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


def check_actor(op: Operation, principal: Principal | None, headers: Mapping[str, str]) -> None:
    """Who decided is on record when the tenant's policy says every decision must name a person or service."""
    if not op.decision or principal is None or headers.get(X_ACTOR.name) is not None:
        return
    if policy.setting(principal.tenant_id, "moderation", "require_actor"):
        raise InvalidRequest("This tenant's policy requires the X-Actor header on decisions.",
                             message_zh="本租户策略要求处置决定必须携带 X-Actor 请求头。", code="ACTOR_REQUIRED",
                             article="PA2017-13", details={"header": X_ACTOR.name,
                                                           "policy": "moderation.require_actor"})


def query_values(op: Operation, raw: Mapping[str, str]) -> dict[str, Any]:
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
    schema = {"type": "object", "properties": {p.name: accepting(p.schema) for p in op.query},
              "required": [p.name for p in op.query if p.required]}
    validation.check(f"query:{op.operation_id}", values, schema)
    return validation.canonical(f"query:{op.operation_id}", values, schema)


def accepting(schema: dict[str, Any]) -> dict[str, Any]:
    """A date-time query parameter is bounded as a body's timestamps are, whatever its route wrote."""
    if schema.get("format") != "date-time":
        return schema
    return {"allOf": [schema, {"$ref": ACCEPTED_TIMESTAMP}]}
