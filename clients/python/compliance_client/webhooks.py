"""Verify a webhook from the API before trusting it (PA2020-20 feedback, RL2020-11 appeal outcomes).

Each delivery is a POST with ``X-Compliance-Timestamp`` (Unix seconds) and ``X-Compliance-Signature``:
the lowercase hex HMAC-SHA256, under the secret the tenant stored in SSM for ``reports.webhook``, of
``{timestamp}.{raw body}``. Check it over the raw bytes received (before any JSON parsing), refuse a
timestamp outside the tolerance (a replay), and de-duplicate on ``delivery_id``: a delivery may arrive
more than once.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from typing import Any

TIMESTAMP_HEADER = "X-Compliance-Timestamp"
SIGNATURE_HEADER = "X-Compliance-Signature"
DEFAULT_TOLERANCE_SECONDS = 300


class WebhookSignatureError(Exception):
    """The delivery is not authentic or is stale: answer 400 and do not act on it."""


def verify_webhook(secret: str | bytes, headers: Mapping[str, str], body: bytes, *,
                   tolerance_seconds: int = DEFAULT_TOLERANCE_SECONDS, now: float | None = None) -> dict[str, Any]:
    """The delivery's payload if the signature is ours and the timestamp fresh; WebhookSignatureError if not."""
    lowered = {name.lower(): value for name, value in headers.items()}
    timestamp = lowered.get(TIMESTAMP_HEADER.lower(), "")
    signature = lowered.get(SIGNATURE_HEADER.lower(), "")
    if not timestamp.isascii() or not timestamp.isdigit() or len(timestamp) > 12:
        raise WebhookSignatureError(f"{TIMESTAMP_HEADER} is missing or not Unix seconds")
    if abs((time.time() if now is None else now) - int(timestamp)) > tolerance_seconds:
        raise WebhookSignatureError(f"{TIMESTAMP_HEADER} is outside the {tolerance_seconds} s tolerance")
    key = secret.encode() if isinstance(secret, str) else secret
    expected = hmac.new(key, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    if not signature.isascii() or not hmac.compare_digest(expected, signature.strip().lower()):
        raise WebhookSignatureError(f"{SIGNATURE_HEADER} does not match the body")
    payload = json.loads(body.decode("utf-8"))
    if not isinstance(payload, dict):
        raise WebhookSignatureError("the body is not a JSON object")
    return payload
