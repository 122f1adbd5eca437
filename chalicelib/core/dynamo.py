"""A thin layer over the low-level DynamoDB client: typed values in and out, errors mapped.

The low-level client is used rather than the resource API: it loads less at cold start and
its request shapes match TransactWriteItems directly.

What every store gets from it:
- A batch read or write is whole or raises ProviderUnavailable (`STORE_UNAVAILABLE`, 503 with
  Retry-After). Keys and items DynamoDB leaves unprocessed are sent again with exponential
  backoff and full jitter; one still unread is never reported as absent, since absent reads as
  "not blacklisted" (GR2017-11, PA2017-13), and one still unwritten is never dropped from the
  logs (MB2018-16, GR2017-13).
- A request DynamoDB refuses as invalid (an item over 400 KB, a key over its size limit, an
  empty key) is InvalidRequest (`STORE_REJECTED_INPUT`, 400) naming only the kind of refusal:
  AWS's message is logged by kind, never shown, as it may quote the data.
- A pagination cursor is accepted only if it is exactly a key of the listing being paged: the
  table's (and index's) key attributes, each a bounded string, in the partition queried and the
  tenant that owns it (`CURSOR_INVALID`, 400, otherwise).
"""

from __future__ import annotations

import base64
import json
import random
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.core import aws
from chalicelib.core.errors import InvalidRequest, ProviderUnavailable
from chalicelib.core.observability import logger

_RETRYABLE = {
    "ProvisionedThroughputExceededException",
    "ThrottlingException",
    "RequestLimitExceeded",
    "InternalServerError",
    "ServiceUnavailable",
}


def _to_wire(value: Any) -> dict[str, Any]:
    """One Python value as a DynamoDB attribute value (what boto3's TypeSerializer does, without
    importing boto3 at cold start)."""
    if value is None:
        return {"NULL": True}
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, (int, Decimal)):
        return {"N": str(value)}
    if isinstance(value, float):
        return {"N": str(Decimal(str(value)))}
    if isinstance(value, str):
        return {"S": value}
    if isinstance(value, (bytes, bytearray)):
        return {"B": bytes(value)}
    if isinstance(value, dict):
        return {"M": {str(k): _to_wire(v) for k, v in value.items()}}
    if isinstance(value, (list, tuple)):
        return {"L": [_to_wire(v) for v in value]}
    raise TypeError(f"cannot store a {type(value).__name__} in DynamoDB")


def _from_wire(attribute: dict[str, Any]) -> Any:
    ((kind, value),) = attribute.items()
    if kind == "S" or kind == "BOOL" or kind == "B":
        return value
    if kind == "N":
        number = Decimal(value)
        return int(number) if number == number.to_integral_value() else float(number)
    if kind == "NULL":
        return None
    if kind == "M":
        return {k: _from_wire(v) for k, v in value.items()}
    if kind == "L":
        return [_from_wire(v) for v in value]
    if kind in ("SS", "BS"):
        return list(value)
    if kind == "NS":
        return [_from_wire({"N": v}) for v in value]
    raise TypeError(f"unknown DynamoDB type {kind}")


def serialize(item: dict[str, Any]) -> dict[str, Any]:
    return {k: _to_wire(v) for k, v in item.items() if v is not None}


def deserialize(item: dict[str, Any]) -> dict[str, Any]:
    return {k: _from_wire(v) for k, v in item.items()}


def error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def failure_reason(exc: Exception) -> str:
    """What a 503's details name as the reason an AWS call failed: the service's error code, or the
    botocore error's kind (a timeout, a refused connection)."""
    return error_code(exc) if isinstance(exc, ClientError) else type(exc).__name__


def unavailable(exc: Exception) -> ProviderUnavailable:
    """A DynamoDB failure that survived botocore's retries becomes a clean 503."""
    return _store_unavailable({"reason": failure_reason(exc)})


def _store_unavailable(details: dict[str, Any]) -> ProviderUnavailable:
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


def _mapped(exc: ClientError) -> InvalidRequest | ProviderUnavailable | None:
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
        return _store_unavailable({"reason": throttled[0]})
    return None


