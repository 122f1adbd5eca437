"""The API's error envelope as exceptions: {"error": {"code", "message", "message_zh", "details"}}.

Branch on `code` (stable, listed with its status and article at GET /v1/errors), never on a message.
"""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """An answer of 400 or above, carrying the envelope's fields and the request id to quote."""

    def __init__(self, status: int, code: str, message: str, message_zh: str, details: dict[str, Any],
                 request_id: str | None = None, retry_after: float | None = None) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status, self.code, self.message, self.message_zh = status, code, message, message_zh
        self.details, self.request_id, self.retry_after = details, request_id, retry_after

    @property
    def article(self) -> str | None:
        """The regulation behind the refusal, where there is one (e.g. PA2017-7)."""
        value = self.details.get("article")
        return value if isinstance(value, str) else None


class InvalidRequestError(ApiError):
    """400: malformed JSON, a schema violation (details.errors names each path), a bad parameter."""


class AuthenticationError(ApiError):
    """401: API_KEY_MISSING, API_KEY_INVALID, API_KEY_REVOKED."""


class PermissionDeniedError(ApiError):
    """403: the key lacks the operation's scope, or a refusal such as SUBJECT_BLACKLISTED."""


class NotFoundError(ApiError):
    """404: ..._NOT_FOUND, ROUTE_NOT_FOUND."""


class ConflictError(ApiError):
    """409: the state forbids it (LIMIT_REACHED, CASE_DECIDED, ...), or a concurrent change (..._CONTENDED)."""


class PreconditionFailedError(ApiError):
    """412: If-Match did not match; read again and retry."""


class UnprocessableError(ApiError):
    """422: well-formed but refused (NAME_REFUSED, DOCUMENT_INVALID, IDEMPOTENCY_KEY_REUSED, ...)."""


class RateLimitedError(ApiError):
    """429: retried by the client honouring Retry-After; raised once the retries are spent."""


class ServiceUnavailableError(ApiError):
    """503: a backing service failed; retried by the client honouring Retry-After; raised once spent."""


class ServerError(ApiError):
    """500 INTERNAL (quote request_id) or another 5XX."""


class TransportError(Exception):
    """No answer: the connection failed or timed out."""


_BY_STATUS: dict[int, type[ApiError]] = {
    400: InvalidRequestError, 401: AuthenticationError, 403: PermissionDeniedError, 404: NotFoundError,
    409: ConflictError, 412: PreconditionFailedError, 422: UnprocessableError, 429: RateLimitedError,
    503: ServiceUnavailableError,
}


def error_for(status: int, envelope: Any, request_id: str | None, retry_after: float | None) -> ApiError:
    """The exception for an error answer; a body that is not the envelope (a proxy's page) is code UNKNOWN."""
    error = envelope.get("error") if isinstance(envelope, dict) else None
    if not isinstance(error, dict):
        error = {}
    kind = _BY_STATUS.get(status) or (ServerError if status >= 500 else ApiError)
    details = error.get("details")
    return kind(status, str(error.get("code") or "UNKNOWN"), str(error.get("message") or f"HTTP {status}"),
                str(error.get("message_zh") or ""), details if isinstance(details, dict) else {}, request_id,
                retry_after)
