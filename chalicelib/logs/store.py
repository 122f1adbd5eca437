"""User log events in the records table (MB2018-16, GR2017-13, PA2017-16; keys in core/keys.py).

An event is kept under its account by time; one that carries a content hash is also indexed by it
(GSI1), so tracing a rumour back finds who published the content, earliest first. DynamoDB deletes
expired events late, so every read filters ``ttl`` against the clock. `store()` is the one seam
the use cases reach it through; `memory_store.MemoryLogsStore` is its fake (same contract suite).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from chalicelib.core import keys
from chalicelib.core.config import settings
from chalicelib.core.dynamo import Table


def item(tenant_id: str, event: dict[str, Any], at: str, expires_at: int) -> dict[str, Any]:
    """The stored form of one event, keyed by account, time and event id (so a batch sent again is stored once)."""
    found = {**keys.log_item(tenant_id, event["account_id"], at, event["event_id"]), **event, "ttl": expires_at}
    if event.get("content_sha256"):  # MB2018-11 tracing back: who published this content, earliest first
        found.update(GSI1PK=keys.log_content_index(tenant_id, event["content_sha256"]),
                     GSI1SK=f"{at}#{event['account_id']}#{event['event_id']}")
    return found


class LogsStore(Protocol):
    def put(self, items: list[dict[str, Any]]) -> list[int]: ...
    def by_content(self, tenant_id: str, content_sha256: str) -> Iterable[dict[str, Any]]: ...
    def page(self, tenant_id: str, account_id: str, since: str, until: str, limit: int, cursor: str | None,
             now: int) -> tuple[list[dict[str, Any]], str | None]: ...


class DynamoLogsStore:
    def __init__(self, records: Table) -> None:
        self.records = records

    item = staticmethod(item)

    def put(self, items: list[dict[str, Any]]) -> list[int]:
        """BatchWriteItem, 25 a call; positions of items the store would not take (see core/dynamo.py)."""
        return self.records.batch_put(items)

    def by_content(self, tenant_id: str, content_sha256: str) -> Iterable[dict[str, Any]]:
        return self.records.query(index="GSI1", KeyConditionExpression="GSI1PK = :pk",
                                  values={":pk": keys.log_content_index(tenant_id, content_sha256)})

    def page(self, tenant_id: str, account_id: str, since: str, until: str, limit: int, cursor: str | None,
             now: int) -> tuple[list[dict[str, Any]], str | None]:
        partition = keys.log_pk(tenant_id, account_id)
        return self.records.page(partition=("PK", partition), limit=limit, cursor=cursor,
                                 KeyConditionExpression="PK = :pk AND SK BETWEEN :from AND :to",
                                 FilterExpression="#ttl > :now", ExpressionAttributeNames={"#ttl": "ttl"},
                                 values={":pk": partition, ":from": since, ":to": until + "~", ":now": now})


def store() -> DynamoLogsStore:
    """The DynamoDB store of a running API (typed as such, so a walk of what a use case can raise
    follows it); tests put a fake behind this seam."""
    return DynamoLogsStore(Table(settings().records_table))


_CONTRACT: type[LogsStore] = DynamoLogsStore  # mypy holds the store to its contract
