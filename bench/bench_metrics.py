"""Fabricated-metric detector: synthetic organic follower growth (daily rhythm, Poisson noise, a
gradual trend) with injected bursts; detection ≥ 95 %, false flags ≤ 1 % of readings, 1M readings
evaluated in ≤ 2 s."""

from __future__ import annotations

import time

import numpy as np

from bench.harness import Row

SERIES = 700
DAYS = 60
BURSTS = 3


def measure() -> list[Row]:
    from chalicelib.metrics.detector import detect

    rng = np.random.default_rng(1)
    start = 1_780_000_000 // 3600 * 3600
    found = missed = false = readings = 0
    elapsed = 0.0
    for _ in range(SERIES):
        times = start + np.arange(DAYS * 24, dtype=np.int64) * 3600
        hour = ((times // 3600) + 8) % 24
        base = rng.uniform(5, 200)
        rhythm = base * (0.3 + np.exp(-((hour - 21) ** 2) / 18) + 0.5 * np.exp(-((hour - 12) ** 2) / 8))
        increments = rng.poisson(rhythm * np.linspace(1, rng.uniform(1, 2), len(times)))
        injected = rng.choice(np.arange(15 * 24, len(times)), BURSTS, replace=False)
        increments[injected] += (rng.uniform(5, 50, BURSTS) * base).astype(np.int64)  # bought followers
        values = np.cumsum(increments).astype(np.float64)
        began = time.perf_counter()
        flagged = {f.at for f in detect(times, values, window_days=14, threshold=6.0, min_change=20.0)}
        elapsed += time.perf_counter() - began
        bursts = set(times[injected].tolist())
        found, missed = found + len(flagged & bursts), missed + len(bursts - flagged)
        false += len(flagged - bursts)
        readings += len(times)
    detection, false_rate = found / (found + missed), false / readings
    per_million = elapsed / readings * 1e6
    return [
        Row("metric detector: injected bursts detected", detection * 100, None, "%", "≥ 95 %", detection >= 0.95,
            f"{found + missed} bursts in {SERIES} series of {DAYS} days, hourly"),
        Row("metric detector: false flags per reading", false_rate * 100, None, "%", "≤ 1 %", false_rate <= 0.01,
            f"{false} of {readings:,} readings"),
        Row("metric detector: time per 1M readings", per_million, None, "s", "≤ 2 s", per_million <= 2),
    ]
