"""Actions on content in the records table (MB2018-12, PA2020-19; keys in core/keys.py).

An action is kept for the log retention after it happened; DynamoDB deletes late, so every read
filters ``ttl`` against the clock.
"""

from __future__ import annotations

from typing import Any

from chalicelib.core import audit_trail, keys
from chalicelib.core.audit_chain import Event
from chalicelib.core.config import settings
from chalicelib.core.dynamo import Table


class ContentStore:
    def __init__(self, records: Table) -> None:
        self.records = records

    def commit(self, tenant_id: str, ops: list[Any], event: Event) -> int:
        """The ops and their audit event in one transaction; ConditionFailed names the first op refused."""
        return audit_trail.commit(self.records, tenant_id, ops, event)

    @staticmethod
    def action_op(tenant_id: str, record: dict[str, Any], expires_at: int) -> dict[str, Any]:
        """The action by time, and by account on GSI1; its id derives from what it is, so a repeat rewrites it."""
        sort = f"{record['at']}#{record['action_id']}"
        return {"Put": {"Item": {"PK": keys.content_actions_pk(tenant_id), "SK": sort, **record,
                                 "GSI1PK": keys.content_actions_index(tenant_id, record["account_id"]),
                                 "GSI1SK": sort, "ttl": expires_at}}}

    def actions_page(self, tenant_id: str, account_id: str | None, start: str, end: str, limit: int,
                     cursor: str | None, now: int) -> tuple[list[dict[str, Any]], str | None]:
        """Actions in [start, end], oldest first, by account when given; expired ones filtered."""
        if account_id:
            index, key_name, partition = "GSI1", "GSI1PK", keys.content_actions_index(tenant_id, account_id)
            condition = "GSI1PK = :pk AND GSI1SK BETWEEN :from AND :to"
        else:
            index, key_name, partition = None, "PK", keys.content_actions_pk(tenant_id)
            condition = "PK = :pk AND SK BETWEEN :from AND :to"
        return self.records.page(index=index, partition=(key_name, partition), limit=limit, cursor=cursor,
                                 KeyConditionExpression=condition, FilterExpression="#ttl > :now",
                                 ExpressionAttributeNames={"#ttl": "ttl"},
                                 values={":pk": partition, ":from": start, ":to": end + "~", ":now": now})


def store() -> ContentStore:
    """The DynamoDB store of a running API (the records table); tests put `memory_store.MemoryContentStore`
    behind this seam."""
    return ContentStore(Table(settings().records_table))
