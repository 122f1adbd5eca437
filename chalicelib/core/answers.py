"""Every answer as JSON, the error envelope included, and a handler's answer checked against the response
schema its operation declares (dev and tests; skipped in prod).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from chalice import Response

from chalicelib.core import validation
from chalicelib.core.config import validate_responses
from chalicelib.core.errors import ComplianceError
from chalicelib.core.operation_spec import Operation, Reply

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


def check_answer(op: Operation, reply: Reply) -> None:
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
