"""The reports store in memory, for fast use-case tests; held to `store.ReportsStore` by one contract suite
and made of the same parts (PA2020-20: one open case per target, a deadline only ever lowered, a case closed
only as it was read; PA2017-15: a reporter's window and record counted without a race): cases and their
reports (`memory_case_store`), deciding and sweeping them (`memory_decision_store`), the cases a check opens
(`memory_review_store`), reporters (`memory_reporter_store`), appeals (`memory_appeal_store`) and the webhook
outbox (`memory_outbox_store`).
"""

from __future__ import annotations

from typing import Any

from chalicelib.core.audit_chain import Event
from chalicelib.core.audit_trail import ConditionFailed
from chalicelib.core.memory_table import MemoryTable
from chalicelib.reports.memory_appeal_store import MemoryAppealStore
from chalicelib.reports.memory_case_store import MemoryCaseStore
from chalicelib.reports.memory_decision_store import MemoryDecisionStore
from chalicelib.reports.memory_outbox_store import MemoryOutboxStore
from chalicelib.reports.memory_reporter_store import MemoryReporterStore
from chalicelib.reports.memory_review_store import MemoryReviewCaseStore


class MemoryReportsStore(MemoryCaseStore, MemoryDecisionStore, MemoryReviewCaseStore, MemoryReporterStore,
                         MemoryAppealStore, MemoryOutboxStore):
    def __init__(self, table: MemoryTable | None = None) -> None:
        self.table = table or MemoryTable()

    def commit(self, tenant_id: str, ops: list[Any], event: Event | list[Event]) -> int:
        return self.table.commit(tenant_id, ops, event)

    def apply(self, ops: list[Any]) -> bool:
        try:
            self.table.transact(ops)
        except ConditionFailed:
            return False
        return True
