"""The reports store in memory, for fast use-case tests; held to `store.ReportsStore` by one contract suite
(PA2020-20: one open case per target, a deadline only ever lowered, a case closed only as it was read; PA2017-15:
a reporter's window and record counted without a race)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.core import clock, keys
from chalicelib.core.audit_chain import Event
from chalicelib.core.audit_trail import ConditionFailed
from chalicelib.core.memory_table import Change, MemoryTable, absent, added, put
from chalicelib.dispositions.reasons import CaseSource
from chalicelib.reports.case_store import pointer

Item = dict[str, Any]
Check = Callable[[Item | None], bool]



def _has(**wanted: Any) -> Check:
    """Every named attribute is stored with that value (a missing one is no match, as in DynamoDB)."""
    return lambda item: item is not None and all(k in item and item[k] == v for k, v in wanted.items())


def _set(key: dict[str, str], **values: Any) -> Callable[[Item | None], Item]:
    """``SET`` on an item, creating it under `key` when absent (UpdateItem's upsert)."""
    return lambda item: {**(item or key), **values}



def _adding(key: dict[str, str], **amounts: int) -> Callable[[Item | None], Item]:
    return lambda item: added(item, key, **amounts)


def _refused(operation: str) -> ClientError:
    """What DynamoDB answers a single conditional write whose condition fails."""
    return ClientError({"Error": {"Code": "ConditionalCheckFailedException", "Message": "refused"}}, operation)


class MemoryReportsStore:
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

    # -- reads -----------------------------------------------------------------------------
    def report(self, tenant_id: str, report_id: str) -> Item | None:
        return self.table.get(keys.report_item(tenant_id, report_id))

    def case(self, tenant_id: str, case_id: str) -> Item | None:
        return self.table.get(keys.case_item(tenant_id, case_id))

    def open_case_id(self, tenant_id: str, target_type: str, target_id: str) -> str | None:
        found = self.table.get(keys.open_case_item(tenant_id, target_type, target_id))
        return found["case_id"] if found else None

    def reporter(self, tenant_id: str, reporter_key: str) -> Item | None:
        return self.table.get(keys.reporter_stats_item(tenant_id, reporter_key))

    def case_reports(self, tenant_id: str, case_id: str, limit: int | None = None,
                     cursor: str | None = None) -> tuple[list[Item], str | None]:
        partition = keys.case_pk(tenant_id, case_id)
        if limit is None:
            return self.table.query(partition, prefix="REPORT#"), None
        return self.table.page(partition, limit=limit, cursor=cursor, prefix="REPORT#")

    def cases_page(self, tenant_id: str, status: str, due_before: str | None, category: str | None, limit: int,
                   cursor: str | None, source: str | None = None) -> tuple[list[Item], str | None]:
        def keep(case: Item) -> bool:
            in_category = category is None or category in case.get("categories", {}) or case.get("category") == category
            of_source = source is None or case.get("source", CaseSource.REPORT.value if source ==
                                                   CaseSource.REPORT.value else None) == source
            return in_category and of_source
        return self.table.page(keys.cases_index(tenant_id, status), limit=limit, cursor=cursor, index="GSI1",
                               before=due_before or None, keep=keep)

    def open_cases(self, tenant_id: str, due_before: str | None = None) -> list[Item]:
        return self.table.query(keys.cases_index(tenant_id, "OPEN"), index="GSI1", before=due_before or None)

    def decisions(self, tenant_id: str, start: str, end: str) -> list[Item]:
        return self.table.query(keys.decisions_pk(tenant_id), low=start, high=end + "~")

    def feedback_page(self, tenant_id: str, reporter_key: str, limit: int,
                      cursor: str | None) -> tuple[list[Item], str | None]:
        now = clock.now_epoch()
        return self.table.page(keys.reporter_pk(tenant_id, reporter_key), limit=limit, cursor=cursor,
                               prefix="FEEDBACK#", descending=True, keep=lambda i: i.get("ttl", now + 1) > now)

    def appeal(self, tenant_id: str, appeal_id: str) -> Item | None:
        return self.table.get(keys.appeal_item(tenant_id, appeal_id))

    def pending_decisions(self, tenant_id: str) -> list[Item]:
        return [c for c in self.table.query(keys.cases_index(tenant_id, "DECIDED"), index="GSI1")
                if c.get("effects_status") == "PENDING"]

    def open_review_case_id(self, tenant_id: str, object_type: str, object_id: str) -> str | None:
        found = self.table.get(keys.open_review_item(tenant_id, object_type, object_id))
        return found["case_id"] if found else None

    def clearance(self, tenant_id: str, object_type: str, object_id: str, check: str,
                  fingerprint: str) -> Item | None:
        return self.table.get(keys.clearance_item(tenant_id, object_type, object_id, check, fingerprint))

    def reports_by_id(self, tenant_id: str, report_ids: list[str]) -> dict[str, Item]:
        found = (self.table.get(keys.report_item(tenant_id, i)) for i in dict.fromkeys(report_ids))
        return {r["report_id"]: r for r in found if r is not None}

    def appeals_page(self, tenant_id: str, status: str, limit: int,
                     cursor: str | None) -> tuple[list[Item], str | None]:
        return self.table.page(keys.appeals_index(tenant_id, status), limit=limit, cursor=cursor, index="GSI1")

    # -- writes, as transaction items ------------------------------------------------------
    def new_case_ops(self, tenant_id: str, case: Item) -> list[Change]:
        held = pointer(tenant_id, case)
        case_key = keys.case_item(tenant_id, case["case_id"])
        stored = {**case_key, **case, "GSI1PK": keys.cases_index(tenant_id, "OPEN"),
                  "GSI1SK": keys.deadline_sort_key(case["due_at"], case["case_id"])}
        return [*([Change(held, lambda _: {**held, "case_id": case["case_id"]}, absent)] if held else []),
                Change(case_key, lambda _: stored, absent)]

    def join_review_ops(self, tenant_id: str, case_id: str, slot: str, evidence: Item,
                        due: tuple[str, str] | None) -> list[Change]:
        key = keys.case_item(tenant_id, case_id)

        def joined(item: Item | None) -> Item:
            found = added(item, key, checks=1)
            found["evidence"] = {**found.get("evidence", {}), slot: evidence}
            if due:
                found.update(due_at=due[0], deadline_rule=due[1], GSI1SK=keys.deadline_sort_key(due[0], case_id))
            return found
        return [Change(key, joined, lambda item: _has(status="OPEN")(item) and (
            due is None or str(item.get("due_at", "")) > due[0]))]  # type: ignore[union-attr]

    @staticmethod
    def clearance_ops(tenant_id: str, case: Item, at: str) -> list[Change]:
        ops = []
        for e in case.get("evidence", {}).values():
            key = keys.clearance_item(tenant_id, case["target_type"], case["target_id"], e["kind"], e["fingerprint"])
            ops.append(Change(key, put({**key, "signature": e["signature"], "case_id": case["case_id"],
                                         "approved_at": at, "version": e.get("version")})))
        return ops

    def join_case_ops(self, tenant_id: str, case_id: str, report: Item, earlier: bool) -> list[Change]:
        key = keys.case_item(tenant_id, case_id)

        def joined(item: Item | None) -> Item:
            found = added(item, key, reports=1)
            categories = dict(found.get("categories", {}))
            categories[report["category"]] = int(categories.get(report["category"], 0)) + 1
            found["categories"] = categories
            if earlier:
                found.update(due_at=report["own_due_at"], category=report["category"],
                             GSI1SK=keys.deadline_sort_key(report["own_due_at"], case_id))
            if report["priority"] == "NORMAL":
                found["priority"] = "NORMAL"
            return found
        return [Change(key, joined, lambda item: _has(status="OPEN")(item) and (
            not earlier or str(item.get("due_at", "")) > report["own_due_at"]))]  # type: ignore[union-attr]

    def report_ops(self, tenant_id: str, report: Item) -> list[Change]:
        key = keys.report_item(tenant_id, report["report_id"])
        link = keys.case_report_item(tenant_id, report["case_id"], report["report_id"])
        summary = {k: report[k] for k in ("report_id", "reporter_key", "priority", "category", "received_at")}
        return [Change(key, lambda _: {**key, **report}, absent), Change(link, lambda _: {**link, **summary})]

    def take_intake_slot(self, tenant_id: str, reporter_key: str, window_start: int, window: int, limit: int) -> None:
        key = keys.reporter_window_item(tenant_id, reporter_key, window_start)
        if not self.table.write(Change(key, lambda item: {**added(item, key, reports=1),
                                                          "ttl": window_start + 2 * window},
                                       lambda item: item is None or "reports" not in item
                                       or int(item["reports"]) < limit)):
            raise _refused("UpdateItem")

    def mark_feedback_seen(self, tenant_id: str, report_id: str, at: str) -> None:
        key = keys.report_item(tenant_id, report_id)
        self.table.write(Change(key, lambda item: {"feedback_seen_at": at, **(item or key)}))

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
        return [Change(key, _set(key, status="DECIDED", decision=decision, effects_status="PENDING",
                                 GSI1PK=keys.cases_index(tenant_id, "DECIDED")), _has(**seen)),
                *([Change(held, lambda _: None, _has(case_id=case["case_id"]))] if held else []),
                Change(row, lambda _: recorded)]

    def effects_complete_ops(self, tenant_id: str, case_id: str, summary: Item, delivery: Item) -> list[Change]:
        key = keys.case_item(tenant_id, case_id)
        return [Change(key, _set(key, effects_status="COMPLETE", feedback=summary, webhook=delivery),
                       _has(effects_status="PENDING"))]

    # -- reporters --------------------------------------------------------------------------
    def feedback_ops(self, tenant_id: str, links: list[Item], feedback: Item, founded: bool) -> list[Change]:
        at = feedback["decided_at"]
        ops: list[Change] = []
        counts: dict[str, int] = {}
        for link in links:
            key = keys.report_item(tenant_id, link["report_id"])
            ops.append(Change(key, _set(key, feedback=feedback, feedback_at=at),
                              lambda item: item is None or "feedback_at" not in item))
            if not link["reporter_key"].startswith("anon-"):
                row = keys.reporter_feedback_item(tenant_id, link["reporter_key"], at, link["report_id"])
                ops.append(Change(row, put({**row, "kind": "FEEDBACK", "report_id": link["report_id"], **feedback})))
                counts[link["reporter_key"]] = counts.get(link["reporter_key"], 0) + 1
        for rkey, count in counts.items():
            stats = keys.reporter_stats_item(tenant_id, rkey)
            ops.append(Change(stats, _adding(stats, decided=count, unfounded=0 if founded else count)))
        return ops

    def escalation_ops(self, tenant_id: str, rkey: str, seen_decided: int, changes: Item,
                       notice: Item) -> list[Change]:
        stats = keys.reporter_stats_item(tenant_id, rkey)
        row = keys.reporter_feedback_item(tenant_id, rkey, notice["decided_at"], notice["kind"])
        counted = {"restrictions": 1} if "restricted_until" in changes else {}
        return [Change(stats, lambda item: {**added(item, stats, **counted), **changes},
                       _has(decided=seen_decided)),
                Change(row, lambda _: {k: v for k, v in {**row, **notice}.items() if v is not None})]

    # -- appeals ----------------------------------------------------------------------------
    def appeal_filing_ops(self, tenant_id: str, appeal: Item) -> list[Change]:
        appeal_id, case_key = appeal["appeal_id"], keys.case_item(tenant_id, appeal["case_id"])
        key = keys.appeal_item(tenant_id, appeal_id)
        stored = {**key, **appeal, "GSI1PK": keys.appeals_index(tenant_id, "PENDING"),
                  "GSI1SK": keys.deadline_sort_key(appeal["due_at"], appeal_id)}
        return [Change(case_key, lambda item: {**(item or case_key), "pending_appeal": appeal_id,
                                               "appeals": [*(item or {}).get("appeals", []), appeal_id]},
                       lambda item: _has(status="DECIDED")(item) and "pending_appeal" not in item),  # type: ignore
                Change(key, lambda _: stored, absent)]

    def appeal_decision_ops(self, tenant_id: str, appeal: Item, outcome: str, statement: str, at: str,
                            reversed_ids: list[str], actor: str | None = None) -> list[Change]:
        appeal_id = appeal["appeal_id"]
        key, case_key = keys.appeal_item(tenant_id, appeal_id), keys.case_item(tenant_id, appeal["case_id"])
        decided = {"status": outcome, "statement_decision": statement, "decided_at": at, "reversed": reversed_ids,
                   "GSI1PK": keys.appeals_index(tenant_id, "DECIDED"), **({"decided_by": actor} if actor else {})}
        return [Change(key, _set(key, **decided), _has(status="PENDING")),
                Change(case_key, lambda item: {k: v for k, v in (item or case_key).items() if k != "pending_appeal"},
                       _has(pending_appeal=appeal_id))]

    def set_appeal_notice(self, tenant_id: str, appeal_id: str, notice: Item) -> None:
        key = keys.appeal_item(tenant_id, appeal_id)
        self.table.write(Change(key, _set(key, notice=notice)))

    # -- webhook outbox ---------------------------------------------------------------------
    def queue_delivery(self, tenant_id: str, at: str, delivery_id: str, body: Item, error: str | None, *,
                       next_attempt_at: str, deadline_at: str) -> str:
        key = keys.outbox_item(tenant_id, at, delivery_id)
        self.table.put({**key, "body": body, "attempts": 1, "last_error": error, "next_attempt_at": next_attempt_at,
                        "deadline_at": deadline_at})
        return key["SK"]

    def queued_deliveries(self, tenant_id: str) -> list[Item]:
        return self.table.query(keys.outbox_pk(tenant_id))

    def queued_delivery(self, tenant_id: str, sort_key: str) -> Item | None:
        return self.table.get({"PK": keys.outbox_pk(tenant_id), "SK": sort_key})

    def delivered(self, item: Item) -> None:
        self.table.transact([Change({"PK": item["PK"], "SK": item["SK"]}, lambda _: None)])

    def delivery_failed(self, item: Item, error: str | None, next_attempt_at: str) -> None:
        key = {"PK": item["PK"], "SK": item["SK"]}
        self.table.write(Change(key, lambda found: {**added(found, key, attempts=1), "last_error": error,
                                                     "next_attempt_at": next_attempt_at},
                                _has(attempts=item["attempts"])))

    def delivery_abandoned(self, item: Item, now: str) -> None:
        key = {"PK": item["PK"], "SK": item["SK"]}
        self.table.write(Change(key, _set(key, status="ABANDONED", abandoned_at=now)))
