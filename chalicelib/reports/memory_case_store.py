"""Cases and the reports they gather, in memory (part of `memory_store.MemoryReportsStore`, as `case_store`
is of the DynamoDB store): a new case with its OPENCASE item only when there is none (PA2020-20: one open
case per target), a report joining only an open case, whose deadline it only ever lowers, and a reporter's
intake window counted without a race (PA2017-15).
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from chalicelib.core import keys
from chalicelib.core.memory_table import Change, MemoryTable, absent, added, stored_with
from chalicelib.dispositions.reasons import CaseSource
from chalicelib.reports.case_store import pointer

Item = dict[str, Any]


def _refused(operation: str) -> ClientError:
    """What DynamoDB answers a single conditional write whose condition fails."""
    return ClientError({"Error": {"Code": "ConditionalCheckFailedException", "Message": "refused"}}, operation)


class MemoryCaseStore:
    """Reading cases and their reports; opening, joining and counting them (PA2017-15 intake)."""

    table: MemoryTable

    def report(self, tenant_id: str, report_id: str) -> Item | None:
        return self.table.get(keys.report_item(tenant_id, report_id))

    def case(self, tenant_id: str, case_id: str) -> Item | None:
        return self.table.get(keys.case_item(tenant_id, case_id))

    def open_case_id(self, tenant_id: str, target_type: str, target_id: str) -> str | None:
        found = self.table.get(keys.open_case_item(tenant_id, target_type, target_id))
        return found["case_id"] if found else None

    def case_reports(self, tenant_id: str, case_id: str, limit: int | None = None,
                     cursor: str | None = None) -> tuple[list[Item], str | None]:
        partition = keys.case_pk(tenant_id, case_id)
        if limit is None:
            return self.table.query(partition, prefix="REPORT#"), None
        return self.table.page(partition, limit=limit, cursor=cursor, prefix="REPORT#")

    def cases_page(self, tenant_id: str, status: str, due_before: str | None, category: str | None, limit: int,
                   cursor: str | None, source: str | None = None) -> tuple[list[Item], str | None]:
        def keep(case: Item) -> bool:
            in_category = category is None or category in case.get("categories", {}) or case.get("category") == category
            of_source = source is None or case.get("source", CaseSource.REPORT.value if source ==
                                                   CaseSource.REPORT.value else None) == source
            return in_category and of_source
        return self.table.page(keys.cases_index(tenant_id, status), limit=limit, cursor=cursor, index="GSI1",
                               before=due_before or None, keep=keep)

    def open_cases(self, tenant_id: str, due_before: str | None = None) -> list[Item]:
        return self.table.query(keys.cases_index(tenant_id, "OPEN"), index="GSI1", before=due_before or None)

    def reports_by_id(self, tenant_id: str, report_ids: list[str]) -> dict[str, Item]:
        found = (self.table.get(keys.report_item(tenant_id, i)) for i in dict.fromkeys(report_ids))
        return {r["report_id"]: r for r in found if r is not None}

    def new_case_ops(self, tenant_id: str, case: Item) -> list[Change]:
        held = pointer(tenant_id, case)
        case_key = keys.case_item(tenant_id, case["case_id"])
        stored = {**case_key, **case, "GSI1PK": keys.cases_index(tenant_id, "OPEN"),
                  "GSI1SK": keys.deadline_sort_key(case["due_at"], case["case_id"])}
        return [*([Change(held, lambda _: {**held, "case_id": case["case_id"]}, absent)] if held else []),
                Change(case_key, lambda _: stored, absent)]

    def join_case_ops(self, tenant_id: str, case_id: str, report: Item, earlier: bool) -> list[Change]:
        key = keys.case_item(tenant_id, case_id)

        def joined(item: Item | None) -> Item:
            found = added(item, key, reports=1)
            categories = dict(found.get("categories", {}))
            categories[report["category"]] = int(categories.get(report["category"], 0)) + 1
            found["categories"] = categories
            if earlier:
                found.update(due_at=report["own_due_at"], category=report["category"],
                             GSI1SK=keys.deadline_sort_key(report["own_due_at"], case_id))
            if report["priority"] == "NORMAL":
                found["priority"] = "NORMAL"
            return found
        return [Change(key, joined, lambda item: stored_with(status="OPEN")(item) and (
            not earlier or str(item.get("due_at", "")) > report["own_due_at"]))]  # type: ignore[union-attr]

    def report_ops(self, tenant_id: str, report: Item) -> list[Change]:
        key = keys.report_item(tenant_id, report["report_id"])
        link = keys.case_report_item(tenant_id, report["case_id"], report["report_id"])
        summary = {k: report[k] for k in ("report_id", "reporter_key", "priority", "category", "received_at")}
        return [Change(key, lambda _: {**key, **report}, absent), Change(link, lambda _: {**link, **summary})]

    def take_intake_slot(self, tenant_id: str, reporter_key: str, window_start: int, window: int, limit: int) -> None:
        key = keys.reporter_window_item(tenant_id, reporter_key, window_start)
        if not self.table.write(Change(key, lambda item: {**added(item, key, reports=1),
                                                          "ttl": window_start + 2 * window},
                                       lambda item: item is None or "reports" not in item
                                       or int(item["reports"]) < limit)):
            raise _refused("UpdateItem")