@dataclass(frozen=True)
class Backoff:
    """How unprocessed keys and items are sent again: exponential backoff with full jitter, each pause
    drawn from [0, min(cap, base * 2**n)], at most `attempts` calls: under 2.6 s of pauses in all."""

    base: float = 0.025
    cap: float = 1.0
    attempts: int = 8

    def pause(self, retry: int) -> float:
        return jitter() * min(self.cap, self.base * 2 ** retry)


BATCH_BACKOFF = Backoff()
BATCH_GET_KEYS = 100  # DynamoDB's limits per BatchGetItem and BatchWriteItem call
BATCH_WRITE_ITEMS = 25
jitter: Callable[[], float] = random.random


def sleep(seconds: float) -> None:
    """The backoff's pause; tests replace it so they do not wait."""
    time.sleep(seconds)


class Table:
    """One DynamoDB table, addressed by name, read and written with plain Python values."""

    def __init__(self, name: str) -> None:
        self.name = name

    @property
    def _client(self) -> Any:
        return aws.client("dynamodb")

    def get(self, key: dict[str, str], *, consistent: bool = False) -> dict[str, Any] | None:
        found = self._call("get_item", TableName=self.name, Key=serialize(key), ConsistentRead=consistent)
        item = found.get("Item")
        return deserialize(item) if item else None

    def put(self, item: dict[str, Any], **kwargs: Any) -> None:
        """Put an item; a ClientError other than an outage or invalid input propagates for the caller to map."""
        values = kwargs.pop("values", None)
        if values is not None:
            kwargs["ExpressionAttributeValues"] = serialize(values)
        self._call("put_item", TableName=self.name, Item=serialize(item), **kwargs)

    def update(self, key: dict[str, str], **kwargs: Any) -> dict[str, Any]:
        values = kwargs.pop("values", None)
        if values is not None:
            kwargs["ExpressionAttributeValues"] = serialize(values)
        answer = self._call("update_item", TableName=self.name, Key=serialize(key), **kwargs)
        return deserialize(answer.get("Attributes", {}))

    def query(self, *, index: str | None = None, values: dict[str, Any], **kwargs: Any) -> Iterator[dict[str, Any]]:
        """Yield every item of a query, following pagination."""
        params: dict[str, Any] = {"TableName": self.name, "ExpressionAttributeValues": serialize(values), **kwargs}
        if index:
            params["IndexName"] = index
        while True:
            page = self._call("query", **params)
            for item in page.get("Items", []):
                yield deserialize(item)
            last = page.get("LastEvaluatedKey")
            if not last:
                return
            params["ExclusiveStartKey"] = last

    def count(self, *, index: str | None = None, values: dict[str, Any], **kwargs: Any) -> int:
        """How many items a query matches (Select=COUNT, following pagination; nothing is transferred)."""
        params: dict[str, Any] = {"TableName": self.name, "ExpressionAttributeValues": serialize(values),
                                  "Select": "COUNT", **kwargs}
        if index:
            params["IndexName"] = index
        total = 0
        while True:
            page = self._call("query", **params)
            total += page.get("Count", 0)
            if not page.get("LastEvaluatedKey"):
                return total
            params["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def page(self, *, partition: tuple[str, str], limit: int, cursor: str | None, index: str | None = None,
             values: dict[str, Any], **kwargs: Any) -> tuple[list[dict[str, Any]], str | None]:
        """One page of a query and an opaque cursor for the next, or None at the end.

        `partition` is (key attribute, value) of the partition queried; a cursor is only
        accepted if it is exactly a start key of this listing (see `decode_cursor`), so one
        tenant cannot replay another's cursor and a crafted one is a 400, never a 500.
        """
        params: dict[str, Any] = {"TableName": self.name, "ExpressionAttributeValues": serialize(values),
                                  "Limit": limit, **kwargs}
        if index:
            params["IndexName"] = index
        if cursor:
            params["ExclusiveStartKey"] = decode_cursor(cursor, partition, index=index)
        try:
            answer = self._call("query", **params)
        except InvalidRequest as exc:  # a start key DynamoDB finds outside the key condition
            if cursor and exc.details.get("reason") == "START_KEY_INVALID":
                raise _cursor_invalid() from exc
            raise
        last = answer.get("LastEvaluatedKey")
        return [deserialize(i) for i in answer.get("Items", [])], encode_cursor(last) if last else None

    def batch_get(self, item_keys: list[dict[str, str]]) -> list[dict[str, Any]]:
        """Items by key, 100 a BatchGetItem; every key is read, or ProviderUnavailable is raised."""
        return batch_get_tables({self.name: item_keys}, consistent=False)[self.name]

    def batch_put(self, items: list[dict[str, Any]], *, attempts: int | None = None,
                  backoff: float | None = None) -> list[int]:
        """Write items with BatchWriteItem, 25 a call; items DynamoDB leaves unprocessed are sent again
        (`BATCH_BACKOFF`, or `attempts` calls from a first pause of `backoff` seconds), and if any is
        still unwritten ProviderUnavailable is raised: a log event is stored or the batch is a 503,
        never dropped (MB2018-16); what was written before stays, and as keys are deterministic a batch
        sent again stores each item once. Items with the same key are written once, the last of them
        (DynamoDB refuses a batch with duplicates). Returns the positions left unwritten: always none,
        kept for the callers that report them."""
        policy = replace(BATCH_BACKOFF, attempts=attempts or BATCH_BACKOFF.attempts,
                         base=BATCH_BACKOFF.base if backoff is None else backoff)
        unique = list({(item["PK"], item["SK"]): item for item in items}.values())
        for start in range(0, len(unique), BATCH_WRITE_ITEMS):
            request = {self.name: [{"PutRequest": {"Item": serialize(item)}}
                                   for item in unique[start:start + BATCH_WRITE_ITEMS]]}
            for _ in _until_processed(self, "batch_write_item", request, "UnprocessedItems", policy):
                pass
        return []

    def transact(self, operations: list[dict[str, Any]]) -> None:
        """TransactWriteItems; each op is {"Put"|"Update"|"ConditionCheck"|"Delete": {...}} with plain values."""
        wire = []
        for op in operations:
            ((kind, body),) = op.items()
            body = dict(body, TableName=body.get("TableName", self.name))
            if "Item" in body:
                body["Item"] = serialize(body["Item"])
            if "Key" in body:
                body["Key"] = serialize(body["Key"])
            if "values" in body:
                body["ExpressionAttributeValues"] = serialize(body.pop("values"))
            wire.append({kind: body})
        self._call("transact_write_items", TransactItems=wire)

    def _call(self, operation: str, **params: Any) -> dict[str, Any]:
        try:
            return getattr(self._client, operation)(**params)
        except ClientError as exc:
            if error_code(exc) in _RETRYABLE:
                raise unavailable(exc) from exc
            mapped = _mapped(exc)
            if mapped is None:
                raise
            logger.warning("the data store refused a call", extra={"operation": operation, "table": self.name,
                                                                   "code": mapped.error_code,
                                                                   "reason": mapped.details["reason"]})
            raise mapped from exc
        except BotoCoreError as exc:
            raise unavailable(exc) from exc


