"""Reporters in memory (part of `memory_store.MemoryReportsStore`, as `reporter_store` is of the DynamoDB
store): their feedback records (PA2020-20), read without what has expired, and the counters their
screening reads (PA2017-15).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chalicelib.core import clock, keys
from chalicelib.core.memory_table import Change, MemoryTable, added, put, stored_with, updated

Item = dict[str, Any]


def _adding(key: dict[str, str], **amounts: int) -> Callable[[Item | None], Item]:
    return lambda item: added(item, key, **amounts)


class MemoryReporterStore:
    """A reporter's counters, feedback and notices."""

    table: MemoryTable

    def reporter(self, tenant_id: str, reporter_key: str) -> Item | None:
        return self.table.get(keys.reporter_stats_item(tenant_id, reporter_key))

    def feedback_page(self, tenant_id: str, reporter_key: str, limit: int,
                      cursor: str | None) -> tuple[list[Item], str | None]:
        now = clock.now_epoch()
        return self.table.page(keys.reporter_pk(tenant_id, reporter_key), limit=limit, cursor=cursor,
                               prefix="FEEDBACK#", descending=True, keep=lambda i: i.get("ttl", now + 1) > now)

    def mark_feedback_seen(self, tenant_id: str, report_id: str, at: str) -> None:
        key = keys.report_item(tenant_id, report_id)
        self.table.write(Change(key, lambda item: {"feedback_seen_at": at, **(item or key)}))

    def feedback_ops(self, tenant_id: str, links: list[Item], feedback: Item, founded: bool) -> list[Change]:
        at = feedback["decided_at"]
        ops: list[Change] = []
        counts: dict[str, int] = {}
        for link in links:
            key = keys.report_item(tenant_id, link["report_id"])
            ops.append(Change(key, updated(key, feedback=feedback, feedback_at=at),
                              lambda item: item is None or "feedback_at" not in item))
            if not link["reporter_key"].startswith("anon-"):
                row = keys.reporter_feedback_item(tenant_id, link["reporter_key"], at, link["report_id"])
                ops.append(Change(row, put({**row, "kind": "FEEDBACK", "report_id": link["report_id"], **feedback})))
                counts[link["reporter_key"]] = counts.get(link["reporter_key"], 0) + 1
        for rkey, count in counts.items():
            stats = keys.reporter_stats_item(tenant_id, rkey)
            ops.append(Change(stats, _adding(stats, decided=count, unfounded=0 if founded else count)))
        return ops

    def escalation_ops(self, tenant_id: str, rkey: str, seen_decided: int, changes: Item,
                       notice: Item) -> list[Change]:
        stats = keys.reporter_stats_item(tenant_id, rkey)
        row = keys.reporter_feedback_item(tenant_id, rkey, notice["decided_at"], notice["kind"])
        counted = {"restrictions": 1} if "restricted_until" in changes else {}
        return [Change(stats, lambda item: {**added(item, stats, **counted), **changes},
                       stored_with(decided=seen_decided)),
                Change(row, lambda _: {k: v for k, v in {**row, **notice}.items() if v is not None})]
