"""Metric readings, the series each ingestion touched, and the flags the detector raised (PA2020-12;
keys in core/keys.py). Readings and flags live in the records table for the log retention; reads
filter ``ttl`` because DynamoDB deletes late. `store()` is the one seam the use cases reach it
through; `memory_store.MemoryMetricsStore` is its fake, held to it by one contract suite."""

from __future__ import annotations

from typing import Any, Protocol

from botocore.exceptions import ClientError

from chalicelib.core import keys, stores
from chalicelib.core.config import settings
from chalicelib.core.dynamo import Table, error_code


class MetricsStore(Protocol):
    def put_readings(self, tenant_id: str, readings: list[dict[str, Any]]) -> list[int]: ...
    def mark_touched(self, tenant_id: str, account_id: str, metric: str, since: str) -> None: ...
    def touched(self, tenant_id: str) -> list[dict[str, Any]]: ...
    def readings_since(self, tenant_id: str, account_id: str, metric: str, start: str,
                       now: int) -> list[dict[str, Any]]: ...
    def latest(self, tenant_id: str, account_id: str, metric: str) -> int | None: ...
    def put_flags(self, tenant_id: str, flags: list[dict[str, Any]]) -> None: ...
    def evaluated(self, marker: dict[str, Any]) -> bool: ...
    def flags_page(self, tenant_id: str, account_id: str, limit: int, cursor: str | None,
                   now: int) -> tuple[list[dict[str, Any]], str | None]: ...


class DynamoMetricsStore:
    def __init__(self, main: Table, records: Table) -> None:
        self.main, self.records = main, records

    def put_readings(self, tenant_id: str, readings: list[dict[str, Any]]) -> list[int]:
        """Each reading {account_id, metric, at, value, ttl}, keyed by its series and time (a repeat rewrites it)."""
        return self.records.batch_put([{**keys.metric_reading_item(tenant_id, r["account_id"], r["metric"], r["at"]),
                                        "value": r["value"], "ttl": r["ttl"]} for r in readings])

    def mark_touched(self, tenant_id: str, account_id: str, metric: str, since: str) -> None:
        """The series has readings from `since` on for the sweep; an earlier mark already there stays."""
        try:
            self.main.update(keys.metric_touched_item(tenant_id, account_id, metric),
                             UpdateExpression="SET since = :at, account_id = :account, metric = :metric",
                             ConditionExpression="attribute_not_exists(since) OR since > :at",
                             values={":at": since, ":account": account_id, ":metric": metric})
        except ClientError as exc:
            if error_code(exc) != "ConditionalCheckFailedException":
                raise

    def touched(self, tenant_id: str) -> list[dict[str, Any]]:
        return list(self.main.query(KeyConditionExpression="PK = :pk",
                                    values={":pk": keys.metrics_touched_pk(tenant_id)}))

    def readings_since(self, tenant_id: str, account_id: str, metric: str, start: str,
                       now: int) -> list[dict[str, Any]]:
        return [r for r in self.records.query(KeyConditionExpression="PK = :pk AND SK >= :start",
                                              values={":pk": keys.metric_series_pk(tenant_id, account_id, metric),
                                                      ":start": start})
                if r.get("ttl", now + 1) > now]

    def latest(self, tenant_id: str, account_id: str, metric: str) -> int | None:
        for item in self.records.query(KeyConditionExpression="PK = :pk", ScanIndexForward=False, Limit=1,
                                       values={":pk": keys.metric_series_pk(tenant_id, account_id, metric)}):
            return int(item["value"])
        return None

    def put_flags(self, tenant_id: str, flags: list[dict[str, Any]]) -> None:
        self.records.batch_put([{**keys.metric_flag_item(tenant_id, f["account_id"], f["at"], f["metric"]), **f}
                                for f in flags])

    def evaluated(self, marker: dict[str, Any]) -> bool:
        """Drop the series' mark, unless new readings moved it meanwhile (the next sweep takes them)."""
        try:
            self.main.transact([{"Delete": {"Key": {"PK": marker["PK"], "SK": marker["SK"]},
                                            "ConditionExpression": "since = :seen",
                                            "values": {":seen": marker["since"]}}}])
        except ClientError as exc:
            if error_code(exc) != "TransactionCanceledException":
                raise
            return False
        return True

    def flags_page(self, tenant_id: str, account_id: str, limit: int, cursor: str | None,
                   now: int) -> tuple[list[dict[str, Any]], str | None]:
        partition = keys.metric_flags_pk(tenant_id, account_id)
        return self.records.page(partition=("PK", partition), limit=limit, cursor=cursor, ScanIndexForward=False,
                                 KeyConditionExpression="PK = :pk", FilterExpression="#ttl > :now",
                                 ExpressionAttributeNames={"#ttl": "ttl"}, values={":pk": partition, ":now": now})


def store() -> DynamoMetricsStore:
    """The DynamoDB store of a running API (typed as such, so a walk of what a use case can raise
    follows it); tests put a fake behind this seam."""
    return DynamoMetricsStore(stores.main_table(), Table(settings().records_table))


_CONTRACT: type[MetricsStore] = DynamoMetricsStore  # mypy holds the store to its contract
