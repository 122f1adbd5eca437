"""The figures a regulator asks of a report mechanism (PA2020-20). Pure rules: cases open and open past
due, decided and decided late, violations, and the median hours to decision, per group.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from datetime import datetime
from typing import Any

from chalicelib.reports.rules import is_overdue, is_violation


def hours_between(start: str, end: str) -> float:
    return (_parse(end) - _parse(start)).total_seconds() / 3600


def case_stats(decided: list[dict[str, Any]], open_cases: list[dict[str, Any]], now: str,
               group: Callable[[dict[str, Any]], str] = lambda item: item["category"]) -> dict[str, dict[str, Any]]:
    """Per group (category by default): cases open, open past due, decided, decided late, violations,
    and the median hours to decision (what a regulator asks of a report mechanism, PA2020-20)."""
    rows: dict[str, dict[str, Any]] = {}
    hours: dict[str, list[float]] = {}
    for case in open_cases:
        entry = rows.setdefault(group(case), _empty())
        entry["open"] += 1
        entry["open_overdue"] += int(is_overdue(case["due_at"], now))
        entry["reports"] += int(case.get("reports", 0))
    for decision in decided:
        name = group(decision)
        entry = rows.setdefault(name, _empty())
        entry["decided"] += 1
        entry["decided_late"] += int(bool(decision["late"]))
        entry["violations"] += int(is_violation(decision["outcome"]))
        entry["reports"] += int(decision.get("reports", 0))
        hours.setdefault(name, []).append(float(decision["hours_to_decision"]))
    for name, entry in rows.items():
        taken = hours.get(name)
        entry["median_hours_to_decision"] = round(statistics.median(taken), 2) if taken else None
        entry["on_time_share"] = round(1 - entry["decided_late"] / entry["decided"], 4) if entry["decided"] else None
    return dict(sorted(rows.items()))


def _empty() -> dict[str, Any]:
    return {"open": 0, "open_overdue": 0, "decided": 0, "decided_late": 0, "violations": 0, "reports": 0,
            "median_hours_to_decision": None, "on_time_share": None}


def total_stats(decided: list[dict[str, Any]], open_cases: list[dict[str, Any]], now: str) -> dict[str, Any]:
    return case_stats(decided, open_cases, now, group=lambda item: "ALL").get("ALL") or _empty()


def _parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))
