"""The HTTP middleware every request passes through, registered in app.py.

It gives each request an id (API Gateway's, echoed as `X-Request-Id`), puts it and later
the tenant on every log line, rewrites Chalice's own error answers (405, 415, its 500) into
the product's error envelope, and flushes Powertools metrics (its own error counts and
any business metric a service added) once per request.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from chalice import Response
from chalice.app import Request

from chalicelib.core.answers import error_response
from chalicelib.core.errors import (
    ComplianceError,
    InvalidRequest,
    MethodNotAllowed,
    NotFound,
    UnsupportedMediaType,
    internal_error,
)
from chalicelib.core.observability import current_request_id, logger, metrics, tracer

_CHALICE_ERRORS: dict[str, type[ComplianceError]] = {
    "BadRequestError": InvalidRequest,
    "BadRequest": InvalidRequest,
    "NotFoundError": NotFound,
    "MethodNotAllowedError": MethodNotAllowed,
    "UnsupportedMediaType": UnsupportedMediaType,
}


def request_id_of(event: Request) -> str:
    context = getattr(event, "context", None) or {}
    lambda_context = getattr(event, "lambda_context", None)
    return str(context.get("requestId") or getattr(lambda_context, "aws_request_id", None) or uuid.uuid4())


def http_middleware(event: Request, get_response: Callable[[Request], Response]) -> Response:
    request_id = request_id_of(event)
    token = current_request_id.set(request_id)
    logger.thread_safe_append_keys(request_id=request_id)
    try:
        try:
            response = _traced(event, get_response)
        except Exception:
            logger.exception("unhandled error outside an operation")
            response = error_response(internal_error(request_id))
        response = _as_envelope(response, request_id)
        response.headers["X-Request-Id"] = request_id
        _record_metrics(event, response.status_code)
        return response
    finally:
        logger.thread_safe_clear_keys()
        current_request_id.reset(token)


def _traced(event: Request, get_response: Callable[[Request], Response]) -> Response:
    active = tracer()
    if active is None:
        return get_response(event)
    with active.provider.in_subsegment(f"## {_route(event)}") as subsegment:
        subsegment.put_annotation(key="route", value=_route(event))
        response = get_response(event)
        subsegment.put_annotation(key="status", value=response.status_code)
        return response


def _route(event: Request) -> str:
    context = getattr(event, "context", None) or {}
    return f"{getattr(event, 'method', '?')} {context.get('resourcePath', '?')}"


def _as_envelope(response: Response, request_id: str) -> Response:
    """Chalice answers some errors itself with {"Code", "Message"}; give them our envelope."""
    body: Any = response.body
    if not (isinstance(body, dict) and set(body) == {"Code", "Message"}):
        return response
    kind = _CHALICE_ERRORS.get(str(body["Code"]))
    if kind is None or response.status_code >= 500:
        return error_response(internal_error(request_id))
    error = kind(details={"reason": str(body["Message"])})
    error.headers.update({k: str(v) for k, v in response.headers.items() if k.lower() == "allow"})
    return error_response(error)


def _record_metrics(event: Request, status: int) -> None:
    """Count refusals and failures by route, then flush whatever this request recorded.

    Volume and latency per route come from API Gateway's detailed metrics (enabled in
    infra/template.json), so the hot path does not pay to emit them a second time.
    """
    if status >= 400:
        metrics.add_dimension(name="route", value=_route(event))
        metrics.add_metric(name="ServerErrors" if status >= 500 else "ClientErrors", unit=MetricUnit.Count, value=1)
    if metrics.metric_set:
        metrics.flush_metrics()
