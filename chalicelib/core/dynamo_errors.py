"""How DynamoDB's refusals and failures become domain errors, for every store.

- A failure that survived botocore's retries (throttling, an outage, a timeout) is ProviderUnavailable
  (`STORE_UNAVAILABLE`, 503 with Retry-After), naming only the AWS error code or botocore error kind.
- A request DynamoDB refuses as invalid (an item over 400 KB, a key over its size limit, an empty
  key) is InvalidRequest (`STORE_REJECTED_INPUT`, 400) naming only the kind of refusal: AWS's
  message may quote the data, so it is never shown.
- A cancelled transaction is a 400 or a 503 by the same rules when DynamoDB cancelled it for an
  invalid item or throttling; one cancelled for a failed condition is left for the caller to map.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from chalicelib.core.errors import InvalidRequest, ProviderUnavailable

RETRYABLE = {
    "ProvisionedThroughputExceededException",
    "ThrottlingException",
    "RequestLimitExceeded",
    "InternalServerError",
    "ServiceUnavailable",
}


def error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def failure_reason(exc: Exception) -> str:
    """What a 503's details name as the reason an AWS call failed: the service's error code, or the
    botocore error's kind (a timeout, a refused connection)."""
    return error_code(exc) if isinstance(exc, ClientError) else type(exc).__name__


def unavailable(exc: Exception) -> ProviderUnavailable:
    """A DynamoDB failure that survived botocore's retries becomes a clean 503."""
    return store_unavailable({"reason": failure_reason(exc)})


def store_unavailable(details: dict[str, Any]) -> ProviderUnavailable:
    return ProviderUnavailable("The data store is unavailable; retry later.",
                               message_zh="数据存储暂不可用，请稍后重试。", code="STORE_UNAVAILABLE", details=details)


# What a ValidationException's message says, by kind: the kind is shown, the message never is.
_REFUSALS = (
    ("item size", "ITEM_TOO_LARGE"),
    ("size of hashkey", "KEY_TOO_LONG"),
    ("range keys", "KEY_TOO_LONG"),
    ("key size", "KEY_TOO_LONG"),
    ("empty string", "KEY_EMPTY"),
    ("starting key", "START_KEY_INVALID"),
    ("start key", "START_KEY_INVALID"),
)
_REFUSAL_TEXT = {
    "ITEM_TOO_LARGE": ("The record this request would store is over the data store's 400 KB limit; send less.",
                       "该请求要存储的记录超过数据存储 400 KB 的上限，请减少内容。"),
    "KEY_TOO_LONG": ("A value this request uses as a key is longer than the data store allows.",
                     "该请求中用作键的值超过数据存储允许的长度。"),
    "KEY_EMPTY": ("A value this request uses as a key is empty.", "该请求中用作键的值为空。"),
}
_THROTTLED_IN_TRANSACTION = {"ThrottlingError", "ProvisionedThroughputExceeded", "RequestLimitExceeded"}


def refusal_kind(message: str) -> str:
    text = message.lower()
    return next((kind for clue, kind in _REFUSALS if clue in text), "VALUE_INVALID")


def rejected(kind: str) -> InvalidRequest:
    """A request DynamoDB refused as invalid: the client's to fix, never a 500."""
    message, message_zh = _REFUSAL_TEXT.get(kind, ("The data store refused a value of this request.",
                                                   "数据存储拒绝了该请求中的某个值。"))
    return InvalidRequest(message, message_zh=message_zh, code="STORE_REJECTED_INPUT", details={"reason": kind})


def mapped(exc: ClientError) -> InvalidRequest | ProviderUnavailable | None:
    """The domain error a refusal is, or None for one the caller maps (a failed condition, a conflict)."""
    if error_code(exc) == "ValidationException":
        return rejected(refusal_kind(str(exc.response.get("Error", {}).get("Message", ""))))
    if error_code(exc) == "TransactionCanceledException":
        return _cancellation(exc)
    return None


def _cancellation(exc: ClientError) -> InvalidRequest | ProviderUnavailable | None:
    """A cancelled transaction DynamoDB did not cancel for a condition: an invalid item is the client's
    400, throttling a 503; a failed condition stays a ClientError for the caller to map."""
    codes = [(r.get("Code") or "None", r.get("Message") or "") for r in exc.response.get("CancellationReasons") or []]
    invalid = [message for code, message in codes if code == "ValidationError"]
    if invalid:
        return rejected(refusal_kind(invalid[0]))
    throttled = [code for code, _ in codes if code in _THROTTLED_IN_TRANSACTION]
    if throttled and all(code in ("None", *_THROTTLED_IN_TRANSACTION) for code, _ in codes):
        return store_unavailable({"reason": throttled[0]})
    return None
