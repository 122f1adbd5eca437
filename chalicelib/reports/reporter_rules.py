"""Reporters screened by their history (PA2017-15 malicious-report screening, PA2020-20). Pure rules:
how a reporter's record sets the priority of their next report, and when misuse escalates from a
warning to a time-limited restriction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from enum import Enum
from typing import Any

from chalicelib.reports.rules import Priority


@dataclass(frozen=True)
class ReporterRecord:
    """What is known of one reporter's reports once decided (PA2017-15 malicious-report screening)."""

    decided: int = 0
    unfounded: int = 0
    warned_at: str | None = None
    restricted_until: str | None = None
    restrictions: int = 0

    @classmethod
    def of(cls, item: dict[str, Any] | None) -> ReporterRecord:
        item = item or {}
        return cls(int(item.get("decided", 0)), int(item.get("unfounded", 0)), item.get("warned_at"),
                   item.get("restricted_until"), int(item.get("restrictions", 0)))

    @property
    def unfounded_share(self) -> float:
        return self.unfounded / self.decided if self.decided else 0.0


@dataclass(frozen=True)
class Screening:
    priority: Priority
    reason: str | None
    restricted_until: str | None


def screen(record: ReporterRecord, now: str) -> Screening:
    """A reporter under an intake restriction is still heard: the report is kept, flagged LOW."""
    if record.restricted_until and now < record.restricted_until:
        return Screening(Priority.LOW, "REPORTER_RESTRICTED", record.restricted_until)
    return Screening(Priority.NORMAL, None, None)


class Escalation(str, Enum):
    WARN = "WARN"
    RESTRICT = "RESTRICT"


def escalation(record: ReporterRecord, now: datetime, *, min_decided: int, unfounded_share: float,
               restriction_days: int) -> tuple[Escalation, str | None] | None:
    """After a reporter's report is found unfounded: a warning first, then a time-limited restriction.

    Only reporters with at least `min_decided` decided reports and an unfounded share at or above
    `unfounded_share` escalate; one who is restricted now is not escalated again until it ends.
    """
    if record.decided < min_decided or record.unfounded_share < unfounded_share:
        return None
    stamp = _stamp(now)
    if record.restricted_until and stamp < record.restricted_until:
        return None
    if record.warned_at is None:
        return Escalation.WARN, None
    # each restriction lasts longer than the one before
    return Escalation.RESTRICT, _stamp(now + timedelta(days=restriction_days * (record.restrictions + 1)))


def _stamp(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
