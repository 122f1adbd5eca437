"""Why a call to a tenant's own endpoint failed (core/outbound.py): the only thing about the call that reaches
an answer or a record, never the endpoint's status, body or its provider's codes. Pure (no I/O), so the pure
rules that report a failed call (classifier/rules.py) name the same reasons the client raises, and every
step of the call (outbound_target, outbound_deadline) raises the one `OutboundError`."""

from __future__ import annotations

from enum import StrEnum


class Reason(StrEnum):
    BAD_URL = "BAD_URL"
    ADDRESS_FORBIDDEN = "ADDRESS_FORBIDDEN"
    CONNECT_FAILED = "CONNECT_FAILED"
    TLS_FAILED = "TLS_FAILED"
    TIMEOUT = "TIMEOUT"
    REDIRECT = "REDIRECT"
    BAD_STATUS = "BAD_STATUS"
    TOO_LARGE = "TOO_LARGE"
    BAD_ANSWER = "BAD_ANSWER"


class OutboundError(Exception):
    """`status` is for the caller's retry decision (5xx, 429) only; it is never put in an answer."""

    def __init__(self, reason: Reason, status: int | None = None) -> None:
        super().__init__(reason.value)
        self.reason, self.status = reason, status

    @property
    def transient(self) -> bool:
        return self.reason in {Reason.TIMEOUT, Reason.CONNECT_FAILED} or (self.status or 0) >= 500
