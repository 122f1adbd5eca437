"""The webhook outbox in memory (part of `memory_store.MemoryReportsStore`, as `outbox_store` is of the
DynamoDB store): deliveries that failed, kept to be tried again (PA2020-20 feedback, RL2020-11 appeal outcomes).
"""

from __future__ import annotations

from typing import Any

from chalicelib.core import keys
from chalicelib.core.memory_table import Change, MemoryTable, added, stored_with, updated

Item = dict[str, Any]


class MemoryOutboxStore:
    """Failed deliveries: queued, retried, delivered or abandoned."""

    table: MemoryTable

    def queue_delivery(self, tenant_id: str, at: str, delivery_id: str, body: Item, error: str | None, *,
                       next_attempt_at: str, deadline_at: str) -> str:
        key = keys.outbox_item(tenant_id, at, delivery_id)
        self.table.put({**key, "body": body, "attempts": 1, "last_error": error, "next_attempt_at": next_attempt_at,
                        "deadline_at": deadline_at})
        return key["SK"]

    def queued_deliveries(self, tenant_id: str) -> list[Item]:
        return self.table.query(keys.outbox_pk(tenant_id))

    def queued_delivery(self, tenant_id: str, sort_key: str) -> Item | None:
        return self.table.get({"PK": keys.outbox_pk(tenant_id), "SK": sort_key})

    def delivered(self, item: Item) -> None:
        self.table.transact([Change({"PK": item["PK"], "SK": item["SK"]}, lambda _: None)])

    def delivery_failed(self, item: Item, error: str | None, next_attempt_at: str) -> None:
        key = {"PK": item["PK"], "SK": item["SK"]}
        self.table.write(Change(key, lambda found: {**added(found, key, attempts=1), "last_error": error,
                                                     "next_attempt_at": next_attempt_at},
                                stored_with(attempts=item["attempts"])))

    def delivery_abandoned(self, item: Item, now: str) -> None:
        key = {"PK": item["PK"], "SK": item["SK"]}
        self.table.write(Change(key, updated(key, status="ABANDONED", abandoned_at=now)))
