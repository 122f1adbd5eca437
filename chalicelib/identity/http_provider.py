"""The identity provider reached over the tenant's signed HTTP gateway (MB2018-7): retried with backoff and
jitter on what is transient, behind a circuit breaker per gateway URL, its answer read type by type.
"""

from __future__ import annotations

import json
import random
import time

from chalicelib.core import outbound
from chalicelib.identity.provider_codes import PROVIDER_CODES, Outcome, outcome_of
from chalicelib.identity.providers import ProviderAnswer, VerificationRequest, circuit_for, signed_headers

_FAILED = {Outcome.RATE_LIMITED, Outcome.PROVIDER_ERROR}


class _Retryable(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class HttpProvider:
    """Calls go through `core.outbound.post`: one pinned, checked address, no redirects, one deadline
    of `timeout_ms` per attempt, a bounded answer. What reaches an error's details is a normalized
    reason (outbound.Reason, RATE_LIMITED, PROVIDER_ERROR, CIRCUIT_OPEN), never the gateway's HTTP
    status or its provider's codes for a failure."""

    name = "http"

    def __init__(self, url: str, secret: str, *, timeout_ms: int, max_retries: int,
                 backoff_seconds: float = 0.1) -> None:
        self.url, self.secret = url, secret
        self.timeout_ms = timeout_ms
        self.max_retries, self.backoff = max_retries, backoff_seconds

    def verify(self, request: VerificationRequest) -> ProviderAnswer:
        circuit = circuit_for(self.url)
        if not circuit.allows(time.monotonic()):
            return ProviderAnswer(Outcome.PROVIDER_ERROR, self.name, "CIRCUIT_OPEN", attempts=0)
        body = json.dumps({
            "request_id": request.request_id, "document_type": request.document_type.value,
            "document_number": request.document_number, "name": request.name, "mobile": request.mobile,
        }, ensure_ascii=False).encode()
        for attempt in range(1, self.max_retries + 2):
            try:
                answer = self._post(body)
            except _Retryable as failure:
                if attempt <= self.max_retries:
                    time.sleep(self.backoff * 2 ** (attempt - 1) * (0.5 + random.random()))
                    continue
                circuit.record(False, time.monotonic())
                return ProviderAnswer(Outcome.PROVIDER_ERROR, self.name, failure.reason, attempts=attempt)
            circuit.record(answer.outcome is not Outcome.PROVIDER_ERROR, time.monotonic())
            return ProviderAnswer(answer.outcome, self.name, answer.provider_code, attempts=attempt)
        raise AssertionError("unreachable")

    def _post(self, body: bytes) -> ProviderAnswer:
        try:
            answer = outbound.post(self.url, body, signed_headers(self.secret, body), timeout_ms=self.timeout_ms)
        except outbound.OutboundError as error:
            if error.status == 429:
                return ProviderAnswer(Outcome.RATE_LIMITED, self.name, Outcome.RATE_LIMITED.value)
            if error.transient:
                raise _Retryable(error.reason.value) from error
            return ProviderAnswer(Outcome.PROVIDER_ERROR, self.name, error.reason.value)
        return _parse(answer.body)


def _parse(body: bytes) -> ProviderAnswer:
    """The gateway's answer, type by type: anything but a known outcome or a string provider and code
    is BAD_ANSWER. A provider's own code is kept only when it means a definite result."""
    bad = ProviderAnswer(Outcome.PROVIDER_ERROR, HttpProvider.name, outbound.Reason.BAD_ANSWER.value)
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError):  # not JSON, not UTF-8, or nested past the parser's depth
        return bad
    if not isinstance(payload, dict):
        return bad
    outcome = payload.get("outcome")
    if outcome is not None:
        if not isinstance(outcome, str) or outcome not in Outcome.__members__:
            return bad
        return ProviderAnswer(Outcome(outcome), HttpProvider.name, outcome if Outcome(outcome) in _FAILED else None)
    provider, code = payload.get("provider"), payload.get("code")
    if not isinstance(provider, str) or not isinstance(code, str) or code not in PROVIDER_CODES.get(provider, {}):
        return bad
    outcome = outcome_of(provider, code)
    return ProviderAnswer(outcome, HttpProvider.name, outcome.value if outcome in _FAILED else f"{provider}:{code}")
