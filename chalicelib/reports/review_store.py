"""Cases a check opens (reports.reviews) in DynamoDB (part of `store.ReportsStore`): one OPENREVIEW
case per object, its evidence slots, and the clearances an approval leaves.
"""

from __future__ import annotations

from typing import Any

from chalicelib.core import keys
from chalicelib.core.dynamo import Table


class ReviewCaseStore:
    """CHECK cases: found by object, joined by a later check, cleared on approval."""

    table: Table

    def open_review_case_id(self, tenant_id: str, object_type: str, object_id: str) -> str | None:
        found = self.table.get(keys.open_review_item(tenant_id, object_type, object_id), consistent=True)
        return found["case_id"] if found else None

    def clearance(self, tenant_id: str, object_type: str, object_id: str, check: str,
                  fingerprint: str) -> dict[str, Any] | None:
        return self.table.get(keys.clearance_item(tenant_id, object_type, object_id, check, fingerprint),
                              consistent=True)

    def join_review_ops(self, tenant_id: str, case_id: str, slot: str, evidence: dict[str, Any],
                        due: tuple[str, str] | None) -> list[dict[str, Any]]:
        """A later check of the object: its evidence replaces that slot's, counted; `due` (due_at, rule) only
        ever lowers the deadline, conditional on it still being later."""
        sets, condition = ["evidence.#slot = :evidence"], "#status = :open"
        values: dict[str, Any] = {":evidence": evidence, ":open": "OPEN", ":one": 1}
        if due:
            sets += ["due_at = :due", "deadline_rule = :rule", "GSI1SK = :sk"]
            condition += " AND due_at > :due"
            values.update({":due": due[0], ":rule": due[1], ":sk": keys.deadline_sort_key(due[0], case_id)})
        return [{"Update": {"Key": keys.case_item(tenant_id, case_id),
                            "UpdateExpression": "SET " + ", ".join(sets) + " ADD checks :one",
                            "ConditionExpression": condition,
                            "ExpressionAttributeNames": {"#status": "status", "#slot": slot}, "values": values}}]

    @staticmethod
    def clearance_ops(tenant_id: str, case: dict[str, Any], at: str) -> list[dict[str, Any]]:
        """APPROVE of a CHECK case: what each of its checks saw is cleared for that object."""
        return [{"Put": {"Item": {**keys.clearance_item(tenant_id, case["target_type"], case["target_id"],
                                                        e["kind"], e["fingerprint"]),
                                  "signature": e["signature"], "case_id": case["case_id"], "approved_at": at,
                                  "version": e.get("version")}}}
                for e in case.get("evidence", {}).values()]
