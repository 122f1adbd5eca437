"""Cases and the reports they gather, in DynamoDB (part of `store.ReportsStore`; keys in core/keys.py).

A report and the case it joins are written in one transaction: a new case together with its
OPENCASE item (conditional on there being none, so a target has one open case), or an update of
the open case that adds to its counters and only ever lowers its deadline.
"""

from __future__ import annotations

from typing import Any

from chalicelib.core import keys
from chalicelib.core.dynamo import Table
from chalicelib.dispositions.reasons import CaseSource


def pointer(tenant_id: str, case: dict[str, Any]) -> dict[str, str] | None:
    """The item that makes a case the one open case of its target: reports share OPENCASE, checks OPENREVIEW;
    a moderator's or an authority's case holds none (each is its own). Stored cases without a source are reports."""
    source = case.get("source", CaseSource.REPORT.value)
    if source == CaseSource.REPORT.value:
        return keys.open_case_item(tenant_id, case["target_type"], case["target_id"])
    if source == CaseSource.CHECK.value:
        return keys.open_review_item(tenant_id, case["target_type"], case["target_id"])
    return None


class CaseStore:
    """Reading cases and their reports; opening, joining and counting them (PA2017-15 intake)."""

    table: Table

    def report(self, tenant_id: str, report_id: str) -> dict[str, Any] | None:
        return self.table.get(keys.report_item(tenant_id, report_id), consistent=True)

    def case(self, tenant_id: str, case_id: str) -> dict[str, Any] | None:
        return self.table.get(keys.case_item(tenant_id, case_id), consistent=True)

    def open_case_id(self, tenant_id: str, target_type: str, target_id: str) -> str | None:
        pointer = self.table.get(keys.open_case_item(tenant_id, target_type, target_id), consistent=True)
        return pointer["case_id"] if pointer else None

    def case_reports(self, tenant_id: str, case_id: str, limit: int | None = None,
                     cursor: str | None = None) -> tuple[list[dict[str, Any]], str | None]:
        """The reports on a case (one page, or all of them when `limit` is None)."""
        partition = keys.case_pk(tenant_id, case_id)
        query: dict[str, Any] = {"KeyConditionExpression": "PK = :pk AND begins_with(SK, :report)",
                 "values": {":pk": partition, ":report": "REPORT#"}}
        if limit is None:
            return list(self.table.query(**query)), None
        return self.table.page(partition=("PK", partition), limit=limit, cursor=cursor, **query)

    def cases_page(self, tenant_id: str, status: str, due_before: str | None, category: str | None, limit: int,
                   cursor: str | None, source: str | None = None) -> tuple[list[dict[str, Any]], str | None]:
        partition = keys.cases_index(tenant_id, status)
        condition, values = "GSI1PK = :pk", {":pk": partition}
        if due_before:
            condition += " AND GSI1SK < :before"
            values[":before"] = due_before
        filters, names = [], {}
        if category:  # a report of the category on the case, or a case (of any source) filed under it
            filters.append("(attribute_exists(categories.#category) OR category = :category)")
            names["#category"], values[":category"] = category, category
        if source:  # a case stored before cases had a source came from reports
            filters.append("(#source = :source" + (" OR attribute_not_exists(#source))"
                                                    if source == CaseSource.REPORT.value else ")"))
            names["#source"], values[":source"] = "source", source
        extra: dict[str, Any] = {}
        if filters:
            extra = {"FilterExpression": " AND ".join(filters), "ExpressionAttributeNames": names}
        return self.table.page(index="GSI1", partition=("GSI1PK", partition), limit=limit, cursor=cursor,
                               KeyConditionExpression=condition, values=values, **extra)

    def open_cases(self, tenant_id: str, due_before: str | None = None) -> list[dict[str, Any]]:
        partition = keys.cases_index(tenant_id, "OPEN")
        condition, values = "GSI1PK = :pk", {":pk": partition}
        if due_before:
            condition += " AND GSI1SK < :before"
            values[":before"] = due_before
        return list(self.table.query(index="GSI1", KeyConditionExpression=condition, values=values))

    def new_case_ops(self, tenant_id: str, case: dict[str, Any]) -> list[dict[str, Any]]:
        """The case, and the pointer that makes it its target's one open case (conditional: none open)."""
        held = pointer(tenant_id, case)
        return [
            *([{"Put": {"Item": {**held, "case_id": case["case_id"]},
                        "ConditionExpression": "attribute_not_exists(PK)"}}] if held else []),
            {"Put": {"Item": {**keys.case_item(tenant_id, case["case_id"]), **case,
                              "GSI1PK": keys.cases_index(tenant_id, "OPEN"),
                              "GSI1SK": keys.deadline_sort_key(case["due_at"], case["case_id"])},
                     "ConditionExpression": "attribute_not_exists(PK)"}},
        ]

    def join_case_ops(self, tenant_id: str, case_id: str, report: dict[str, Any],
                      earlier: bool) -> list[dict[str, Any]]:
        """Count the report on the open case without a read-modify-write race: counters are added, and the
        deadline is only ever lowered (conditional on it still being later), so joiners rarely collide."""
        sets = ["categories.#category = if_not_exists(categories.#category, :zero) + :one"]
        condition = "#status = :open"
        values: dict[str, Any] = {":one": 1, ":zero": 0, ":open": "OPEN"}
        if earlier:
            sets += ["due_at = :due", "category = :category_name", "GSI1SK = :sk"]
            condition += " AND due_at > :due"
            values.update({":due": report["own_due_at"], ":category_name": report["category"],
                           ":sk": keys.deadline_sort_key(report["own_due_at"], case_id)})
        if report["priority"] == "NORMAL":
            sets.append("priority = :normal")
            values[":normal"] = "NORMAL"
        return [{"Update": {"Key": keys.case_item(tenant_id, case_id),
                            "UpdateExpression": "SET " + ", ".join(sets) + " ADD reports :one",
                            "ConditionExpression": condition,
                            "ExpressionAttributeNames": {"#status": "status", "#category": report["category"]},
                            "values": values}}]

    def report_ops(self, tenant_id: str, report: dict[str, Any]) -> list[dict[str, Any]]:
        return [
            {"Put": {"Item": {**keys.report_item(tenant_id, report["report_id"]), **report},
                     "ConditionExpression": "attribute_not_exists(PK)"}},
            {"Put": {"Item": {**keys.case_report_item(tenant_id, report["case_id"], report["report_id"]),
                              "report_id": report["report_id"], "reporter_key": report["reporter_key"],
                              "priority": report["priority"], "category": report["category"],
                              "received_at": report["received_at"]}}},
        ]

    def take_intake_slot(self, tenant_id: str, reporter_key: str, window_start: int, window: int, limit: int) -> None:
        """Count one report in the reporter's window, refusing (ConditionalCheckFailed) at the limit."""
        self.table.update(keys.reporter_window_item(tenant_id, reporter_key, window_start),
                          UpdateExpression="ADD reports :one SET #ttl = :ttl",
                          ConditionExpression="attribute_not_exists(reports) OR reports < :limit",
                          ExpressionAttributeNames={"#ttl": "ttl"},
                          values={":one": 1, ":limit": limit, ":ttl": window_start + 2 * window})

    def reports_by_id(self, tenant_id: str, report_ids: list[str]) -> dict[str, dict[str, Any]]:
        if not report_ids:
            return {}
        return {r["report_id"]: r for r in self.table.batch_get([keys.report_item(tenant_id, i) for i in report_ids])}
