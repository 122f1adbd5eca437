"""The logs store in memory, for fast use-case tests; held to `store.DynamoLogsStore` by one contract suite."""

from __future__ import annotations

from typing import Any

from chalicelib.core import keys
from chalicelib.core.memory_table import MemoryTable
from chalicelib.logs.store import LogsStore


class MemoryLogsStore:
    def __init__(self, records: MemoryTable | None = None) -> None:
        self.records = records or MemoryTable()

    def put(self, items: list[dict[str, Any]]) -> list[int]:
        for one in items:  # the same key twice is written once, the last of them, as core/dynamo.py does
            self.records.put(one)
        return []

    def by_content(self, tenant_id: str, content_sha256: str) -> list[dict[str, Any]]:
        return self.records.query(keys.log_content_index(tenant_id, content_sha256), index="GSI1")

    def page(self, tenant_id: str, account_id: str, since: str, until: str, limit: int, cursor: str | None,
             now: int) -> tuple[list[dict[str, Any]], str | None]:
        return self.records.page(keys.log_pk(tenant_id, account_id), limit=limit, cursor=cursor, low=since,
                                 high=until + "~", keep=lambda i: int(i.get("ttl", 0)) > now)


_CONTRACT: type[LogsStore] = MemoryLogsStore  # mypy holds the fake to the store's contract
