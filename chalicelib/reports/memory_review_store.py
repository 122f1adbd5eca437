"""Cases a check opens (reports.reviews) in memory (part of `memory_store.MemoryReportsStore`, as
`review_store` is of the DynamoDB store): one OPENREVIEW case per object, its evidence slots, and the
clearances an approval leaves.
"""

from __future__ import annotations

from typing import Any

from chalicelib.core import keys
from chalicelib.core.memory_table import Change, MemoryTable, added, put, stored_with

Item = dict[str, Any]


class MemoryReviewCaseStore:
    """CHECK cases: found by object, joined by a later check, cleared on approval."""

    table: MemoryTable

    def open_review_case_id(self, tenant_id: str, object_type: str, object_id: str) -> str | None:
        found = self.table.get(keys.open_review_item(tenant_id, object_type, object_id))
        return found["case_id"] if found else None

    def clearance(self, tenant_id: str, object_type: str, object_id: str, check: str,
                  fingerprint: str) -> Item | None:
        return self.table.get(keys.clearance_item(tenant_id, object_type, object_id, check, fingerprint))

    def join_review_ops(self, tenant_id: str, case_id: str, slot: str, evidence: Item,
                        due: tuple[str, str] | None) -> list[Change]:
        key = keys.case_item(tenant_id, case_id)

        def joined(item: Item | None) -> Item:
            found = added(item, key, checks=1)
            found["evidence"] = {**found.get("evidence", {}), slot: evidence}
            if due:
                found.update(due_at=due[0], deadline_rule=due[1], GSI1SK=keys.deadline_sort_key(due[0], case_id))
            return found
        return [Change(key, joined, lambda item: stored_with(status="OPEN")(item) and (
            due is None or str(item.get("due_at", "")) > due[0]))]  # type: ignore[union-attr]

    @staticmethod
    def clearance_ops(tenant_id: str, case: Item, at: str) -> list[Change]:
        ops = []
        for e in case.get("evidence", {}).values():
            key = keys.clearance_item(tenant_id, case["target_type"], case["target_id"], e["kind"], e["fingerprint"])
            ops.append(Change(key, put({**key, "signature": e["signature"], "case_id": case["case_id"],
                                         "approved_at": at, "version": e.get("version")})))
        return ops
