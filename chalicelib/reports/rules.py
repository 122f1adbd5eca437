"""Reports, cases and appeals (MB2018-14, GR2017-12, PA2017-15, PA2020-20, BJ2011-13). Pure rules:
the closed sets of reports, cases and appeals, and when a report is due. A reporter's screening is in
`reporter_rules`, the figures a regulator asks for in `stats_rules`.

A report joins the one open case on its target; the case is due at the earliest deadline of
its reports. PA2020-20 asks for "the process for handling them and time limits": each category
has its own deadline in hours (policy ``reports.due_hours``), with a DEFAULT for the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
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
