"""Powertools Logger, Metrics and Tracer, configured once for the whole product.

The Tracer is created lazily (see `tracer()`). Logs are structured JSON carrying the tenant and
request id (added per request by the HTTP middleware with thread-safe keys, since `chalice local`
serves requests on threads). Every log line passes through `core.pii.redact`, so an identity or
phone number that slips into a message or field is masked before it is written (MB2018-7,
RL2020-24), and so is a report's tracking token, which opens the report to whoever holds it.
"""

from __future__ import annotations

import os
import re
from contextvars import ContextVar
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.logging.formatter import LambdaPowertoolsFormatter

from chalicelib.core.pii import redact

SERVICE = "compliance-api"
NAMESPACE = "ComplianceApi"
_TRACKING_TOKEN = re.compile(r"trk_[A-Za-z0-9_-]{8,}")


class RedactingFormatter(LambdaPowertoolsFormatter):
    def serialize(self, log: dict[str, Any] | Any) -> str:
        return _TRACKING_TOKEN.sub("trk_***", redact(super().serialize(log)))


os.environ.setdefault("POWERTOOLS_SERVICE_NAME", SERVICE)
os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", NAMESPACE)

logger = Logger(service=SERVICE, logger_formatter=RedactingFormatter())
metrics = Metrics(namespace=NAMESPACE, service=SERVICE)
_tracer: Any = None


def tracer() -> Any:
    """The Powertools Tracer, created on first use and only where X-Ray tracing is on.

    Creating it imports the X-Ray SDK, which builds two botocore clients (~0.2-0.4 s), so
    outside Lambda, or with POWERTOOLS_TRACE_DISABLED, there is none and imports stay lean.
    In Lambda it auto-patches botocore, so every DynamoDB/S3/KMS call is a subsegment.
    """
    global _tracer
    disabled = os.environ.get("POWERTOOLS_TRACE_DISABLED", "").lower() in {"1", "true"}
    if disabled or not os.environ.get("AWS_LAMBDA_FUNCTION_NAME"):
        return None
    if _tracer is None:
        from aws_lambda_powertools import Tracer

        _tracer = Tracer(service=SERVICE)
    return _tracer

# The request being served; set by the HTTP middleware, read by error envelopes.
current_request_id: ContextVar[str] = ContextVar("current_request_id", default="-")
