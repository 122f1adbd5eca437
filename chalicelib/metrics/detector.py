"""Fabricated follower, subscriber, read and forward numbers (PA2020-12): irregular changes found with
robust statistics that allow for the daily rhythm of real audiences.

A series of counter readings becomes a rate per hour between readings. Each rate is compared with
the rates at the same hour of day over the trailing window (median, and MAD scaled to a standard
deviation, floored by the Poisson noise of a count, √median, so a short steady history does not
make every wobble an outlier).
A rate further than `threshold` deviations from that median, and by more than `min_change` per
hour, is flagged, with the expected range and the observed value. Bought followers arrive as a
burst at one hour; real growth follows the hour-of-day pattern and does not.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MAD_TO_SIGMA = 1.4826


@dataclass(frozen=True)
class Flag:
    at: int                # epoch seconds of the reading that ends the interval
    observed: float        # change per hour
    expected: float        # the median for that hour of day
    low: float
    high: float
    deviations: float      # robust z-score


def detect(times: np.ndarray, values: np.ndarray, *, window_days: int, threshold: float, min_change: float,
           evaluate_from: int = 0) -> list[Flag]:
    """Flags for readings at or after `evaluate_from` (epoch seconds); `times` ascending."""
    if len(times) < 3:
        return []
    hours = np.diff(times) / 3600.0
    keep = hours > 0
    rate = np.diff(values)[keep] / hours[keep]
    ends = times[1:][keep]
    hour_of_day = ((ends // 3600) + 8) % 24  # China time: audiences keep Beijing hours
    # All hours at once: readings ordered by (hour of day, time); a window that would straddle two
    # hours is dropped, so each reading is measured against earlier readings at its own hour.
    order = np.argsort(hour_of_day * (len(rate) + 1) + np.arange(len(rate)), kind="stable")
    series, groups = rate[order], hour_of_day[order]
    if len(series) <= window_days:
        return []
    history = np.lib.stride_tricks.sliding_window_view(series[:-1], window_days)
    same_hour = groups[:-window_days] == groups[window_days:]  # window start and the reading after it
    current, positions = series[window_days:][same_hour], order[window_days:][same_hour]
    history = history[same_hour]
    median = np.median(history, axis=1)
    mad = np.median(np.abs(history - median[:, np.newaxis]), axis=1) * MAD_TO_SIGMA
    # Floors: counts vary at least like a Poisson count (√median), and by 5 % of the median
    spread = np.maximum.reduce([mad, np.sqrt(np.abs(median)), np.abs(median) * 0.05,
                                np.full_like(median, min_change / threshold)])
    deviations = (current - median) / spread
    flags = []
    for k in np.flatnonzero((np.abs(deviations) > threshold) & (np.abs(current - median) > min_change)).tolist():
        at = int(ends[positions[k]])
        if at >= evaluate_from:
            flags.append(Flag(at, round(float(current[k]), 2), round(float(median[k]), 2),
                              round(float(median[k] - threshold * spread[k]), 2),
                              round(float(median[k] + threshold * spread[k]), 2), round(float(deviations[k]), 1)))
    return sorted(flags, key=lambda f: f.at)
