"""A thin layer over the low-level DynamoDB client: one table's reads, writes, pages, transactions and
batches, with plain Python values in and out (core/dynamo_wire.py), errors mapped (core/dynamo_errors.py)
and cursors checked (core/dynamo_cursor.py).

The low-level client is used rather than the resource API: it loads less at cold start and
its request shapes match TransactWriteItems directly.

What every store gets from it:
- A batch read or write is whole or raises ProviderUnavailable (`STORE_UNAVAILABLE`, 503 with
  Retry-After). Keys and items DynamoDB leaves unprocessed are sent again with exponential
  backoff and full jitter (core/dynamo_batches.py); one still unread is never reported as absent, since absent reads as
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

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.core import aws
from chalicelib.core.dynamo_batches import BATCH_BACKOFF, BATCH_GET_KEYS, BATCH_WRITE_ITEMS, until_processed
from chalicelib.core.dynamo_cursor import (  # noqa: F401  (importable from here, as before the split)
    CURSOR_PATTERN,
    MAX_CURSOR_CHARS,
    PARTITION_KEY_BYTES,
    SORT_KEY_BYTES,
    cursor_invalid,
    decode_cursor,
    encode_cursor,
    key_attributes,
)
from chalicelib.core.dynamo_errors import (  # noqa: F401
    RETRYABLE,
    error_code,
    failure_reason,
    mapped,
    refusal_kind,
    rejected,
    store_unavailable,
    unavailable,
)
from chalicelib.core.dynamo_wire import deserialize, serialize
from chalicelib.core.errors import InvalidRequest
from chalicelib.core.observability import logger

TRANSACT_ITEMS = 100  # DynamoDB's limit of items per TransactWriteItems (more is a ValidationException)


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
                raise cursor_invalid() from exc
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
            for _ in until_processed(self._call, "batch_write_item", request, "UnprocessedItems", policy):
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
            if error_code(exc) in RETRYABLE:
                raise unavailable(exc) from exc
            found = mapped(exc)
            if found is None:
                raise
            logger.warning("the data store refused a call", extra={"operation": operation, "table": self.name,
                                                                   "code": found.error_code,
                                                                   "reason": found.details["reason"]})
            raise found from exc
        except BotoCoreError as exc:
            raise unavailable(exc) from exc


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
        for answer in until_processed(Table(asked[start][0])._call, "batch_get_item", request, "UnprocessedKeys",
                                      BATCH_BACKOFF):
            for name, items in answer.get("Responses", {}).items():
                found[name].extend(deserialize(i) for i in items)
    return found
