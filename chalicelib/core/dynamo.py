"""A thin layer over the low-level DynamoDB client: typed values in and out, errors mapped.

The low-level client is used rather than the resource API: it loads less at cold start and
its request shapes match TransactWriteItems directly.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.core import aws
from chalicelib.core.errors import InvalidRequest, ProviderUnavailable

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
    return ProviderUnavailable(
        "The data store is unavailable; retry later.",
        message_zh="数据存储暂不可用，请稍后重试。",
        code="STORE_UNAVAILABLE",
        details={"reason": failure_reason(exc)},
    )


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
        """Put an item; ClientError other than throttling/outage propagates for the caller to map."""
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
        accepted for that same partition, so one tenant cannot replay another's cursor.
        """
        params: dict[str, Any] = {"TableName": self.name, "ExpressionAttributeValues": serialize(values),
                                  "Limit": limit, **kwargs}
        if index:
            params["IndexName"] = index
        if cursor:
            params["ExclusiveStartKey"] = decode_cursor(cursor, partition)
        answer = self._call("query", **params)
        last = answer.get("LastEvaluatedKey")
        return [deserialize(i) for i in answer.get("Items", [])], encode_cursor(last) if last else None

    def batch_get(self, item_keys: list[dict[str, str]]) -> list[dict[str, Any]]:
        """Up to 100 items by key in one BatchGetItem; keys DynamoDB leaves unprocessed are asked again."""
        return batch_get_tables({self.name: item_keys}, consistent=False)[self.name]

    def batch_put(self, items: list[dict[str, Any]], *, attempts: int = 5, backoff: float = 0.05) -> list[int]:
        """Write items with BatchWriteItem, 25 a call; unprocessed ones are retried with exponential
        backoff. Returns the positions of items still unwritten after the last attempt. Items with
        the same key are written once, the last of them (DynamoDB refuses a batch with duplicates)."""
        import time

        last: dict[tuple[Any, Any], int] = {}
        for position, item in enumerate(items):
            last[(item["PK"], item["SK"])] = position
        unique = sorted(last.values())
        failed: list[int] = []
        for start in range(0, len(unique), 25):
            pending = {n: items[n] for n in unique[start:start + 25]}
            for attempt in range(attempts):
                answer = self._call("batch_write_item", RequestItems={
                    self.name: [{"PutRequest": {"Item": serialize(item)}} for item in pending.values()]})
                left = [deserialize(r["PutRequest"]["Item"]) for r in answer.get("UnprocessedItems", {}).get(self.name, [])]
                pending = {n: item for n, item in pending.items() if item in left}
                if not pending:
                    break
                time.sleep(backoff * 2 ** attempt)
            failed.extend(pending)
        keys_failed = {(items[n]["PK"], items[n]["SK"]) for n in failed}
        return [n for n, item in enumerate(items) if (item["PK"], item["SK"]) in keys_failed]

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
            raise
        except BotoCoreError as exc:
            raise unavailable(exc) from exc


def batch_get_tables(wanted: dict[str, list[dict[str, str]]], *, consistent: bool = True) -> dict[str, list[dict[str, Any]]]:
    """Items from several tables in one BatchGetItem (at most 100 keys in all); unprocessed keys asked again."""
    found: dict[str, list[dict[str, Any]]] = {name: [] for name in wanted}
    request = {name: {"Keys": [serialize(k) for k in dict_keys], "ConsistentRead": consistent}
               for name, dict_keys in wanted.items() if dict_keys}
    table = Table(next(iter(wanted)))
    for _ in range(5):
        if not request:
            break
        answer = table._call("batch_get_item", RequestItems=request)
        for name, items in answer.get("Responses", {}).items():
            found[name].extend(deserialize(i) for i in items)
        request = answer.get("UnprocessedKeys") or {}
    return found


def encode_cursor(last_key: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(last_key, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, partition: tuple[str, str]) -> dict[str, Any]:
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        attribute, expected = partition
        if not isinstance(key, dict) or key.get(attribute) != {"S": expected}:
            raise ValueError("cursor from another listing")
        return key
    except ValueError as exc:
        raise InvalidRequest("The cursor is not one this listing issued.", message_zh="分页游标无效。",
                             code="CURSOR_INVALID") from exc
