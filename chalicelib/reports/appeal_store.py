"""Appeals in DynamoDB (part of `store.ReportsStore`): one pending appeal per decided case, decided
once (RL2020-11).
"""

from __future__ import annotations

from typing import Any

from chalicelib.core import keys
from chalicelib.core.dynamo import Table


class AppealStore:
    """Filing, deciding and listing appeals."""

    table: Table

    def appeal(self, tenant_id: str, appeal_id: str) -> dict[str, Any] | None:
        return self.table.get(keys.appeal_item(tenant_id, appeal_id), consistent=True)

    def appeal_filing_ops(self, tenant_id: str, appeal: dict[str, Any]) -> list[dict[str, Any]]:
        """The appeal, and the case's one pending appeal (conditional: none pending, case decided)."""
        appeal_id = appeal["appeal_id"]
        return [
            {"Update": {"Key": keys.case_item(tenant_id, appeal["case_id"]),
                        "UpdateExpression": "SET pending_appeal = :appeal, "
                                            "appeals = list_append(if_not_exists(appeals, :none), :new)",
                        "ConditionExpression": "attribute_not_exists(pending_appeal) AND #status = :decided",
                        "ExpressionAttributeNames": {"#status": "status"},
                        "values": {":appeal": appeal_id, ":none": [], ":new": [appeal_id], ":decided": "DECIDED"}}},
            {"Put": {"Item": {**keys.appeal_item(tenant_id, appeal_id), **appeal,
                              "GSI1PK": keys.appeals_index(tenant_id, "PENDING"),
                              "GSI1SK": keys.deadline_sort_key(appeal["due_at"], appeal_id)},
                     "ConditionExpression": "attribute_not_exists(PK)"}},
        ]

    def appeal_decision_ops(self, tenant_id: str, appeal: dict[str, Any], outcome: str, statement: str, at: str,
                            reversed_ids: list[str], actor: str | None = None) -> list[dict[str, Any]]:
        """Decide a pending appeal once (recording who decided), and free its case for another appeal."""
        appeal_id = appeal["appeal_id"]
        values = {":outcome": outcome, ":statement": statement, ":at": at, ":reversed": reversed_ids,
                  ":pending": "PENDING", ":index": keys.appeals_index(tenant_id, "DECIDED")}
        if actor:
            values[":by"] = actor
        return [
            {"Update": {"Key": keys.appeal_item(tenant_id, appeal_id),
                        "UpdateExpression": "SET #status = :outcome, statement_decision = :statement, "
                                            "decided_at = :at, reversed = :reversed, GSI1PK = :index"
                                            + (", decided_by = :by" if actor else ""),
                        "ConditionExpression": "#status = :pending", "ExpressionAttributeNames": {"#status": "status"},
                        "values": values}},
            {"Update": {"Key": keys.case_item(tenant_id, appeal["case_id"]),
                        "UpdateExpression": "REMOVE pending_appeal",
                        "ConditionExpression": "pending_appeal = :appeal", "values": {":appeal": appeal_id}}},
        ]

    def set_appeal_notice(self, tenant_id: str, appeal_id: str, notice: dict[str, Any]) -> None:
        self.table.update(keys.appeal_item(tenant_id, appeal_id), UpdateExpression="SET notice = :notice",
                          values={":notice": notice})

    def appeals_page(self, tenant_id: str, status: str, limit: int,
                     cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
        partition = keys.appeals_index(tenant_id, status)
        return self.table.page(index="GSI1", partition=("GSI1PK", partition), limit=limit, cursor=cursor,
                               KeyConditionExpression="GSI1PK = :pk", values={":pk": partition})
