"""Appeals in memory (part of `memory_store.MemoryReportsStore`, as `appeal_store` is of the DynamoDB store):
one pending appeal per decided case, decided once (RL2020-11).
"""

from __future__ import annotations

from typing import Any

from chalicelib.core import keys
from chalicelib.core.memory_table import Change, MemoryTable, absent, stored_with, updated

Item = dict[str, Any]


class MemoryAppealStore:
    """Filing, deciding and listing appeals."""

    table: MemoryTable

    def appeal(self, tenant_id: str, appeal_id: str) -> Item | None:
        return self.table.get(keys.appeal_item(tenant_id, appeal_id))

    def appeals_page(self, tenant_id: str, status: str, limit: int,
                     cursor: str | None) -> tuple[list[Item], str | None]:
        return self.table.page(keys.appeals_index(tenant_id, status), limit=limit, cursor=cursor, index="GSI1")

    def appeal_filing_ops(self, tenant_id: str, appeal: Item) -> list[Change]:
        appeal_id, case_key = appeal["appeal_id"], keys.case_item(tenant_id, appeal["case_id"])
        key = keys.appeal_item(tenant_id, appeal_id)
        stored = {**key, **appeal, "GSI1PK": keys.appeals_index(tenant_id, "PENDING"),
                  "GSI1SK": keys.deadline_sort_key(appeal["due_at"], appeal_id)}
        return [Change(case_key, lambda item: {**(item or case_key), "pending_appeal": appeal_id,
                                               "appeals": [*(item or {}).get("appeals", []), appeal_id]},
                       lambda item: stored_with(status="DECIDED")(item) and "pending_appeal" not in item),  # type: ignore
                Change(key, lambda _: stored, absent)]

    def appeal_decision_ops(self, tenant_id: str, appeal: Item, outcome: str, statement: str, at: str,
                            reversed_ids: list[str], actor: str | None = None) -> list[Change]:
        appeal_id = appeal["appeal_id"]
        key, case_key = keys.appeal_item(tenant_id, appeal_id), keys.case_item(tenant_id, appeal["case_id"])
        decided: Item = {"status": outcome, "statement_decision": statement, "decided_at": at, "reversed": reversed_ids,
                         "GSI1PK": keys.appeals_index(tenant_id, "DECIDED"), **({"decided_by": actor} if actor else {})}
        return [Change(key, updated(key, **decided), stored_with(status="PENDING")),
                Change(case_key, lambda item: {k: v for k, v in (item or case_key).items() if k != "pending_appeal"},
                       stored_with(pending_appeal=appeal_id))]

    def set_appeal_notice(self, tenant_id: str, appeal_id: str, notice: Item) -> None:
        key = keys.appeal_item(tenant_id, appeal_id)
        self.table.write(Change(key, updated(key, notice=notice)))
