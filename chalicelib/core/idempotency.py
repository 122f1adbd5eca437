"""`Idempotency-Key` for any write: a retry returns the first answer and changes nothing.

Built on aws-lambda-powertools Idempotency with the DynamoDB persistence layer. The record is
keyed by tenant + operation + client key, and holds a keyed fingerprint of the request (never
the request itself, which may carry identity numbers): the same key with a different request
is refused. A request that fails releases its key, so the retry runs. When the idempotency table
itself fails: before the action, 503 (nothing was done); after it, the action's answer (it was
done; a retry meets the in-progress record, 409, until that expires with the invocation).
An answer's bearer secrets (a report's tracking token) are sealed in the stored record under the
tenant's key and opened on replay, so the table never holds them in plain text (RL2020-24).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from chalicelib.core import aws, crypto
from chalicelib.core.config import settings
from chalicelib.core.errors import Conflict, ProviderUnavailable, Unprocessable
from chalicelib.core.observability import logger

EXPIRES_SECONDS = 24 * 3600
SEALED = "sealed:"


@dataclass(frozen=True)
class Secrets:
    """Top-level answer fields that are bearer secrets, and the tenant key (``crypto.index_key``) that seals them."""

    key: bytes
    fields: tuple[str, ...]

    def seal(self, answer: dict[str, Any], context: str) -> dict[str, Any]:
        return {k: SEALED + crypto.seal_text(self.key, f"{context}#{k}", v) if k in self.fields and isinstance(v, str)
                else v for k, v in answer.items()}

    def open(self, answer: dict[str, Any], context: str) -> dict[str, Any]:
        """The answer as first given; a record stored before sealing began is returned as it is."""
        return {k: crypto.open_text(self.key, f"{context}#{k}", v.removeprefix(SEALED))
                if k in self.fields and isinstance(v, str) and v.startswith(SEALED) else v for k, v in answer.items()}


def fingerprint(key: bytes, body: Any) -> str:
    return hmac.new(key, json.dumps(body, sort_keys=True, ensure_ascii=False).encode(), hashlib.sha256).hexdigest()


def run_once(tenant_id: str, operation: str, idempotency_key: str, request_fingerprint: str,
             action: Callable[[], dict[str, Any]], lambda_context: Any = None,
             secrets: Secrets | None = None) -> dict[str, Any]:
    from aws_lambda_powertools.utilities.idempotency import (
        DynamoDBPersistenceLayer,
        IdempotencyConfig,
        idempotent_function,
    )
    from aws_lambda_powertools.utilities.idempotency.exceptions import (
        IdempotencyAlreadyInProgressError,
        IdempotencyPersistenceLayerError,
        IdempotencyValidationError,
    )

    done: list[dict[str, Any]] = []
    # the record's own identity is the associated data: a sealed value opens only in the record it was written to
    context = json.dumps([tenant_id, operation, idempotency_key])

    def run(request: dict[str, Any]) -> dict[str, Any]:
        done.append(action())
        return secrets.seal(done[-1], context) if secrets else done[-1]

    store = DynamoDBPersistenceLayer(table_name=settings().idempotency_table, boto3_client=aws.client("dynamodb"))
    config = IdempotencyConfig(event_key_jmespath="[tenant_id, operation, key]",
                               payload_validation_jmespath="fingerprint",
                               expires_after_seconds=EXPIRES_SECONDS, raise_on_no_idempotency_key=True)
    if lambda_context is not None:
        config.register_lambda_context(lambda_context)  # an in-progress record expires with the invocation
    wrapped = idempotent_function(run, data_keyword_argument="request", persistence_store=store, config=config)
    request = {"tenant_id": tenant_id, "operation": operation, "key": idempotency_key,
               "fingerprint": request_fingerprint}
    try:
        answer = wrapped(request=request)
        return secrets.open(answer, context) if secrets else answer
    except IdempotencyValidationError as exc:
        raise Unprocessable("This Idempotency-Key was used with a different request.",
                            message_zh="该幂等键已用于另一个不同的请求。", code="IDEMPOTENCY_KEY_REUSED") from exc
    except IdempotencyAlreadyInProgressError as exc:
        raise Conflict("A request with this Idempotency-Key is still in progress; retry shortly.",
                       message_zh="使用该幂等键的请求仍在处理中，请稍后重试。", code="IDEMPOTENCY_IN_PROGRESS") from exc
    except IdempotencyPersistenceLayerError as exc:
        if done:
            # The action completed; only its replay record failed. Answer with what was done: a 503
            # would invite a retry, which meets the in-progress record (409) until it expires.
            logger.warning("idempotency record not saved after the action completed",
                           extra={"operation": operation, "reason": type(exc.__cause__ or exc).__name__})
            return done[-1]
        raise ProviderUnavailable("The data store is unavailable; retry later.",
                                  message_zh="数据存储暂不可用，请稍后重试。",
                                  code="STORE_UNAVAILABLE",
                                  details={"reason": type(exc.__cause__ or exc).__name__}) from exc
