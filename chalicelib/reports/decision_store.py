"""Deciding and sweeping cases in DynamoDB (part of `store.ReportsStore`): the closing write, the
decisions kept for the stats (PA2020-20), the effects still to apply, the breach stamp.
"""

from __future__ import annotations

from typing import Any

from chalicelib.core import keys
from chalicelib.core.dynamo import Table
from chalicelib.dispositions.reasons import CaseSource
from chalicelib.reports.case_store import pointer


class DecisionStore:
    """A case closed once with its decision, and what follows from it."""

    table: Table

    def decisions(self, tenant_id: str, start: str, end: str) -> list[dict[str, Any]]:
        return list(self.table.query(KeyConditionExpression="PK = :pk AND SK BETWEEN :from AND :to",
                                     values={":pk": keys.decisions_pk(tenant_id), ":from": start, ":to": end + "~"}))

    def pending_decisions(self, tenant_id: str) -> list[dict[str, Any]]:
        """Decided cases whose effects (dispositions, feedback) have not all been applied yet."""
        partition = keys.cases_index(tenant_id, "DECIDED")
        return list(self.table.query(index="GSI1", KeyConditionExpression="GSI1PK = :pk",
                                     FilterExpression="effects_status = :pending",
                                     values={":pk": partition, ":pending": "PENDING"}))

    def mark_breached(self, tenant_id: str, case: dict[str, Any], now: str) -> None:
        """Stamp an open case past its deadline once (the first stamp stays)."""
        self.table.update(keys.case_item(tenant_id, case["case_id"]),
                          UpdateExpression="SET breached_at = if_not_exists(breached_at, :now)", values={":now": now})

    def closing_ops(self, tenant_id: str, case: dict[str, Any], decision: dict[str, Any],
                    hours: float) -> list[dict[str, Any]]:
        """Close the case (only if no report joined since it was read), free its target for a new case,
        and record the decision for the stats (PA2020-20)."""
        condition = "#status = :open AND reports = :seen"
        values = {":decided": "DECIDED", ":decision": decision, ":pending": "PENDING", ":open": "OPEN",
                  ":seen": int(case["reports"]), ":index": keys.cases_index(tenant_id, "DECIDED")}
        if "checks" in case:  # nor a check since (its evidence is what was decided on)
            condition += " AND checks = :checks"
            values[":checks"] = int(case["checks"])
        held = pointer(tenant_id, case)
        reasons = {k: decision.get(k) for k in ("decision_ground", "automated_detection", "automated_decision",
                                                "source_type", "content_type", "decided_by")}
        return [
            {"Update": {"Key": keys.case_item(tenant_id, case["case_id"]),
                        "UpdateExpression": "SET #status = :decided, decision = :decision, effects_status = :pending, "
                                            "GSI1PK = :index",
                        "ConditionExpression": condition, "ExpressionAttributeNames": {"#status": "status"},
                        "values": values}},
            *([{"Delete": {"Key": held, "ConditionExpression": "case_id = :case",
                           "values": {":case": case["case_id"]}}}] if held else []),
            {"Put": {"Item": {**keys.decision_item(tenant_id, decision["decided_at"], case["case_id"]),
                              "case_id": case["case_id"], "category": case["category"], "outcome": decision["outcome"],
                              "late": decision["late"], "hours_to_decision": hours, "reports": int(case["reports"]),
                              "source": case.get("source", CaseSource.REPORT.value), **reasons}}},
        ]

    def effects_complete_ops(self, tenant_id: str, case_id: str, summary: dict[str, Any],
                             delivery: dict[str, Any]) -> list[dict[str, Any]]:
        return [{"Update": {"Key": keys.case_item(tenant_id, case_id),
                            "UpdateExpression": "SET effects_status = :complete, feedback = :feedback, "
                                                "webhook = :webhook",
                            "ConditionExpression": "effects_status = :pending",
                            "values": {":complete": "COMPLETE", ":pending": "PENDING", ":feedback": summary,
                                       ":webhook": delivery}}}]
