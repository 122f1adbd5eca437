"""Timing helpers and the result table shared by the benchmark scripts."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    name: str
    ours: float
    baseline: float | None
    unit: str
    target: str = ""
    # True/False when the row has a target (ratio ≤ limit or figure ≤ limit), None otherwise.
    met: bool | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        return None if not self.baseline else self.ours / self.baseline


def per_call(fn: Callable[[], object], *, repeat: int, rounds: int = 5) -> float:
    """Median over rounds of the mean seconds per call (after one warm-up round)."""
    for _ in range(max(1, repeat // 10)):
        fn()
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        for _ in range(repeat):
            fn()
        samples.append((time.perf_counter() - started) / repeat)
    return statistics.median(samples)


def ratio_row(name: str, ours: float, baseline: float, unit: str, limit: float, note: str = "") -> Row:
    return Row(name, ours, baseline, unit, f"≤ {limit:g}× baseline", ours / baseline <= limit, note)


def render(rows: list[Row]) -> str:
    header = ("benchmark", "ours", "baseline", "ratio", "target", "met")
    lines = [header]
    for row in rows:
        lines.append((
            row.name,
            f"{row.ours:,.3f} {row.unit}",
            "" if row.baseline is None else f"{row.baseline:,.3f} {row.unit}",
            "" if row.ratio is None else f"{row.ratio:.2f}×",
            row.target,
            {True: "yes", False: "NO", None: ""}[row.met],
        ))
    widths = [max(len(str(line[i])) for line in lines) for i in range(len(header))]
    out = ["| " + " | ".join(str(c).ljust(w) for c, w in zip(line, widths)) + " |" for line in lines]
    out.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    notes = [f"- {row.name}: {row.note}" for row in rows if row.note]
    return "\n".join(out + ([""] + notes if notes else []))
