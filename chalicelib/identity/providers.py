"""Identity verification providers behind one interface, each answering a normalized `Outcome`.

- `SandboxProvider`: deterministic, for tests and `make run`, sandbox tenants only. Like a
  payment sandbox's test cards, the three digits before a number's check character (the last
  three for numbers without one; for a resident ID, its sequence code) choose the outcome:

  =====  ===============  =====  ================
  991    MISMATCH         994    UNSUPPORTED
  992    NO_RECORD        995    RATE_LIMITED
  993    INVALID_INPUT    996    PROVIDER_ERROR
  =====  ===============  =====  ================

  A mobile number ending in 991 gives MISMATCH (three-factor check). Anything else matches.
- `HttpProvider`: the tenant's own verification gateway. The request is signed with
  HMAC-SHA256 over ``{timestamp}.{body}`` (headers X-Compliance-Timestamp and
  X-Compliance-Signature) with a secret kept in SSM Parameter Store; 5xx answers, timeouts and
  connection errors are retried with exponential backoff; after repeated failures a circuit
  opens and answers PROVIDER_ERROR at once, without waiting, until a cool-down has passed.
  The gateway answers ``{"outcome": "MATCH"}`` or its provider's own result
  ``{"provider": "tencent.idcard", "code": "-1"}`` (see identity/provider_codes.py); any other
  shape or type is a provider error (BAD_ANSWER). The call itself goes through core/outbound.py.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import random
import threading
import time
from dataclasses import dataclass
from typing import Protocol

from chalicelib.core import outbound
from chalicelib.identity.documents import DocumentType
from chalicelib.identity.provider_codes import PROVIDER_CODES, Outcome, outcome_of

SANDBOX_MAGIC = {"991": Outcome.MISMATCH, "992": Outcome.NO_RECORD, "993": Outcome.INVALID_INPUT,
                 "994": Outcome.UNSUPPORTED, "995": Outcome.RATE_LIMITED, "996": Outcome.PROVIDER_ERROR}
_CHECKED = {DocumentType.RESIDENT_ID, DocumentType.USCC, DocumentType.PR_CARD, DocumentType.ORG_CODE}
# Answers that are failures: their details carry our reason, not the gateway's code.
_FAILED = {Outcome.RATE_LIMITED, Outcome.PROVIDER_ERROR}
FAILURES_TO_OPEN = 5
OPEN_SECONDS = 30.0


@dataclass(frozen=True)
class VerificationRequest:
    request_id: str
    document_type: DocumentType
    document_number: str
    name: str
    mobile: str | None


@dataclass(frozen=True)
class ProviderAnswer:
    outcome: Outcome
    provider: str
    provider_code: str | None = None
    attempts: int = 1


class Provider(Protocol):
    name: str

    def verify(self, request: VerificationRequest) -> ProviderAnswer: ...


class SandboxProvider:
    name = "sandbox"

    def verify(self, request: VerificationRequest) -> ProviderAnswer:
        number = request.document_number.replace("-", "")
        digits = number[-4:-1] if request.document_type in _CHECKED else number[-3:]
        outcome = SANDBOX_MAGIC.get(digits, Outcome.MATCH)
        if outcome is Outcome.MATCH and request.mobile and request.mobile.endswith("991"):
            outcome = Outcome.MISMATCH
        return ProviderAnswer(outcome, self.name, digits if digits in SANDBOX_MAGIC else None)


class _Circuit:
    """Consecutive-failure circuit breaker, one per gateway URL, per container."""

    def __init__(self) -> None:
        self.failures = 0
        self.open_until = 0.0
        self.lock = threading.Lock()

    def allows(self, now: float) -> bool:
        return now >= self.open_until

    def record(self, ok: bool, now: float) -> None:
        with self.lock:
            self.failures = 0 if ok else self.failures + 1
            if self.failures >= FAILURES_TO_OPEN:
                self.open_until = now + OPEN_SECONDS


_circuits: dict[str, _Circuit] = {}


def signed_headers(secret: str, body: bytes) -> dict[str, str]:
    """HMAC-SHA256 over ``{timestamp}.{body}``: the receiver checks it and refuses stale timestamps."""
    timestamp = str(int(time.time()))
    signature = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return {"Content-Type": "application/json; charset=utf-8", "X-Compliance-Timestamp": timestamp,
            "X-Compliance-Signature": signature}


def circuit_for(url: str) -> _Circuit:
    return _circuits.setdefault(url, _Circuit())


def reset_circuits() -> None:
    _circuits.clear()


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
