"""The metrics store in memory, for fast use-case tests; held to `store.DynamoMetricsStore` by one contract suite."""

from __future__ import annotations

from typing import Any

from chalicelib.core import keys
from chalicelib.core.memory_table import Change, MemoryTable
from chalicelib.metrics.store import MetricsStore

Item = dict[str, Any]


class MemoryMetricsStore:
    def __init__(self, main: MemoryTable | None = None, records: MemoryTable | None = None) -> None:
        self.main, self.records = main or MemoryTable(), records or MemoryTable()

    def put_readings(self, tenant_id: str, readings: list[Item]) -> list[int]:
        for r in readings:  # a repeat of a reading's series and time rewrites it
            self.records.put({**keys.metric_reading_item(tenant_id, r["account_id"], r["metric"], r["at"]),
                              "value": r["value"], "ttl": r["ttl"]})
        return []

    def mark_touched(self, tenant_id: str, account_id: str, metric: str, since: str) -> None:
        key = keys.metric_touched_item(tenant_id, account_id, metric)
        self.main.write(Change(key, lambda item: {**(item or key), "since": since, "account_id": account_id,
                                                  "metric": metric},
                               lambda item: item is None or "since" not in item or item["since"] > since))

    def touched(self, tenant_id: str) -> list[Item]:
        return self.main.query(keys.metrics_touched_pk(tenant_id))

    def readings_since(self, tenant_id: str, account_id: str, metric: str, start: str, now: int) -> list[Item]:
        return [r for r in self.records.query(keys.metric_series_pk(tenant_id, account_id, metric), low=start)
                if r.get("ttl", now + 1) > now]

    def latest(self, tenant_id: str, account_id: str, metric: str) -> int | None:
        newest = self.records.query(keys.metric_series_pk(tenant_id, account_id, metric), descending=True)
        return int(newest[0]["value"]) if newest else None

    def put_flags(self, tenant_id: str, flags: list[Item]) -> None:
        for f in flags:
            self.records.put({**keys.metric_flag_item(tenant_id, f["account_id"], f["at"], f["metric"]), **f})

    def evaluated(self, marker: Item) -> bool:
        key = {"PK": marker["PK"], "SK": marker["SK"]}
        return self.main.write(Change(key, lambda _: None,
                                      lambda item: item is not None and item.get("since") == marker["since"]))

    def flags_page(self, tenant_id: str, account_id: str, limit: int, cursor: str | None,
                   now: int) -> tuple[list[Item], str | None]:
        return self.records.page(keys.metric_flags_pk(tenant_id, account_id), limit=limit, cursor=cursor,
                                 descending=True, keep=lambda i: int(i.get("ttl", 0)) > now)


_CONTRACT: type[MetricsStore] = MemoryMetricsStore  # mypy holds the fake to the store's contract
