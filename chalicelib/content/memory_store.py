"""Actions on content in memory, for fast tests; held to `store.ContentStore` by one contract suite (MB2018-12,
PA2020-19: an action is kept for the log retention, read by time and by account, and an expired one that
DynamoDB has not deleted yet is never read)."""

from __future__ import annotations

from typing import Any

from chalicelib.core import keys
from chalicelib.core.audit_chain import Event
from chalicelib.core.memory_table import Change, MemoryTable

Item = dict[str, Any]


class MemoryContentStore:
    def __init__(self, records: MemoryTable | None = None) -> None:
        self.records = records or MemoryTable()

    def commit(self, tenant_id: str, ops: list[Any], event: Event) -> int:
        return self.records.commit(tenant_id, ops, event)

    @staticmethod
    def action_op(tenant_id: str, record: Item, expires_at: int) -> Change:
        sort = f"{record['at']}#{record['action_id']}"
        key = {"PK": keys.content_actions_pk(tenant_id), "SK": sort}
        item = {**key, **record, "GSI1PK": keys.content_actions_index(tenant_id, record["account_id"]),
                "GSI1SK": sort, "ttl": expires_at}
        return Change(key, lambda _: item)

    def actions_page(self, tenant_id: str, account_id: str | None, start: str, end: str, limit: int,
                     cursor: str | None, now: int) -> tuple[list[Item], str | None]:
        partition, index = ((keys.content_actions_index(tenant_id, account_id), "GSI1") if account_id
                            else (keys.content_actions_pk(tenant_id), None))
        return self.records.page(partition, limit=limit, cursor=cursor, index=index, low=start, high=end + "~",
                                 keep=lambda i: int(i.get("ttl", 0)) > now)