def _pending(part: Any) -> int:
    """How many keys (BatchGetItem) or requests (BatchWriteItem) one table's unprocessed part holds."""
    return len(part.get("Keys", [])) if isinstance(part, dict) else len(part)


def _until_processed(table: Table, operation: str, request: dict[str, Any], left: str,
                     backoff: Backoff) -> Iterator[dict[str, Any]]:
    """Each answer to a batch `operation`, sending again what DynamoDB leaves under `left`, pausing
    with full jitter; raises ProviderUnavailable if part is still left after the last attempt."""
    for attempt in range(backoff.attempts):
        if attempt:
            sleep(backoff.pause(attempt - 1))
        answer = table._call(operation, RequestItems=request)
        yield answer
        request = {name: part for name, part in (answer.get(left) or {}).items() if _pending(part)}
        if not request:
            return
    count = sum(_pending(part) for part in request.values())
    logger.warning("a batch stayed unprocessed after its retries",
                   extra={"operation": operation, "unprocessed": count, "attempts": backoff.attempts})
    raise _store_unavailable({"reason": left, "unprocessed": count})


def batch_get_tables(wanted: dict[str, list[dict[str, str]]], *,
                     consistent: bool = True) -> dict[str, list[dict[str, Any]]]:
    """Items from several tables, 100 keys a BatchGetItem (one call for the usual ask), each key once;
    every key is read, or ProviderUnavailable is raised: a key never read is never reported absent."""
    found: dict[str, list[dict[str, Any]]] = {name: [] for name in wanted}
    asked = list({(name, tuple(sorted(key.items()))): (name, key)
                  for name, table_keys in wanted.items() for key in table_keys}.values())
    for start in range(0, len(asked), BATCH_GET_KEYS):
        request: dict[str, Any] = {}
        for name, key in asked[start:start + BATCH_GET_KEYS]:
            request.setdefault(name, {"Keys": [], "ConsistentRead": consistent})["Keys"].append(serialize(key))
        for answer in _until_processed(Table(asked[start][0]), "batch_get_item", request, "UnprocessedKeys",
                                       BATCH_BACKOFF):
            for name, items in answer.get("Responses", {}).items():
                found[name].extend(deserialize(i) for i in items)
    return found


