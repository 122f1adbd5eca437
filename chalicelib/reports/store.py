"""Reports, cases, reporters and appeals in DynamoDB (keys in core/keys.py).

A report and the case it joins are written in one transaction: a new case together with its
OPENCASE item (conditional on there being none, so a target has one open case), or an update of
the open case that adds to its counters and only ever lowers its deadline. Reads of records kept for a period filter `ttl` (DynamoDB deletes late).
"""

from __future__ import annotations

from typing import Any

from chalicelib.core import clock, keys
from chalicelib.core.dynamo import Table


class ReportsStore:
    def __init__(self, table: Table) -> None:
        self.table = table

    # -- reads -----------------------------------------------------------------------------
    def report(self, tenant_id: str, report_id: str) -> dict[str, Any] | None:
        return self.table.get(keys.report_item(tenant_id, report_id), consistent=True)

    def case(self, tenant_id: str, case_id: str) -> dict[str, Any] | None:
        return self.table.get(keys.case_item(tenant_id, case_id), consistent=True)

    def open_case_id(self, tenant_id: str, target_type: str, target_id: str) -> str | None:
        pointer = self.table.get(keys.open_case_item(tenant_id, target_type, target_id), consistent=True)
        return pointer["case_id"] if pointer else None

    def reporter(self, tenant_id: str, reporter_key: str) -> dict[str, Any] | None:
        return self.table.get({"PK": keys.reporter_pk(tenant_id, reporter_key), "SK": "STATS"}, consistent=True)

    def case_reports(self, tenant_id: str, case_id: str, limit: int | None = None,
                     cursor: str | None = None) -> tuple[list[dict[str, Any]], str | None]:
        """The reports on a case (one page, or all of them when `limit` is None)."""
        partition = keys.case_pk(tenant_id, case_id)
        query = {"KeyConditionExpression": "PK = :pk AND begins_with(SK, :report)",
                 "values": {":pk": partition, ":report": "REPORT#"}}
        if limit is None:
            return list(self.table.query(**query)), None
        return self.table.page(partition=("PK", partition), limit=limit, cursor=cursor, **query)

    def cases_page(self, tenant_id: str, status: str, due_before: str | None, category: str | None, limit: int,
                   cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
        partition = keys.cases_index(tenant_id, status)
        condition, values = "GSI1PK = :pk", {":pk": partition}
        if due_before:
            condition += " AND GSI1SK < :before"
            values[":before"] = due_before
        extra: dict[str, Any] = {}
        if category:
            extra = {"FilterExpression": "attribute_exists(categories.#category)",
                     "ExpressionAttributeNames": {"#category": category}}
        return self.table.page(index="GSI1", partition=("GSI1PK", partition), limit=limit, cursor=cursor,
                               KeyConditionExpression=condition, values=values, **extra)

    def open_cases(self, tenant_id: str, due_before: str | None = None) -> list[dict[str, Any]]:
        partition = keys.cases_index(tenant_id, "OPEN")
        condition, values = "GSI1PK = :pk", {":pk": partition}
        if due_before:
            condition += " AND GSI1SK < :before"
            values[":before"] = due_before
        return list(self.table.query(index="GSI1", KeyConditionExpression=condition, values=values))

    def decisions(self, tenant_id: str, start: str, end: str) -> list[dict[str, Any]]:
        return list(self.table.query(KeyConditionExpression="PK = :pk AND SK BETWEEN :from AND :to",
                                     values={":pk": keys.decisions_pk(tenant_id), ":from": start, ":to": end + "~"}))

    def feedback_page(self, tenant_id: str, reporter_key: str, limit: int,
                      cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
        partition = keys.reporter_pk(tenant_id, reporter_key)
        items, next_cursor = self.table.page(
            partition=("PK", partition), limit=limit, cursor=cursor, ScanIndexForward=False,
            KeyConditionExpression="PK = :pk AND begins_with(SK, :feedback)",
            values={":pk": partition, ":feedback": "FEEDBACK#"})
        now = clock.now_epoch()
        return [i for i in items if i.get("ttl", now + 1) > now], next_cursor

    def appeal(self, tenant_id: str, appeal_id: str) -> dict[str, Any] | None:
        return self.table.get(keys.appeal_item(tenant_id, appeal_id), consistent=True)

    def pending_decisions(self, tenant_id: str) -> list[dict[str, Any]]:
        """Decided cases whose effects (dispositions, feedback) have not all been applied yet."""
        partition = keys.cases_index(tenant_id, "DECIDED")
        return list(self.table.query(index="GSI1", KeyConditionExpression="GSI1PK = :pk",
                                     FilterExpression="effects_status = :pending",
                                     values={":pk": partition, ":pending": "PENDING"}))

    # -- writes (operations for audit_trail.commit) -----------------------------------------
    def new_case_ops(self, tenant_id: str, case: dict[str, Any]) -> list[dict[str, Any]]:
        return [
            {"Put": {"Item": {**keys.open_case_item(tenant_id, case["target_type"], case["target_id"]),
                              "case_id": case["case_id"]}, "ConditionExpression": "attribute_not_exists(PK)"}},
            {"Put": {"Item": {**keys.case_item(tenant_id, case["case_id"]), **case,
                              "GSI1PK": keys.cases_index(tenant_id, "OPEN"),
                              "GSI1SK": f"{case['due_at']}#{case['case_id']}"},
                     "ConditionExpression": "attribute_not_exists(PK)"}},
        ]

    def join_case_ops(self, tenant_id: str, case_id: str, report: dict[str, Any], earlier: bool) -> list[dict[str, Any]]:
        """Count the report on the open case without a read-modify-write race: counters are added, and the
        deadline is only ever lowered (conditional on it still being later), so joiners rarely collide."""
        sets = ["categories.#category = if_not_exists(categories.#category, :zero) + :one"]
        condition = "#status = :open"
        values: dict[str, Any] = {":one": 1, ":zero": 0, ":open": "OPEN"}
        if earlier:
            sets += ["due_at = :due", "category = :category_name", "GSI1SK = :sk"]
            condition += " AND due_at > :due"
            values.update({":due": report["own_due_at"], ":category_name": report["category"],
                           ":sk": f"{report['own_due_at']}#{case_id}"})
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
            {"Put": {"Item": {"PK": keys.case_pk(tenant_id, report["case_id"]), "SK": f"REPORT#{report['report_id']}",
                              "report_id": report["report_id"], "reporter_key": report["reporter_key"],
                              "priority": report["priority"], "category": report["category"],
                              "received_at": report["received_at"]}}},
        ]

    def take_intake_slot(self, tenant_id: str, reporter_key: str, window_start: int, window: int, limit: int) -> None:
        """Count one report in the reporter's window, refusing (ConditionalCheckFailed) at the limit."""
        self.table.update({"PK": keys.reporter_pk(tenant_id, reporter_key), "SK": f"WINDOW#{window_start}"},
                          UpdateExpression="ADD reports :one SET #ttl = :ttl",
                          ConditionExpression="attribute_not_exists(reports) OR reports < :limit",
                          ExpressionAttributeNames={"#ttl": "ttl"},
                          values={":one": 1, ":limit": limit, ":ttl": window_start + 2 * window})
