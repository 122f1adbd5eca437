"""Cases nobody reported: a moderator's own (PROACTIVE) and a competent department's order
(AUTHORITY_ORDER, GR2017-11, PA2020-19), decided and disposed as reports are (PA2020-20).

Each is its own case, not joined by reports or checks: an order is handled as the order it is,
by its reference and within its time limit (the order's due_at, else the report deadline of its
category, policy reports.due_hours).
"""

from __future__ import annotations

from typing import Any

from chalicelib.core import audit_events as audit, clock, crypto, idempotency, ids, policy, stores
from chalicelib.core.errors import Unprocessable
from chalicelib.dispositions.reasons import CaseSource
from chalicelib.reports import cases, intake as reports, rules


def open_case(tenant_id: str, body: dict[str, Any], actor: str | None, idempotency_key: str | None,
              lambda_context: Any = None) -> dict[str, Any]:
    if not idempotency_key:
        return _open(tenant_id, body, actor)
    key = crypto.index_key(tenant_id, stores.main_table())
    return idempotency.run_once(tenant_id, "cases.open", idempotency_key, idempotency.fingerprint(key, body),
                                lambda: _open(tenant_id, body, actor), lambda_context)


def _open(tenant_id: str, body: dict[str, Any], actor: str | None) -> dict[str, Any]:
    source = CaseSource(body["source"])
    order = body.get("order")
    if (source is CaseSource.AUTHORITY_ORDER) != (order is not None):
        raise Unprocessable("An AUTHORITY_ORDER case carries its order (reference and authority); no other does.",
                            message_zh="主管部门指令案件须附指令（文号与发出部门），其他案件不附。",
                            code="ORDER_MISMATCH", article="PA2020-19")
    now = clock.now()
    opened = clock.iso(now)
    deadline = rules.deadline(now, body["category"], policy.current(tenant_id).effective["reports"]["due_hours"])
    # An order's own time limit holds even when it has passed on arrival: the case is then overdue, not refused.
    due_at = (order or {}).get("due_at") or clock.iso(deadline.due_at)
    target = body["target"]
    case = {"case_id": ids.new(ids.Kind.CASE), "status": rules.CaseStatus.OPEN.value, "source": source.value,
            "target_type": target["type"], "target_id": target["id"], "target_account_id": target.get("account_id"),
            "category": body["category"], "categories": {}, "opened_at": opened, "due_at": due_at,
            "deadline_rule": "ORDER" if order and order.get("due_at") else deadline.rule,
            "reports": 0, "priority": rules.Priority.NORMAL.value, "description": body["description"],
            "attachments": body.get("evidence", []), "opened_by": actor, "order": order}
    event = audit.event(tenant_id, "case.open", case_id=case["case_id"], source=source.value,
                        target_type=target["type"], target_id=target["id"], category=body["category"],
                        order_reference=(order or {}).get("reference"), opened_by=actor)
    store = reports.store()
    store.commit(tenant_id, store.new_case_ops(tenant_id, case), event)
    return cases.view(case, opened)
