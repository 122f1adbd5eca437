"""Report intake, the one case per target, its deadline and the case life cycle (PA2020-20, PA2017-15,
MB2018-14) on the in-memory stores: no AWS, milliseconds. The HTTP contract (receipts, tokens, status
codes) stays in tests/api/test_reports.py."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from chalicelib.core import clock, policy
from chalicelib.core.errors import Conflict, InvalidRequest, TooManyRequests
from chalicelib.dispositions import records as dispositions
from chalicelib.reports import cases, decisions, intake, reporters
from tests import memory_stores

T = "acme"
START = datetime(2026, 11, 18, 8, 0, tzinfo=timezone.utc)


memory = memory_stores.fixture_at(START)
at = memory_stores.clock_from(START)


def report(target_id: str = "post-1", *, category: str = "SPAM", reporter: dict[str, Any] | None = None) -> dict:
    body = {"reporter": reporter or {"account_id": "reporter-1"}, "target": {"type": "CONTENT", "id": target_id},
            "category": category, "description": "它在刷屏"}
    return intake.submit(T, body, None)


def decide(case_id: str, outcome: str = "NO_VIOLATION") -> dict:
    body = {"outcome": outcome, "statement": "经核查，未发现违规。", "ground": "PA2020-20"}
    return decisions.decide(T, case_id, body, None)


def open_listing(status: str = "OPEN") -> list[dict]:
    return cases.listing(T, status, None, None, 50, None)["items"]


# -- moved from tests/api/test_reports.py (the same GIVEN / WHEN / THEN, on the fakes) ------------------

def test_categories_without_their_own_deadline_take_the_default_and_policy_changes_it(memory):
    assert report(category="SPAM")["deadline"]["hours"] == 168
    policy.apply_patch(T, {"reports": {"due_hours": {"SPAM": 12}}})
    assert report("post-2", category="SPAM")["deadline"]["hours"] == 12
    assert report("post-3", category="INFRINGEMENT")["deadline"]["rule"] == "DEFAULT"


def test_reports_on_one_target_join_one_case_due_at_its_most_urgent_deadline(memory):
    first = report(category="SPAM", reporter={"account_id": "r-1"})
    second = report(category="RUMOUR", reporter={"account_id": "r-2"})
    third = report(category="SPAM", reporter={"anonymous": True})
    assert first["case_id"] == second["case_id"] == third["case_id"]
    assert (second["joined_open_case"], third["joined_open_case"]) == (True, True)
    case = cases.get(T, first["case_id"])
    assert (case["reports"], case["category"], case["categories"]) == (3, "RUMOUR", {"RUMOUR": 1, "SPAM": 2})
    assert case["due_at"] == second["due_at"] < first["due_at"]
    other = report("post-elsewhere")
    assert other["case_id"] != first["case_id"]
    assert [c["case_id"] for c in open_listing()] == [first["case_id"], other["case_id"]]  # earliest deadline first
    rumours = cases.listing(T, "OPEN", None, "RUMOUR", 50, None)["items"]
    assert [c["case_id"] for c in rumours] == [first["case_id"]]


def test_the_sweep_marks_breached_cases_and_lists_them(memory):
    urgent = report("post-urgent", category="RUMOUR")
    report("post-slow", category="SPAM")
    at(hours=25)
    assert cases.mark_breached(T) == 1
    assert cases.mark_breached(T) == 0  # marked once
    breached = open_listing("BREACHED")
    assert [c["case_id"] for c in breached] == [urgent["case_id"]] and breached[0]["breached_at"]
    assert breached[0]["overdue"] is True
    assert decide(urgent["case_id"])["decision"]["late"] is True


def test_stats_give_counts_and_median_hours_to_decision_per_category(memory):
    for n, category in enumerate(["RUMOUR", "RUMOUR", "SPAM"]):
        report(f"post-{n}", category=category)
    listed = open_listing()
    at(hours=2)
    decide(listed[0]["case_id"], outcome="VIOLATION")
    at(hours=30)
    decide(listed[1]["case_id"])
    stats = cases.stats(T, None, None)
    rumour = stats["categories"]["RUMOUR"]
    assert (rumour["decided"], rumour["decided_late"], rumour["violations"], rumour["open"]) == (2, 1, 1, 0)
    assert 15.9 < rumour["median_hours_to_decision"] < 16.1 and rumour["on_time_share"] == 0.5
    assert stats["categories"]["SPAM"]["open"] == 1 and stats["totals"]["decided"] == 2
    with pytest.raises(InvalidRequest) as backwards:
        cases.stats(T, "2026-02-01T00:00:00Z", "2026-01-01T00:00:00Z")
    assert backwards.value.error_code == "RANGE_INVALID"


def test_malicious_reporting_escalates_from_warning_to_restriction_never_to_silence(memory):
    policy.apply_patch(T, {"reports": {"misuse": {"min_decided": 2, "unfounded_share": 0.5, "restriction_days": 7}}})
    troll = {"account_id": "troll"}

    def unfounded_report(n: int) -> dict:
        receipt = report(f"victim-{n}", reporter=troll)
        decide(receipt["case_id"])
        return receipt

    unfounded_report(1)
    assert reporters.feedback(T, "troll", 50, None)["record"]["warned_at"] is None
    unfounded_report(2)
    record = reporters.feedback(T, "troll", 50, None)
    assert record["record"]["warned_at"] and "WARN" in {i["kind"] for i in record["items"]}
    unfounded_report(3)
    record = reporters.feedback(T, "troll", 50, None)
    assert record["record"]["restricted_until"] and "RESTRICT" in {i["kind"] for i in record["items"]}
    # restricted: still received and stored, flagged LOW, and told so
    kept = report("victim-4", reporter=troll)
    assert kept["priority"] == "LOW"
    screening = kept["screening"]
    assert screening["reason"] == "REPORTER_RESTRICTED" and screening["article"] == "PA2017-15"
    assert cases.get(T, kept["case_id"])["priority"] == "LOW"
    # an ordinary reporter joining makes the case NORMAL again
    report("victim-4", reporter={"account_id": "citizen"})
    assert cases.get(T, kept["case_id"])["priority"] == "NORMAL"


# -- the deadline boundary, written once (reports.rules.is_overdue) ---------------------------------

@pytest.mark.parametrize(("seconds_after", "overdue"), [(-1, False), (0, False), (1, True)])
def test_a_case_is_met_at_its_deadline_and_overdue_one_second_after_everywhere_it_is_read(memory, seconds_after,
                                                                                          overdue):
    # GIVEN a rumour report, due 24 hours after it was received
    receipt = report(category="RUMOUR")
    assert receipt["due_at"] == clock.iso(START + timedelta(hours=24))
    # WHEN the case view, the BREACHED listing, the sweep and the stats read it `seconds_after` its deadline
    clock.set_source((START + timedelta(hours=24, seconds=seconds_after)).timestamp)
    # THEN all four agree, and a decision then is late exactly when the case was overdue
    assert cases.get(T, receipt["case_id"])["overdue"] is overdue
    assert [c["case_id"] for c in open_listing("BREACHED")] == ([receipt["case_id"]] if overdue else [])
    assert cases.mark_breached(T) == int(overdue)
    assert cases.stats(T, None, None)["totals"]["open_overdue"] == int(overdue)
    assert decide(receipt["case_id"])["decision"]["late"] is overdue


def test_a_later_report_never_moves_the_case_deadline_later(memory):
    urgent = report(category="RUMOUR")
    joined = report(category="SPAM", reporter={"account_id": "r-2"})
    case = cases.get(T, urgent["case_id"])
    assert joined["due_at"] == urgent["due_at"] == case["due_at"] and case["category"] == "RUMOUR"
    assert joined["deadline"]["own_due_at"] > case["due_at"]  # its own deadline is later; the case keeps the earlier


# -- intake limits and the case life cycle ---------------------------------------------------------

def test_a_reporter_over_the_window_limit_is_refused_with_retry_after_and_nothing_is_kept(memory):
    policy.apply_patch(T, {"reports": {"reporter_limit": {"limit": 2, "window_minutes": 60}}})
    report("post-1")
    report("post-2")
    at(hours=0.5)
    with pytest.raises(TooManyRequests) as refused:
        report("post-3")
    assert (refused.value.error_code, refused.value.headers["Retry-After"]) == ("REPORT_RATE_LIMITED", "1800")
    assert sorted(c["target"]["id"] for c in open_listing()) == ["post-1", "post-2"]
    assert memory.events().count("report.receive") == 2
    at(hours=1)  # the next window
    assert report("post-3")["joined_open_case"] is False


def test_a_decided_case_frees_its_target_and_every_reporter_gets_feedback_once(memory):
    first = report(reporter={"account_id": "r-1"})
    report(reporter={"anonymous": True})
    decided = decide(first["case_id"])
    assert (decided["status"], decided["effects_status"], decided["feedback"]["answered"]) == ("DECIDED", "COMPLETE", 2)
    # WHEN the same decision is repeated THEN nothing is done twice
    assert decide(first["case_id"])["feedback"] == decided["feedback"]
    assert reporters.feedback(T, "r-1", 50, None)["record"] == {"decided": 1, "unfounded": 1, "warned_at": None,
                                                                 "restricted_until": None}
    # AND a new report on the target opens a new case
    again = report(reporter={"account_id": "r-3"})
    assert again["case_id"] != first["case_id"] and again["joined_open_case"] is False
    assert memory.events().count("case.decide") == 1 and memory.events().count("case.feedback") == 1


def test_a_decision_and_its_dispositions_are_one_transaction_refused_whole_when_the_case_moved(memory, monkeypatch):
    receipt = report(target_id="acct-9")
    disposition = {"type": "WARNING", "target": {"type": "ACCOUNT", "id": "acct-9"},
                   "ground": {"article": "PA2020-19", "category": "SPAM"}, "statement": "刷屏", "automated": False}
    body = {"outcome": "VIOLATION", "statement": "违规", "ground": "PA2020-20", "dispositions": [disposition]}
    # GIVEN a report that joins the case between the decision's read and its write
    read = cases.require

    def read_then_join(tenant_id: str, case_id: str) -> dict:
        found = read(tenant_id, case_id)
        report(target_id="acct-9", reporter={"account_id": "r-late"})
        return found
    monkeypatch.setattr(decisions.cases, "require", read_then_join)
    # WHEN it is decided THEN it is refused as changed, and neither the decision nor its disposition is kept
    with pytest.raises(Conflict) as changed:
        decisions.decide(T, receipt["case_id"], body, None)
    assert changed.value.error_code == "CASE_CHANGED"
    assert memory.events().count("disposition.create") == 0 and memory.events().count("case.decide") == 0
    assert dispositions.restrictions(T, "ACCOUNT", "acct-9")["restrictions"] == []
    # AND decided again on what it now is, the decision and its disposition are kept together
    monkeypatch.setattr(decisions.cases, "require", read)
    decided = decisions.decide(T, receipt["case_id"], body, None)
    (disposition_id,) = decided["decision"]["disposition_ids"]
    assert dispositions.get(T, disposition_id)["case_id"] == receipt["case_id"]
    assert memory.events()[-3:-1] == ["case.decide", "disposition.create"]
