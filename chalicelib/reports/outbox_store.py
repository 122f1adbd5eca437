"""The webhook outbox in DynamoDB (part of `store.ReportsStore`): deliveries that failed, kept to be
tried again (PA2020-20 feedback, RL2020-11 appeal outcomes).
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from chalicelib.core import keys
from chalicelib.core.dynamo import Table, error_code


class OutboxStore:
    """Failed deliveries: queued, retried, delivered or abandoned."""

    table: Table

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
