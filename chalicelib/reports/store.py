"""Reports, cases, reporters and appeals in DynamoDB (keys in core/keys.py), one store made of its parts:
cases and their reports (`case_store`), deciding and sweeping them (`decision_store`), the cases a check
opens (`review_store`), reporters (`reporter_store`), appeals (`appeal_store`) and the webhook outbox
(`outbox_store`). Every DynamoDB expression of reports stands in these modules.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from chalicelib.core import audit_trail, stores
from chalicelib.core.audit_chain import Event
from chalicelib.core.dynamo import Table, error_code
from chalicelib.reports.appeal_store import AppealStore
from chalicelib.reports.case_store import CaseStore
from chalicelib.reports.decision_store import DecisionStore
from chalicelib.reports.outbox_store import OutboxStore
from chalicelib.reports.reporter_store import ReporterStore
from chalicelib.reports.review_store import ReviewCaseStore


class ReportsStore(CaseStore, DecisionStore, ReviewCaseStore, ReporterStore, AppealStore, OutboxStore):

    def __init__(self, table: Table) -> None:
        self.table = table

    def commit(self, tenant_id: str, ops: list[Any], event: Event | list[Event]) -> int:
        """The ops and their audit events in one transaction; ConditionFailed names the first op refused."""
        return audit_trail.commit(self.table, tenant_id, ops, event)

    def apply(self, ops: list[Any]) -> bool:
        """The ops in one transaction without an audit event (feedback, counted per report); False when a
        condition refused it and nothing was written."""
        try:
            self.table.transact(ops)
        except ClientError as exc:
            if error_code(exc) != "TransactionCanceledException":
                raise
            return False
        return True


def store() -> ReportsStore:
    """The DynamoDB store of a running API (typed as such, so a walk of what a use case can raise follows
    it); tests put `memory_store.MemoryReportsStore` behind this seam."""
    return ReportsStore(stores.main_table())
