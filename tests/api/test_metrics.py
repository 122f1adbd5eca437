"""Fabricated counters (PA2020-12): readings in, the hourly sweep flags a bought burst, explained."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import numpy as np


def readings(account_id: str, days: int, burst_at: int | None) -> list[dict]:
    rng = np.random.default_rng(7)
    start = datetime(2026, 10, 1, tzinfo=timezone.utc)
    total, points = 10_000, []
    for hour in range(days * 24):
        local = (hour + 8) % 24
        total += int(rng.poisson(40 + 60 * np.exp(-((local - 21) ** 2) / 18)))
        if hour == burst_at:
            total += 5_000
        points.append({"account_id": account_id, "metric": "FOLLOWERS", "value": total,
                       "at": (start + timedelta(hours=hour)).strftime("%Y-%m-%dT%H:%M:%SZ")})
    return points


def ingest(api, key, points):
    for start in range(0, len(points), 500):
        answer = api.call("POST", "/v1/metrics", key=key, body={"points": points[start:start + 500]})
        assert answer.status_code == 200 and answer.json["stored"] == len(points[start:start + 500]), answer.json


def sweep() -> dict:
    from chalicelib import jobs

    return jobs.run_now("evaluate-metrics")


def test_a_bought_burst_is_flagged_with_its_explanation_and_organic_growth_is_not(api, tenant):
    burst = 24 * 20 + 3
    ingest(api, tenant.key, readings("acct-bought", 25, burst) + readings("acct-organic", 25, None))
    assert sweep() == {"flagged": 1}
    (flag,) = api.call("GET", "/v1/accounts/acct-bought/metric-flags", key=tenant.key).json["items"]
    assert flag["at"] == (datetime(2026, 10, 1, tzinfo=timezone.utc) + timedelta(hours=burst)).strftime(
        "%Y-%m-%dT%H:%M:%SZ")
    assert flag["observed_per_hour"] > flag["expected_range"][1] and flag["article"] == "PA2020-12"
    assert flag["metric"] == "FOLLOWERS" and "per hour" in flag["reason"]
    assert api.call("GET", "/v1/accounts/acct-organic/metric-flags", key=tenant.key).json["items"] == []
    assert sweep() == {"flagged": 0}  # nothing new since


def test_a_bad_batch_is_refused_whole(api, tenant):
    bad = {"points": [{"account_id": "a", "metric": "LIKES", "at": "2026-11-01T00:00:00Z", "value": 1}]}
    assert api.call("POST", "/v1/metrics", key=tenant.key, body=bad).status_code == 400


def test_the_same_reading_twice_in_a_batch_is_stored_once(api, tenant):
    point = {"account_id": "a", "metric": "READS", "at": "2026-11-01T00:00:00Z", "value": 5}
    answer = api.call("POST", "/v1/metrics", key=tenant.key, body={"points": [point] * 30})
    assert answer.status_code == 200 and answer.json["failed"] == []
