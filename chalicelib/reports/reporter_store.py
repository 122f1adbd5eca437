"""Reporters in DynamoDB (part of `store.ReportsStore`): their feedback records (PA2020-20) and the
counters their screening reads (PA2017-15). Reads of records kept for a period filter `ttl`
(DynamoDB deletes late).
"""

from __future__ import annotations

from typing import Any

from chalicelib.core import clock, keys
from chalicelib.core.dynamo import Table


class ReporterStore:
    """A reporter's counters, feedback and notices."""

    table: Table

    def reporter(self, tenant_id: str, reporter_key: str) -> dict[str, Any] | None:
        return self.table.get(keys.reporter_stats_item(tenant_id, reporter_key), consistent=True)

    def feedback_page(self, tenant_id: str, reporter_key: str, limit: int,
                      cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
        partition = keys.reporter_pk(tenant_id, reporter_key)
        items, next_cursor = self.table.page(
            partition=("PK", partition), limit=limit, cursor=cursor, ScanIndexForward=False,
            KeyConditionExpression="PK = :pk AND begins_with(SK, :feedback)",
            values={":pk": partition, ":feedback": "FEEDBACK#"})
        now = clock.now_epoch()
        return [i for i in items if i.get("ttl", now + 1) > now], next_cursor

    def mark_feedback_seen(self, tenant_id: str, report_id: str, at: str) -> None:
        """PA2020-20: proof the reporter was shown the outcome, recorded the first time only."""
        self.table.update(keys.report_item(tenant_id, report_id),
                          UpdateExpression="SET feedback_seen_at = if_not_exists(feedback_seen_at, :at)",
                          values={":at": at})

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
