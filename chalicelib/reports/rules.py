"""Reports, cases and appeals (MB2018-14, GR2017-12, PA2017-15, PA2020-20, BJ2011-13). Pure rules:
when a report is due, how a reporter's history screens their next report, when misuse escalates,
and the figures a regulator asks for.

A report joins the one open case on its target; the case is due at the earliest deadline of
its reports. PA2020-20 asks for "the process for handling them and time limits": each category
has its own deadline in hours (policy ``reports.due_hours``), with a DEFAULT for the rest.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from enum import Enum
from typing import Any

from chalicelib.dispositions.reasons import CaseSource


class ReportCategory(str, Enum):
    # BJ2011-10 (1)-(11)
    CONSTITUTION = "CONSTITUTION"
    NATIONAL_SECURITY = "NATIONAL_SECURITY"
    STATE_HONOUR = "STATE_HONOUR"
    ETHNIC_HATRED = "ETHNIC_HATRED"
    RELIGION_SUPERSTITION = "RELIGION_SUPERSTITION"
    RUMOUR_DISORDER = "RUMOUR_DISORDER"
    OBSCENITY_GAMBLING_VIOLENCE = "OBSCENITY_GAMBLING_VIOLENCE"
    INSULT_DEFAMATION = "INSULT_DEFAMATION"
    ILLEGAL_ASSEMBLY = "ILLEGAL_ASSEMBLY"
    ILLEGAL_ORGANIZATION = "ILLEGAL_ORGANIZATION"
    OTHER_PROHIBITED = "OTHER_PROHIBITED"
    # what users report most, named on their own
    RUMOUR = "RUMOUR"
    FRAUD = "FRAUD"
    PORNOGRAPHY = "PORNOGRAPHY"
    INFRINGEMENT = "INFRINGEMENT"
    MINORS = "MINORS"
    SPAM = "SPAM"
    OTHER = "OTHER"


class CaseStatus(str, Enum):
    OPEN = "OPEN"
    DECIDED = "DECIDED"


class CaseOutcome(str, Enum):
    NO_VIOLATION = "NO_VIOLATION"
    VIOLATION = "VIOLATION"
    APPROVE = "APPROVE"  # a CHECK case: the object is cleared
    REJECT = "REJECT"  # a CHECK case: the object violates, with dispositions as for reports


class ObjectType(str, Enum):
    """What a report or a check names: the platform's account, content, group or comment."""

    ACCOUNT = "ACCOUNT"
    CONTENT = "CONTENT"
    GROUP = "GROUP"
    COMMENT = "COMMENT"


VIOLATING = frozenset({CaseOutcome.VIOLATION, CaseOutcome.REJECT})
# A case a check opened is decided on the checked object (APPROVE or REJECT); the others on what was reported.
OUTCOMES = {CaseSource.CHECK: (CaseOutcome.APPROVE, CaseOutcome.REJECT)}
DEFAULT_OUTCOMES = (CaseOutcome.NO_VIOLATION, CaseOutcome.VIOLATION)


def is_violation(outcome: str) -> bool:
    return CaseOutcome(outcome) in VIOLATING


def outcomes_for(source: CaseSource) -> tuple[CaseOutcome, ...]:
    return OUTCOMES.get(source, DEFAULT_OUTCOMES)


def source_of(case: dict[str, Any]) -> CaseSource:
    """A case stored before cases had a source came from reports."""
    return CaseSource(case.get("source", CaseSource.REPORT.value))


class AppealOutcome(str, Enum):
    UPHELD = "UPHELD"
    OVERTURNED = "OVERTURNED"


class Priority(str, Enum):
    NORMAL = "NORMAL"
    LOW = "LOW"  # PA2020-20: a restricted reporter's report is kept and handled, after the others


DEFAULT_RULE = "DEFAULT"


@dataclass(frozen=True)
class Deadline:
    due_at: datetime
    hours: int
    rule: str  # the policy key that set it: the category, or DEFAULT


def is_overdue(due_at: str, at: str) -> bool:
    """The one boundary of every deadline (cases, appeals, stats, sweeps): met by an answer at or
    before `due_at`, overdue only strictly after it (PA2020-20 "time limits").

    Both are canonical UTC stamps of one width, so they compare as strings; the deadline index
    (GSI1SK = ``{due_at}#{id}``) read with ``GSI1SK < at`` selects exactly the overdue ones.
    """
    return at > due_at


def overdue_sort_key_bound(at: str) -> str:
    """The exclusive upper bound on ``{due_at}#{id}`` sort keys that selects the cases overdue at `at`."""
    return at


def deadline(received_at: datetime, category: str, due_hours: dict[str, int]) -> Deadline:
    rule = category if category in due_hours else DEFAULT_RULE
    hours = int(due_hours[rule])
    return Deadline(received_at + timedelta(hours=hours), hours, rule)


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


def _stamp(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))
