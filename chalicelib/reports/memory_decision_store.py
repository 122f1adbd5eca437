"""Deciding and sweeping cases in memory (part of `memory_store.MemoryReportsStore`, as `decision_store` is of
the DynamoDB store): a case closed only as it was read, the decisions kept for the stats (PA2020-20), the
effects still to apply, the breach stamp.
"""

from __future__ import annotations

from typing import Any

from chalicelib.core import keys
from chalicelib.core.memory_table import Change, MemoryTable, stored_with, updated
from chalicelib.dispositions.reasons import CaseSource
from chalicelib.reports.case_store import pointer

Item = dict[str, Any]


class MemoryDecisionStore:
    """A case closed once with its decision, and what follows from it."""

    table: MemoryTable

    def decisions(self, tenant_id: str, start: str, end: str) -> list[Item]:
        return self.table.query(keys.decisions_pk(tenant_id), low=start, high=end + "~")

    def pending_decisions(self, tenant_id: str) -> list[Item]:
        return [c for c in self.table.query(keys.cases_index(tenant_id, "DECIDED"), index="GSI1")
                if c.get("effects_status") == "PENDING"]

    def mark_breached(self, tenant_id: str, case: Item, now: str) -> None:
        key = keys.case_item(tenant_id, case["case_id"])
        self.table.write(Change(key, lambda item: {"breached_at": now, **(item or key)}))

    def closing_ops(self, tenant_id: str, case: Item, decision: Item, hours: float) -> list[Change]:
        seen = {"status": "OPEN", "reports": int(case["reports"]),
                **({"checks": int(case["checks"])} if "checks" in case else {})}
        key, held = keys.case_item(tenant_id, case["case_id"]), pointer(tenant_id, case)
        row = keys.decision_item(tenant_id, decision["decided_at"], case["case_id"])
        reasons = {k: decision.get(k) for k in ("decision_ground", "automated_detection", "automated_decision",
                                                "source_type", "content_type", "decided_by")}
        recorded = {**row, "case_id": case["case_id"], "category": case["category"], "outcome": decision["outcome"],
                    "late": decision["late"], "hours_to_decision": hours, "reports": int(case["reports"]),
                    "source": case.get("source", CaseSource.REPORT.value), **reasons}
        return [Change(key, updated(key, status="DECIDED", decision=decision, effects_status="PENDING",
                                 GSI1PK=keys.cases_index(tenant_id, "DECIDED")), stored_with(**seen)),
                *([Change(held, lambda _: None, stored_with(case_id=case["case_id"]))] if held else []),
                Change(row, lambda _: recorded)]

    def effects_complete_ops(self, tenant_id: str, case_id: str, summary: Item, delivery: Item) -> list[Change]:
        key = keys.case_item(tenant_id, case_id)
        return [Change(key, updated(key, effects_status="COMPLETE", feedback=summary, webhook=delivery),
                       stored_with(effects_status="PENDING"))]
