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
- `HttpProvider` (identity/http_provider.py): the tenant's own verification gateway, signed with
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
import threading
import time
from dataclasses import dataclass
from typing import Protocol

from chalicelib.identity.documents import DocumentType
from chalicelib.identity.provider_codes import Outcome

SANDBOX_MAGIC = {"991": Outcome.MISMATCH, "992": Outcome.NO_RECORD, "993": Outcome.INVALID_INPUT,
                 "994": Outcome.UNSUPPORTED, "995": Outcome.RATE_LIMITED, "996": Outcome.PROVIDER_ERROR}
_CHECKED = {DocumentType.RESIDENT_ID, DocumentType.USCC, DocumentType.PR_CARD, DocumentType.ORG_CODE}
# Answers that are failures: their details carry our reason, not the gateway's code.
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