# DynamoDB's limits on key values, in UTF-8 bytes.
PARTITION_KEY_BYTES = 2048
SORT_KEY_BYTES = 1024
# Far above any cursor this layer issues (a key of four short strings); bounds the work on a crafted one.
MAX_CURSOR_CHARS = 4096
_CURSOR_CHARACTERS = re.compile(r"[A-Za-z0-9_-]+")
CURSOR_PATTERN = f"^(?:{_CURSOR_CHARACTERS.pattern})?$"  # as the document declares it; empty is the first page


def key_attributes(index: str | None = None) -> dict[str, int]:
    """The attributes of a LastEvaluatedKey, with their size limits: the table's key, and the index's
    when an index is paged. Every table is keyed PK/SK and index n by `{n}PK`/`{n}SK` (core/keys.py)."""
    names = {"PK": PARTITION_KEY_BYTES, "SK": SORT_KEY_BYTES}
    if index:
        names.update({f"{index}PK": PARTITION_KEY_BYTES, f"{index}SK": SORT_KEY_BYTES})
    return names


def encode_cursor(last_key: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(last_key, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, partition: tuple[str, str], *, index: str | None = None) -> dict[str, Any]:
    """The start key a cursor carries, if it is exactly one this listing issued: the key attributes of
    the table (and `index`), each a non-empty string within DynamoDB's size limit, the partition the one
    queried, and any tenant-scoped value of the same tenant. Anything else is 400 CURSOR_INVALID, so a
    crafted cursor neither reaches DynamoDB as a malformed key (a 500) nor another tenant's partition."""
    try:
        key = _parse_cursor(cursor)
    except (ValueError, RecursionError) as exc:  # bad base64 and bad UTF-8 are ValueErrors; deep nesting recurses
        raise _cursor_invalid() from exc
    if not _is_start_key(key, partition, key_attributes(index)):
        raise _cursor_invalid()
    return key


def _parse_cursor(cursor: str) -> Any:
    if not isinstance(cursor, str) or len(cursor) > MAX_CURSOR_CHARS or not _CURSOR_CHARACTERS.fullmatch(cursor):
        raise ValueError("not a cursor")
    raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    key = json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
    if encode_cursor(key) != cursor:  # one spelling per key: no stray bits, padding, spacing or repeated names
        raise ValueError("not a cursor this layer wrote")
    return key


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _is_start_key(key: Any, partition: tuple[str, str], attributes: dict[str, int]) -> bool:
    attribute, expected = partition
    if not isinstance(key, dict) or set(key) != set(attributes) or key.get(attribute) != {"S": expected}:
        return False
    tenant = _tenant_prefix(expected)
    for name, value in key.items():
        if not (isinstance(value, dict) and list(value) == ["S"] and isinstance(value["S"], str)):
            return False
        size = _utf8_size(value["S"])
        if size is None or not 0 < size <= attributes[name]:
            return False
        if tenant and value["S"].startswith("T#") and not value["S"].startswith(tenant):
            return False
    return True


def _tenant_prefix(partition: str) -> str | None:
    """`T#{tenant}#` of a tenant-scoped key (core/keys.py), None for the few that are not."""
    parts = partition.split("#", 2)
    return f"T#{parts[1]}#" if len(parts) == 3 and parts[0] == "T" else None


def _utf8_size(text: str) -> int | None:
    try:
        return len(text.encode("utf-8"))
    except UnicodeEncodeError:  # a lone surrogate, which JSON can spell and DynamoDB cannot store
        return None


def _cursor_invalid() -> InvalidRequest:
    return InvalidRequest("The cursor is not one this listing issued.", message_zh="分页游标无效。",
                          code="CURSOR_INVALID")
