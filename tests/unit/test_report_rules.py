"""Report rules: deadlines by category, misuse escalation, the figures per category."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from chalicelib.core import policy_rules as policy
from chalicelib.reports import reporter_rules, rules, stats_rules

NOW = datetime(2026, 11, 25, 8, 0, tzinfo=timezone.utc)
MISUSE = {"min_decided": 5, "unfounded_share": 0.8, "restriction_days": 7}


@pytest.mark.parametrize(("category", "hours", "rule"), [("RUMOUR", 24, "RUMOUR"), ("FRAUD", 72, "FRAUD"),
                                                           ("INFRINGEMENT", 168, "DEFAULT"), ("SPAM", 168, "DEFAULT")])
def test_the_default_deadlines_by_category(category, hours, rule):
    due = rules.deadline(NOW, category, policy.DEFAULTS["reports"]["due_hours"])
    assert (due.hours, due.rule, due.due_at) == (hours, rule, NOW + timedelta(hours=hours))


def test_every_category_is_in_the_schema_and_every_default_names_a_category():
    import json
    from pathlib import Path

    common = json.loads((Path(__file__).parents[2] / "chalicelib/schemas/common.json").read_text())
    assert common["$defs"]["ReportCategory"]["enum"] == [c.value for c in rules.ReportCategory]
    assert set(policy.DEFAULTS["reports"]["due_hours"]) - {"DEFAULT"} <= {c.value for c in rules.ReportCategory}


def test_few_or_mostly_founded_reports_never_escalate():
    assert reporter_rules.escalation(reporter_rules.ReporterRecord(decided=4, unfounded=4), NOW, **MISUSE) is None
    assert reporter_rules.escalation(reporter_rules.ReporterRecord(decided=10, unfounded=7), NOW, **MISUSE) is None


def test_misuse_escalates_warning_first_then_longer_restrictions():
    first = reporter_rules.ReporterRecord(decided=5, unfounded=4)
    assert reporter_rules.escalation(first, NOW, **MISUSE) == (reporter_rules.Escalation.WARN, None)
    warned = reporter_rules.ReporterRecord(decided=6, unfounded=5, warned_at="2026-11-01T00:00:00Z")
    assert reporter_rules.escalation(warned, NOW, **MISUSE) == (reporter_rules.Escalation.RESTRICT,
                                                                "2026-12-02T08:00:00Z")
    again = reporter_rules.ReporterRecord(decided=9, unfounded=8, warned_at="2026-11-01T00:00:00Z",
                                          restricted_until="2026-11-20T00:00:00Z", restrictions=1)
    assert reporter_rules.escalation(again, NOW, **MISUSE) == (reporter_rules.Escalation.RESTRICT,
                                                               "2026-12-09T08:00:00Z")
    restricted_now = reporter_rules.ReporterRecord(decided=9, unfounded=8, warned_at="2026-11-01T00:00:00Z",
                                                   restricted_until="2026-12-01T00:00:00Z", restrictions=1)
    assert reporter_rules.escalation(restricted_now, NOW, **MISUSE) is None


def test_a_restricted_reporter_is_screened_low_not_refused():
    record = reporter_rules.ReporterRecord(restricted_until="2026-12-01T00:00:00Z")
    assert reporter_rules.screen(record, "2026-11-25T08:00:00Z").priority is rules.Priority.LOW
    assert reporter_rules.screen(record, "2026-12-01T00:00:00Z").priority is rules.Priority.NORMAL


def test_stats_count_lateness_and_take_the_median():
    decided = [{"category": "SPAM", "late": False, "outcome": "VIOLATION", "hours_to_decision": h, "reports": 1}
               for h in (1, 2, 10)] + [{"category": "SPAM", "late": True, "outcome": "NO_VIOLATION",
                                        "hours_to_decision": 200, "reports": 3}]
    open_cases = [{"category": "RUMOUR", "due_at": "2026-11-25T07:00:00Z", "reports": 2},
                  {"category": "RUMOUR", "due_at": "2026-11-26T07:00:00Z", "reports": 1}]
    stats = stats_rules.case_stats(decided, open_cases, "2026-11-25T08:00:00Z")
    assert stats["SPAM"] == {"open": 0, "open_overdue": 0, "decided": 4, "decided_late": 1, "violations": 3,
                             "reports": 6, "median_hours_to_decision": 6.0, "on_time_share": 0.75}
    assert (stats["RUMOUR"]["open"], stats["RUMOUR"]["open_overdue"]) == (2, 1)
    assert stats_rules.total_stats(decided, open_cases, "2026-11-25T08:00:00Z")["reports"] == 9
    assert stats_rules.total_stats([], [], "2026-11-25T08:00:00Z")["median_hours_to_decision"] is None


DUE = "2026-11-25T08:00:00Z"


@pytest.mark.parametrize(("at", "overdue"), [("2026-11-25T07:59:59Z", False), (DUE, False),
                                             ("2026-11-25T08:00:01Z", True)])
def test_a_deadline_is_met_at_the_deadline_and_missed_only_after_it(at, overdue):
    # GIVEN a case due at DUE WHEN it is judged at `at`
    # THEN the case view, the decision's lateness and the stats agree, and the sweep's index range with them
    assert rules.is_overdue(DUE, at) is overdue
    case = {"due_at": DUE, "category": "FRAUD", "reports": 1}
    assert stats_rules.case_stats([], [case], at)["FRAUD"]["open_overdue"] == int(overdue)
    assert (f"{DUE}#cas_0123456789ab01234567" < rules.overdue_sort_key_bound(at)) is overdue
