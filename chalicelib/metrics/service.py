"""Account counters over time and the detection of fabricated numbers (PA2020-12).

Readings (subscribers, followers, reads, forwards, comments) are kept in the records table for the
log retention. Ingestion marks each series it touched; the hourly sweep reads those series back
over the trailing window, runs the detector on the new readings only, and keeps every flag with
its explanation. Flags are keyed by reading, so a sweep that runs twice writes the same flags.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.core import clock, keys, policy, stores
from chalicelib.core.config import settings
from chalicelib.core.dynamo import Table, error_code

METRICS = ("SUBSCRIBERS", "FOLLOWERS", "READS", "FORWARDS", "COMMENTS")


def _records() -> Table:
    return Table(settings().records_table)


def series_pk(tenant_id: str, account_id: str, metric: str) -> str:
    return keys.tenant_pk(tenant_id, f"METRIC#{account_id}#{metric}")


def flags_pk(tenant_id: str, account_id: str) -> str:
    return keys.tenant_pk(tenant_id, f"METRICFLAG#{account_id}")


def dirty_pk(tenant_id: str) -> str:
    return keys.tenant_pk(tenant_id, "METRICS_DIRTY")


def ingest(tenant_id: str, points: list[dict[str, Any]]) -> dict[str, Any]:
    days = policy.setting(tenant_id, "retention", "log_days")
    items, earliest = [], {}
    for point in points:
        at = clock.parse(point["at"])
        items.append({"PK": series_pk(tenant_id, point["account_id"], point["metric"]), "SK": clock.iso(at),
                      "value": point["value"], "ttl": int((at + timedelta(days=days)).timestamp())})
        series = (point["account_id"], point["metric"])
        earliest[series] = min(earliest.get(series, "9"), clock.iso(at))
    unwritten = set(_records().batch_put(items))
    for (account_id, metric), since in earliest.items():
        try:  # the sweep evaluates from the earliest new reading of each series
            stores.main_table().update({"PK": dirty_pk(tenant_id), "SK": f"{account_id}#{metric}"},
                                       UpdateExpression="SET since = :at, account_id = :account, metric = :metric",
                                       ConditionExpression="attribute_not_exists(since) OR since > :at",
                                       values={":at": since, ":account": account_id, ":metric": metric})
        except ClientError as exc:
            if error_code(exc) != "ConditionalCheckFailedException":
                raise
    return {"received": len(points), "stored": len(items) - len(unwritten),
            "failed": [{"index": n, "code": "STORE_THROTTLED"} for n in sorted(unwritten)]}


def evaluate(tenant_id: str) -> int:
    """The sweep: run the detector over every series with new readings; the number of flags raised."""
    import numpy as np

    from chalicelib.metrics.detector import detect

    rules = policy.current(tenant_id).effective["metrics"]
    days = policy.setting(tenant_id, "retention", "log_days")
    raised = 0
    for marker in stores.main_table().query(KeyConditionExpression="PK = :pk", values={":pk": dirty_pk(tenant_id)}):
        start = clock.iso(clock.parse(marker["since"]) - timedelta(days=rules["window_days"] + 2))
        now = int(clock.now_epoch())
        readings = [r for r in _records().query(KeyConditionExpression="PK = :pk AND SK >= :start",
                                                values={":pk": series_pk(tenant_id, marker["account_id"],
                                                                         marker["metric"]), ":start": start})
                    if r.get("ttl", now + 1) > now]
        times = np.array([int(clock.parse(r["SK"]).timestamp()) for r in readings], dtype=np.int64)
        values = np.array([float(r["value"]) for r in readings], dtype=np.float64)
        found = detect(times, values, window_days=rules["window_days"], threshold=rules["threshold"],
                       min_change=rules["min_change"], evaluate_from=int(clock.parse(marker["since"]).timestamp()))
        _records().batch_put([{
            "PK": flags_pk(tenant_id, marker["account_id"]), "SK": f"{clock.iso(clock.parse_epoch(f.at))}#{marker['metric']}",
            "account_id": marker["account_id"], "metric": marker["metric"], "at": clock.iso(clock.parse_epoch(f.at)),
            "observed_per_hour": f.observed, "expected_per_hour": f.expected,
            "expected_range": [f.low, f.high], "deviations": f.deviations, "article": "PA2020-12",
            "reason": f"{f.observed:g} per hour against {f.expected:g} usual at this hour ({f.deviations:+g} robust σ)",
            "ttl": f.at + 86400 * days} for f in found])
        raised += len(found)
        try:
            stores.main_table().transact([{"Delete": {"Key": {"PK": marker["PK"], "SK": marker["SK"]},
                                                      "ConditionExpression": "since = :seen",
                                                      "values": {":seen": marker["since"]}}}])
        except ClientError as exc:  # new readings arrived meanwhile: the next sweep takes them
            if error_code(exc) != "TransactionCanceledException":
                raise
    return raised


def flags(tenant_id: str, account_id: str, limit: int, cursor: str | None) -> dict[str, Any]:
    partition = flags_pk(tenant_id, account_id)
    items, next_cursor = _records().page(partition=("PK", partition), limit=limit, cursor=cursor,
                                         ScanIndexForward=False, KeyConditionExpression="PK = :pk",
                                         FilterExpression="#ttl > :now", ExpressionAttributeNames={"#ttl": "ttl"},
                                         values={":pk": partition, ":now": int(clock.now_epoch())})
    fields = ("metric", "at", "observed_per_hour", "expected_per_hour", "expected_range", "deviations", "article",
              "reason")
    return {"account_id": account_id, "items": [{k: i[k] for k in fields} for i in items], "next_cursor": next_cursor}
