"""Python client for the Compliance API for Chinese social platforms."""

from compliance_client.client import Client
from compliance_client.errors import (
    ApiError,
    AuthenticationError,
    ConflictError,
    InvalidRequestError,
    NotFoundError,
    PermissionDeniedError,
    PreconditionFailedError,
    RateLimitedError,
    ServerError,
    ServiceUnavailableError,
    TransportError,
    UnprocessableError,
)
from compliance_client.operations import API_VERSION
from compliance_client.webhooks import WebhookSignatureError, verify_webhook

__all__ = [
    "API_VERSION", "ApiError", "AuthenticationError", "Client", "ConflictError", "InvalidRequestError",
    "NotFoundError", "PermissionDeniedError", "PreconditionFailedError", "RateLimitedError", "ServerError",
    "ServiceUnavailableError", "TransportError", "UnprocessableError", "WebhookSignatureError", "verify_webhook",
]
