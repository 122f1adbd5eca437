"""Account counters over time and the detection of fabricated numbers (PA2020-12).

Readings (subscribers, followers, reads, forwards, comments) are kept in the records table for the
log retention. Ingestion marks each series it touched; the hourly sweep reads those series back
over the trailing window, runs the detector on the new readings only, and keeps every flag with
its explanation. Flags are keyed by reading, so a sweep that runs twice writes the same flags.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from chalicelib.core import clock, keys, policy
from chalicelib.metrics import store as storage


def series_pk(tenant_id: str, account_id: str, metric: str) -> str:
    return keys.metric_series_pk(tenant_id, account_id, metric)


def latest(tenant_id: str, account_id: str, metric: str) -> int | None:
    """The newest reading of one of an account's metrics, or None."""
    return storage.store().latest(tenant_id, account_id, metric)


def ingest(tenant_id: str, points: list[dict[str, Any]]) -> dict[str, Any]:
    days = policy.setting(tenant_id, "retention", "log_days")
    readings: list[dict[str, Any]] = []
    earliest: dict[tuple[str, str], str] = {}
    for point in points:
        at = clock.parse(point["at"])
        readings.append({"account_id": point["account_id"], "metric": point["metric"], "at": clock.iso(at),
                         "value": point["value"], "ttl": int((at + timedelta(days=days)).timestamp())})
        series = (point["account_id"], point["metric"])
        earliest[series] = min(earliest.get(series, "9"), clock.iso(at))
    store = storage.store()
    unwritten = set(store.put_readings(tenant_id, readings))
    for (account_id, metric), since in earliest.items():
        store.mark_touched(tenant_id, account_id, metric, since)  # the sweep evaluates from the earliest new reading
    return {"received": len(points), "stored": len(readings) - len(unwritten),
            "failed": [{"index": n, "code": "STORE_THROTTLED"} for n in sorted(unwritten)]}


def evaluate(tenant_id: str) -> int:
    """The sweep: run the detector over every series with new readings; the number of flags raised."""
    import numpy as np

    from chalicelib.metrics.detector import detect

    rules = policy.current(tenant_id).effective["metrics"]
    days = policy.setting(tenant_id, "retention", "log_days")
    store, raised = storage.store(), 0
    for marker in store.touched(tenant_id):
        start = clock.iso(clock.parse(marker["since"]) - timedelta(days=rules["window_days"] + 2))
        readings = store.readings_since(tenant_id, marker["account_id"], marker["metric"], start,
                                        int(clock.now_epoch()))
        times = np.array([int(clock.parse(r["SK"]).timestamp()) for r in readings], dtype=np.int64)
        values = np.array([float(r["value"]) for r in readings], dtype=np.float64)
        found = detect(times, values, window_days=rules["window_days"], threshold=rules["threshold"],
                       min_change=rules["min_change"], evaluate_from=int(clock.parse(marker["since"]).timestamp()))
        store.put_flags(tenant_id, [{
            "account_id": marker["account_id"], "metric": marker["metric"], "at": clock.iso(clock.parse_epoch(f.at)),
            "observed_per_hour": f.observed, "expected_per_hour": f.expected,
            "expected_range": [f.low, f.high], "deviations": f.deviations, "article": "PA2020-12",
            "reason": f"{f.observed:g} per hour against {f.expected:g} usual at this hour ({f.deviations:+g} robust σ)",
            "ttl": f.at + 86400 * days} for f in found])
        raised += len(found)
        store.evaluated(marker)
    return raised


def flags(tenant_id: str, account_id: str, limit: int, cursor: str | None) -> dict[str, Any]:
    items, next_cursor = storage.store().flags_page(tenant_id, account_id, limit, cursor, int(clock.now_epoch()))
    fields = ("metric", "at", "observed_per_hour", "expected_per_hour", "expected_range", "deviations", "article",
              "reason")
    return {"account_id": account_id, "items": [{k: i[k] for k in fields} for i in items], "next_cursor": next_cursor}
