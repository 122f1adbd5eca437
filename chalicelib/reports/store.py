"""Reports, cases, reporters and appeals in DynamoDB (keys in core/keys.py).

A report and the case it joins are written in one transaction: a new case together with its
OPENCASE item (conditional on there being none, so a target has one open case), or an update of
the open case that adds to its counters and only ever lowers its deadline. Reads of records
kept for a period filter `ttl` (DynamoDB deletes late).
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from chalicelib.core import audit_trail, clock, keys, stores
from chalicelib.core.audit_chain import Event
from chalicelib.core.dynamo import Table, error_code
from chalicelib.dispositions.reasons import CaseSource


def pointer(tenant_id: str, case: dict[str, Any]) -> dict[str, str] | None:
    """The item that makes a case the one open case of its target: reports share OPENCASE, checks OPENREVIEW;
    a moderator's or an authority's case holds none (each is its own). Stored cases without a source are reports."""
    source = case.get("source", CaseSource.REPORT.value)
    if source == CaseSource.REPORT.value:
        return keys.open_case_item(tenant_id, case["target_type"], case["target_id"])
    if source == CaseSource.CHECK.value:
        return keys.open_review_item(tenant_id, case["target_type"], case["target_id"])
    return None


class ReportsStore:
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

    # -- reads -----------------------------------------------------------------------------
    def report(self, tenant_id: str, report_id: str) -> dict[str, Any] | None:
        return self.table.get(keys.report_item(tenant_id, report_id), consistent=True)

    def case(self, tenant_id: str, case_id: str) -> dict[str, Any] | None:
        return self.table.get(keys.case_item(tenant_id, case_id), consistent=True)

    def open_case_id(self, tenant_id: str, target_type: str, target_id: str) -> str | None:
        pointer = self.table.get(keys.open_case_item(tenant_id, target_type, target_id), consistent=True)
        return pointer["case_id"] if pointer else None

    def reporter(self, tenant_id: str, reporter_key: str) -> dict[str, Any] | None:
        return self.table.get(keys.reporter_stats_item(tenant_id, reporter_key), consistent=True)

    def case_reports(self, tenant_id: str, case_id: str, limit: int | None = None,
                     cursor: str | None = None) -> tuple[list[dict[str, Any]], str | None]:
        """The reports on a case (one page, or all of them when `limit` is None)."""
        partition = keys.case_pk(tenant_id, case_id)
        query: dict[str, Any] = {"KeyConditionExpression": "PK = :pk AND begins_with(SK, :report)",
                 "values": {":pk": partition, ":report": "REPORT#"}}
        if limit is None:
            return list(self.table.query(**query)), None
        return self.table.page(partition=("PK", partition), limit=limit, cursor=cursor, **query)

    def cases_page(self, tenant_id: str, status: str, due_before: str | None, category: str | None, limit: int,
                   cursor: str | None, source: str | None = None) -> tuple[list[dict[str, Any]], str | None]:
        partition = keys.cases_index(tenant_id, status)
        condition, values = "GSI1PK = :pk", {":pk": partition}
        if due_before:
            condition += " AND GSI1SK < :before"
            values[":before"] = due_before
        filters, names = [], {}
        if category:  # a report of the category on the case, or a case (of any source) filed under it
            filters.append("(attribute_exists(categories.#category) OR category = :category)")
            names["#category"], values[":category"] = category, category
        if source:  # a case stored before cases had a source came from reports
            filters.append("(#source = :source" + (" OR attribute_not_exists(#source))"
                                                    if source == CaseSource.REPORT.value else ")"))
            names["#source"], values[":source"] = "source", source
        extra: dict[str, Any] = {}
        if filters:
            extra = {"FilterExpression": " AND ".join(filters), "ExpressionAttributeNames": names}
        return self.table.page(index="GSI1", partition=("GSI1PK", partition), limit=limit, cursor=cursor,
                               KeyConditionExpression=condition, values=values, **extra)

    def open_cases(self, tenant_id: str, due_before: str | None = None) -> list[dict[str, Any]]:
        partition = keys.cases_index(tenant_id, "OPEN")
        condition, values = "GSI1PK = :pk", {":pk": partition}
        if due_before:
            condition += " AND GSI1SK < :before"
            values[":before"] = due_before
        return list(self.table.query(index="GSI1", KeyConditionExpression=condition, values=values))

    def decisions(self, tenant_id: str, start: str, end: str) -> list[dict[str, Any]]:
        return list(self.table.query(KeyConditionExpression="PK = :pk AND SK BETWEEN :from AND :to",
                                     values={":pk": keys.decisions_pk(tenant_id), ":from": start, ":to": end + "~"}))

    def feedback_page(self, tenant_id: str, reporter_key: str, limit: int,
                      cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
        partition = keys.reporter_pk(tenant_id, reporter_key)
        items, next_cursor = self.table.page(
            partition=("PK", partition), limit=limit, cursor=cursor, ScanIndexForward=False,
            KeyConditionExpression="PK = :pk AND begins_with(SK, :feedback)",
            values={":pk": partition, ":feedback": "FEEDBACK#"})
        now = clock.now_epoch()
        return [i for i in items if i.get("ttl", now + 1) > now], next_cursor

    def appeal(self, tenant_id: str, appeal_id: str) -> dict[str, Any] | None:
        return self.table.get(keys.appeal_item(tenant_id, appeal_id), consistent=True)

    def pending_decisions(self, tenant_id: str) -> list[dict[str, Any]]:
        """Decided cases whose effects (dispositions, feedback) have not all been applied yet."""
        partition = keys.cases_index(tenant_id, "DECIDED")
        return list(self.table.query(index="GSI1", KeyConditionExpression="GSI1PK = :pk",
                                     FilterExpression="effects_status = :pending",
                                     values={":pk": partition, ":pending": "PENDING"}))

    # -- writes (operations for audit_trail.commit) -----------------------------------------
    def new_case_ops(self, tenant_id: str, case: dict[str, Any]) -> list[dict[str, Any]]:
        """The case, and the pointer that makes it its target's one open case (conditional: none open)."""
        held = pointer(tenant_id, case)
        return [
            *([{"Put": {"Item": {**held, "case_id": case["case_id"]},
                        "ConditionExpression": "attribute_not_exists(PK)"}}] if held else []),
            {"Put": {"Item": {**keys.case_item(tenant_id, case["case_id"]), **case,
                              "GSI1PK": keys.cases_index(tenant_id, "OPEN"),
                              "GSI1SK": keys.deadline_sort_key(case["due_at"], case["case_id"])},
                     "ConditionExpression": "attribute_not_exists(PK)"}},
        ]

    # -- cases a check opens (reports.reviews) ------------------------------------------------
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

    def join_case_ops(self, tenant_id: str, case_id: str, report: dict[str, Any],
                      earlier: bool) -> list[dict[str, Any]]:
        """Count the report on the open case without a read-modify-write race: counters are added, and the
        deadline is only ever lowered (conditional on it still being later), so joiners rarely collide."""
        sets = ["categories.#category = if_not_exists(categories.#category, :zero) + :one"]
        condition = "#status = :open"
        values: dict[str, Any] = {":one": 1, ":zero": 0, ":open": "OPEN"}
        if earlier:
            sets += ["due_at = :due", "category = :category_name", "GSI1SK = :sk"]
            condition += " AND due_at > :due"
            values.update({":due": report["own_due_at"], ":category_name": report["category"],
                           ":sk": keys.deadline_sort_key(report["own_due_at"], case_id)})
        if report["priority"] == "NORMAL":
            sets.append("priority = :normal")
            values[":normal"] = "NORMAL"
        return [{"Update": {"Key": keys.case_item(tenant_id, case_id),
                            "UpdateExpression": "SET " + ", ".join(sets) + " ADD reports :one",
                            "ConditionExpression": condition,
                            "ExpressionAttributeNames": {"#status": "status", "#category": report["category"]},
                            "values": values}}]

    def report_ops(self, tenant_id: str, report: dict[str, Any]) -> list[dict[str, Any]]:
        return [
            {"Put": {"Item": {**keys.report_item(tenant_id, report["report_id"]), **report},
                     "ConditionExpression": "attribute_not_exists(PK)"}},
            {"Put": {"Item": {**keys.case_report_item(tenant_id, report["case_id"], report["report_id"]),
                              "report_id": report["report_id"], "reporter_key": report["reporter_key"],
                              "priority": report["priority"], "category": report["category"],
                              "received_at": report["received_at"]}}},
        ]

    def take_intake_slot(self, tenant_id: str, reporter_key: str, window_start: int, window: int, limit: int) -> None:
        """Count one report in the reporter's window, refusing (ConditionalCheckFailed) at the limit."""
        self.table.update(keys.reporter_window_item(tenant_id, reporter_key, window_start),
                          UpdateExpression="ADD reports :one SET #ttl = :ttl",
                          ConditionExpression="attribute_not_exists(reports) OR reports < :limit",
                          ExpressionAttributeNames={"#ttl": "ttl"},
                          values={":one": 1, ":limit": limit, ":ttl": window_start + 2 * window})

    def mark_feedback_seen(self, tenant_id: str, report_id: str, at: str) -> None:
        """PA2020-20: proof the reporter was shown the outcome, recorded the first time only."""
        self.table.update(keys.report_item(tenant_id, report_id),
                          UpdateExpression="SET feedback_seen_at = if_not_exists(feedback_seen_at, :at)",
                          values={":at": at})

    # -- cases: deciding and sweeping ----------------------------------------------------------
    def reports_by_id(self, tenant_id: str, report_ids: list[str]) -> dict[str, dict[str, Any]]:
        if not report_ids:
            return {}
        return {r["report_id"]: r for r in self.table.batch_get([keys.report_item(tenant_id, i) for i in report_ids])}

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

    # -- reporters --------------------------------------------------------------------------
    def feedback_ops(self, tenant_id: str, links: list[dict[str, Any]], feedback: dict[str, Any],
                     founded: bool) -> list[dict[str, Any]]:
        """Each report's feedback once (conditional), its reporter's feedback record, and the reporters'
        decided/unfounded counters (PA2017-15 screening)."""
        at = feedback["decided_at"]
        ops: list[dict[str, Any]] = []
        counts: dict[str, int] = {}
        for link in links:
            ops.append({"Update": {"Key": keys.report_item(tenant_id, link["report_id"]),
                                   "UpdateExpression": "SET feedback = :feedback, feedback_at = :at",
                                   "ConditionExpression": "attribute_not_exists(feedback_at)",
                                   "values": {":feedback": feedback, ":at": at}}})
            if not link["reporter_key"].startswith("anon-"):
                ops.append({"Put": {"Item": {**keys.reporter_feedback_item(tenant_id, link["reporter_key"], at,
                                                                           link["report_id"]),
                                             "kind": "FEEDBACK", "report_id": link["report_id"], **feedback}}})
                counts[link["reporter_key"]] = counts.get(link["reporter_key"], 0) + 1
        for rkey, count in counts.items():
            ops.append({"Update": {"Key": keys.reporter_stats_item(tenant_id, rkey),
                                   "UpdateExpression": "ADD decided :n, unfounded :u",
                                   "values": {":n": count, ":u": 0 if founded else count}}})
        return ops

    def escalation_ops(self, tenant_id: str, rkey: str, seen_decided: int, changes: dict[str, Any],
                       notice: dict[str, Any]) -> list[dict[str, Any]]:
        """Warn or restrict a reporter, conditional on the count it was judged on, with its notice.
        `changes` sets warned_at, or restricted_until (and counts one more restriction)."""
        sets = [f"{name} = :{name}" for name in sorted(changes)]
        expression = "SET " + ", ".join(sets) + (" ADD restrictions :one" if "restricted_until" in changes else "")
        values = {**{f":{name}": value for name, value in changes.items()}, ":decided": seen_decided}
        if "restricted_until" in changes:
            values[":one"] = 1
        item = {**keys.reporter_feedback_item(tenant_id, rkey, notice["decided_at"], notice["kind"]), **notice}
        return [{"Update": {"Key": keys.reporter_stats_item(tenant_id, rkey), "UpdateExpression": expression,
                            "ConditionExpression": "decided = :decided", "values": values}},
                {"Put": {"Item": {k: v for k, v in item.items() if v is not None}}}]

    # -- appeals ----------------------------------------------------------------------------
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

    # -- webhook outbox (PA2020-20 feedback, RL2020-11 appeal outcomes) -----------------------
    def queue_delivery(self, tenant_id: str, at: str, delivery_id: str, body: dict[str, Any],
                       error: str | None, *, next_attempt_at: str, deadline_at: str) -> str:
        """Keep a failed delivery; its outbox sort key (what its queued attempts name)."""
        key = keys.outbox_item(tenant_id, at, delivery_id)
        self.table.put({**key, "body": body, "attempts": 1, "last_error": error, "next_attempt_at": next_attempt_at,
                        "deadline_at": deadline_at})
        return key["SK"]

    def queued_deliveries(self, tenant_id: str) -> list[dict[str, Any]]:
        return list(self.table.query(KeyConditionExpression="PK = :pk", values={":pk": keys.outbox_pk(tenant_id)}))

    def queued_delivery(self, tenant_id: str, sort_key: str) -> dict[str, Any] | None:
        return self.table.get({"PK": keys.outbox_pk(tenant_id), "SK": sort_key}, consistent=True)

    def delivered(self, item: dict[str, Any]) -> None:
        self.table.transact([{"Delete": {"Key": {"PK": item["PK"], "SK": item["SK"]}}}])

    def delivery_failed(self, item: dict[str, Any], error: str | None, next_attempt_at: str) -> None:
        """One more failed attempt, counted once even when two copies of its message ran it."""
        try:
            self.table.update({"PK": item["PK"], "SK": item["SK"]},
                              UpdateExpression="ADD attempts :one SET last_error = :error, next_attempt_at = :next",
                              ConditionExpression="attempts = :seen",
                              values={":one": 1, ":error": error, ":next": next_attempt_at,
                                      ":seen": item["attempts"]})
        except ClientError as exc:
            if error_code(exc) != "ConditionalCheckFailedException":
                raise

    def delivery_abandoned(self, item: dict[str, Any], now: str) -> None:
        self.table.update({"PK": item["PK"], "SK": item["SK"]}, UpdateExpression="SET #status = :abandoned, "
                          "abandoned_at = :now", ExpressionAttributeNames={"#status": "status"},
                          values={":abandoned": "ABANDONED", ":now": now})


def store() -> ReportsStore:
    """The DynamoDB store of a running API (typed as such, so a walk of what a use case can raise follows
    it); tests put `memory_store.MemoryReportsStore` behind this seam."""
    return ReportsStore(stores.main_table())
