"""Why a call to a tenant's own endpoint failed (core/outbound.py): the only thing about the call that reaches
an answer or a record, never the endpoint's status, body or its provider's codes. Pure (no I/O), so the pure
rules that report a failed call (classifier/rules.py) name the same reasons the client raises."""

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
