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

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import BotoCoreError, ClientError

from chalicelib import aws
from chalicelib.errors import InvalidRequest, ProviderUnavailable

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()

_RETRYABLE = {
    "ProvisionedThroughputExceededException",
    "ThrottlingException",
    "RequestLimitExceeded",
    "InternalServerError",
    "ServiceUnavailable",
}


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, set, tuple)):
        return [_plain(v) for v in value]
    return value


def _dynamo_value(value: Any) -> Any:
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, dict):
        return {k: _dynamo_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_dynamo_value(v) for v in value]
    return value


def serialize(item: dict[str, Any]) -> dict[str, Any]:
    return {k: _serializer.serialize(_dynamo_value(v)) for k, v in item.items() if v is not None}


def deserialize(item: dict[str, Any]) -> dict[str, Any]:
    return {k: _plain(_deserializer.deserialize(v)) for k, v in item.items()}


def error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def unavailable(exc: Exception) -> ProviderUnavailable:
    """A DynamoDB failure that survived botocore's retries becomes a clean 503."""
    return ProviderUnavailable(
        "The data store is unavailable; retry later.",
        message_zh="数据存储暂不可用，请稍后重试。",
        code="STORE_UNAVAILABLE",
        details={"reason": error_code(exc) if isinstance(exc, ClientError) else type(exc).__name__},
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
