"""Fabricated counters (PA2020-12) on the in-memory stores: the sweep flags a bought burst with its
explanation, leaves organic growth alone, and evaluates each reading once. No AWS, milliseconds."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import numpy as np

from chalicelib.core import clock
from chalicelib.metrics import service as metrics

START = datetime(2026, 10, 1, tzinfo=timezone.utc)


def readings(account_id: str, days: int, burst_at: int | None) -> list[dict]:
    """Hourly follower counts with an evening peak (Beijing time); `burst_at`: 5,000 bought in that hour."""
    rng = np.random.default_rng(7)
    total, points = 10_000, []
    for hour in range(days * 24):
        total += int(rng.poisson(40 + 60 * np.exp(-(((hour + 8) % 24 - 21) ** 2) / 18)))
        total += 5_000 if hour == burst_at else 0
        points.append({"account_id": account_id, "metric": "FOLLOWERS", "value": total,
                       "at": clock.iso(START + timedelta(hours=hour))})
    return points


def test_a_bought_burst_is_flagged_once_with_its_explanation_and_organic_growth_is_not(fakes):
    burst = 24 * 20 + 3
    clock.set_source((START + timedelta(days=26)).timestamp)
    # GIVEN 25 days of readings of two accounts, one with a bought burst, the same reading sent twice
    answer = metrics.ingest("acme", readings("acct-bought", 25, burst) + readings("acct-organic", 25, None)
                            + readings("acct-organic", 1, None))
    assert (answer["received"], answer["failed"]) == (1224, [])
    # WHEN the sweep runs, twice
    assert (metrics.evaluate("acme"), metrics.evaluate("acme")) == (1, 0)
    # THEN the burst's hour is flagged with what was seen against what is usual, and nothing else is
    (flag,) = metrics.flags("acme", "acct-bought", 10, None)["items"]
    assert flag["at"] == clock.iso(START + timedelta(hours=burst)) and flag["article"] == "PA2020-12"
    assert flag["observed_per_hour"] > flag["expected_range"][1] and "per hour" in flag["reason"]
    assert metrics.flags("acme", "acct-organic", 10, None)["items"] == []
    assert metrics.latest("acme", "acct-organic", "FOLLOWERS") == readings("acct-organic", 25, None)[-1]["value"]
