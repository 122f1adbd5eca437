"""Python client for the Compliance API for Chinese social platforms.

Every body and answer has its type in compliance_client.models (TypedDicts, importable from here too:
``from compliance_client import NameCheck``); at run time they are plain dicts."""

from compliance_client import models
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
from compliance_client.models import *  # noqa: F403  (every model, listed in models.__all__)
from compliance_client.operations import API_VERSION
from compliance_client.webhooks import WebhookSignatureError, verify_webhook

__all__ = [
    "API_VERSION", "ApiError", "AuthenticationError", "Client", "ConflictError", "InvalidRequestError",
    "NotFoundError", "PermissionDeniedError", "PreconditionFailedError", "RateLimitedError", "ServerError",
    "ServiceUnavailableError", "TransportError", "UnprocessableError", "WebhookSignatureError", "models",
    "verify_webhook",
]
__all__ += models.__all__
