"""What a filing reads and writes, in memory, for fast tests; held to `store.FilingStore` by one contract
suite (MB2018-10, MB2018-12: each record set read from the index its capability keeps for it, bounded by
the period; the filing record by period, newest first).

A source query is a description the fake itself reads back (an index partition and its bounds), where the
DynamoDB store's is a Query's expressions: callers only pass it back to `read` and `count`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from chalicelib.core import keys
from chalicelib.core.memory_table import Change, MemoryTable, always

Item = dict[str, Any]


def _query(partition: str, *, before: str | None = None, low: str | None = None, high: str | None = None,
           created_before: str | None = None) -> Item:
    return {"partition": partition, "before": before, "low": low, "high": high, "created_before": created_before}


class MemoryFilingStore:
    def __init__(self, main: MemoryTable | None = None, records: MemoryTable | None = None) -> None:
        self.main, self.records = main or MemoryTable(), records or MemoryTable()

    def source_queries(self, tenant_id: str, start: str, end: str,
                       upfront_categories: tuple[str, ...]) -> dict[str, list[Item]]:
        return {
            "public_accounts": [_query(keys.public_accounts_index(tenant_id), created_before=end)],
            "upfront_verified": [_query(keys.upfront_index(tenant_id, c), before=end) for c in upfront_categories],
            "dispositions": [_query(keys.reportable_index(tenant_id), low=start, high=end)],
        }

    def read(self, query: Item) -> Iterator[Item]:
        found = self.main.query(query["partition"], index="GSI1", before=query["before"], low=query["low"],
                                high=query["high"])
        return iter([i for i in found if query["created_before"] is None or i["created_at"] < query["created_before"]])

    def count(self, query: Item) -> int:
        return sum(1 for _ in self.read(query))

    def content_actions(self, tenant_id: str, start: str, end: str) -> Iterator[Item]:
        return iter([i for i in self.records.query(keys.content_actions_pk(tenant_id), low=start, high=end)
                     if i.get("reportable") is True])

    def count_content_actions(self, tenant_id: str, start: str, end: str) -> int:
        return sum(1 for _ in self.content_actions(tenant_id, start, end))

    def subjects(self, tenant_id: str, subject_ids: list[str]) -> list[Item]:
        found = (self.main.get(keys.subject_item(tenant_id, s)) for s in dict.fromkeys(subject_ids))
        return [s for s in found if s is not None]

    def account_owners(self, tenant_id: str, account_ids: list[str]) -> dict[str, str]:
        found = (self.main.get(keys.account_item(tenant_id, a)) for a in dict.fromkeys(account_ids))
        return {item["account_id"]: item["subject_id"] for item in found if item is not None}

    def filing(self, tenant_id: str, period: str) -> Item | None:
        return self.main.get(keys.filing_item(tenant_id, period))

    @staticmethod
    def filing_op(tenant_id: str, record: Item, *, once: bool = False) -> Change:
        key = keys.filing_item(tenant_id, record["period"])
        return Change(key, lambda _: {**key, **record}, (lambda item: item is None) if once else always)

    def filings_page(self, tenant_id: str, limit: int, cursor: str | None) -> tuple[list[Item], str | None]:
        return self.main.page(keys.filings_pk(tenant_id), limit=limit, cursor=cursor, descending=True)
