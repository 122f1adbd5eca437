"""The reports store's contract (PA2020-20, PA2017-15, RL2020-11), run against DynamoDB (moto) and the
in-memory fake alike: one open case per target, a deadline only ever lowered, a case closed only as it
was read, feedback once per report, one pending appeal per case, a webhook attempt counted once."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from chalicelib.reports import rules, store as reports_store
from chalicelib.reports.memory_store import MemoryReportsStore
from tests.store_contract import BACKENDS, CHANGE, NOW, T, either, refused_at


@pytest.fixture(params=BACKENDS)
def reports(request):
    return either(request, MemoryReportsStore, reports_store.store)


def a_case(n: int, due_at: str, target: str = "post-1", **extra: Any) -> dict[str, Any]:
    return {"case_id": f"cas_{n}", "status": "OPEN", "target_type": "CONTENT", "target_id": target,
            "category": "SPAM", "categories": {"SPAM": 1}, "opened_at": "2026-11-18T08:00:00Z", "due_at": due_at,
            "reports": 1, "priority": "LOW", **extra}


def a_report(n: int, case_id: str, due_at: str, category: str = "SPAM", reporter: str = "acct-r",
             priority: str = "NORMAL") -> dict[str, Any]:
    return {"report_id": f"rep_{n}", "case_id": case_id, "reporter_key": reporter, "priority": priority,
            "category": category, "received_at": "2026-11-18T08:00:00Z", "own_due_at": due_at,
            "target_type": "CONTENT", "target_id": "post-1", "token_hash": "h"}


def opened(reports: Any, n: int = 1, due_at: str = "2026-11-20T08:00:00Z", **extra: Any) -> dict[str, Any]:
    case = a_case(n, due_at, **extra)
    reports.commit(T, reports.new_case_ops(T, case) + reports.report_ops(T, a_report(n, case["case_id"], due_at)),
                   CHANGE)
    return case


def a_decision(at: str = "2026-11-19T08:00:00Z") -> dict[str, Any]:
    return {"outcome": "VIOLATION", "statement": "违规", "ground": "PA2020-20", "decided_at": at, "late": False}


def test_a_target_has_one_open_case_and_the_deadline_index_is_read_strictly_before_its_bound(reports):
    # GIVEN an open case on post-1 due at 08:00
    opened(reports, 1, "2026-11-20T08:00:00Z")
    # WHEN a second case is opened on the same target THEN its pointer (op 0) refuses it, and nothing is kept
    assert refused_at(reports.commit, T, reports.new_case_ops(T, a_case(2, "2026-11-21T00:00:00Z")), CHANGE) == 0
    assert reports.case(T, "cas_2") is None and reports.open_case_id(T, "CONTENT", "post-1") == "cas_1"
    opened(reports, 3, "2026-11-20T09:00:00Z", target="post-3")
    # THEN the open cases are read by deadline; exactly at a deadline a case is not yet overdue (is_overdue)
    at_deadline = rules.overdue_sort_key_bound("2026-11-20T08:00:00Z")
    assert [c["case_id"] for c in reports.open_cases(T)] == ["cas_1", "cas_3"]
    assert reports.open_cases(T, due_before=at_deadline) == []
    assert [c["case_id"] for c in reports.open_cases(T, rules.overdue_sort_key_bound("2026-11-20T08:00:01Z"))] == [
        "cas_1"]
    page, cursor = reports.cases_page(T, "OPEN", None, None, 1, None)
    rest, end = reports.cases_page(T, "OPEN", None, None, 5, cursor)
    assert [c["case_id"] for c in page + rest] == ["cas_1", "cas_3"] and end is None


def test_a_joining_report_only_ever_lowers_the_deadline_and_counts_its_category(reports):
    opened(reports, 1, "2026-11-20T08:00:00Z")
    later = a_report(2, "cas_1", "2026-11-21T08:00:00Z", category="FRAUD")
    reports.commit(T, reports.join_case_ops(T, "cas_1", later, False) + reports.report_ops(T, later), CHANGE)
    earlier = a_report(3, "cas_1", "2026-11-19T08:00:00Z", category="RUMOUR")
    # WHEN a report asks to lower the deadline to a time the case is already due before THEN op 0 refuses it
    stale = a_report(4, "cas_1", "2026-11-20T09:00:00Z")
    assert refused_at(reports.commit, T, reports.join_case_ops(T, "cas_1", stale, True), CHANGE) == 0
    reports.commit(T, reports.join_case_ops(T, "cas_1", earlier, True) + reports.report_ops(T, earlier), CHANGE)
    case = reports.case(T, "cas_1")
    assert (case["due_at"], case["category"], case["reports"], case["priority"]) == (
        "2026-11-19T08:00:00Z", "RUMOUR", 3, "NORMAL")
    assert {k: int(v) for k, v in case["categories"].items()} == {"SPAM": 1, "FRAUD": 1, "RUMOUR": 1}
    assert reports.open_cases(T, rules.overdue_sort_key_bound("2026-11-19T08:00:01Z"))[0]["case_id"] == "cas_1"
    links, _ = reports.case_reports(T, "cas_1")
    assert [link["report_id"] for link in links] == ["rep_1", "rep_2", "rep_3"]
    assert set(reports.reports_by_id(T, ["rep_1", "rep_3", "rep_9"])) == {"rep_1", "rep_3"}
    # AND a category or source filter keeps only what it names (a case stored without a source is from reports)
    assert [c["case_id"] for c in reports.cases_page(T, "OPEN", None, "FRAUD", 5, None)[0]] == ["cas_1"]
    assert reports.cases_page(T, "OPEN", None, "MINORS", 5, None)[0] == []
    assert [c["case_id"] for c in reports.cases_page(T, "OPEN", None, None, 5, None, "REPORT")[0]] == ["cas_1"]
    assert reports.cases_page(T, "OPEN", None, None, 5, None, "MODERATOR")[0] == []


def test_a_case_is_closed_only_as_it_was_read_and_its_effects_complete_once(reports):
    case = opened(reports, 1)
    joined = a_report(2, "cas_1", "2026-11-21T08:00:00Z")
    reports.commit(T, reports.join_case_ops(T, "cas_1", joined, False) + reports.report_ops(T, joined), CHANGE)
    # WHEN the case is closed as read before the second report joined THEN op 0 refuses it
    assert refused_at(reports.commit, T, reports.closing_ops(T, case, a_decision(), 24.0), CHANGE) == 0
    read = reports.case(T, "cas_1")
    reports.commit(T, reports.closing_ops(T, read, a_decision(), 24.0), CHANGE)
    decided = reports.case(T, "cas_1")
    assert (decided["status"], decided["effects_status"]) == ("DECIDED", "PENDING")
    assert reports.open_case_id(T, "CONTENT", "post-1") is None and reports.open_cases(T) == []
    assert [c["case_id"] for c in reports.pending_decisions(T)] == ["cas_1"]
    (row,) = reports.decisions(T, "2026-11-19T00:00:00Z", "2026-11-19T08:00:00Z")
    assert (row["case_id"], row["reports"], row["source"], row["outcome"]) == ("cas_1", 2, "REPORT", "VIOLATION")
    complete = reports.effects_complete_ops(T, "cas_1", {"reports": 2}, {"status": "NOT_CONFIGURED"})
    reports.commit(T, complete, CHANGE)
    assert refused_at(reports.commit, T, complete, CHANGE) == 0
    assert reports.pending_decisions(T) == [] and reports.case(T, "cas_1")["effects_status"] == "COMPLETE"
    # AND a decided case takes no report: a join names it refused (op 0)
    assert refused_at(reports.commit, T, reports.join_case_ops(T, "cas_1", a_report(3, "cas_1", "2026"), False),
                      CHANGE) == 0


def test_an_intake_window_refuses_past_its_limit_and_breach_and_seen_stamps_stay_first(reports):
    for _ in range(2):
        reports.take_intake_slot(T, "acct-r", NOW, 3600, 2)
    with pytest.raises(ClientError) as refused:
        reports.take_intake_slot(T, "acct-r", NOW, 3600, 2)
    assert refused.value.response["Error"]["Code"] == "ConditionalCheckFailedException"
    reports.take_intake_slot(T, "acct-r", NOW + 3600, 3600, 2)  # the next window starts empty
    case = opened(reports, 1)
    reports.mark_breached(T, case, "2026-11-21T00:00:00Z")
    reports.mark_breached(T, case, "2026-11-22T00:00:00Z")
    reports.mark_feedback_seen(T, "rep_1", "2026-11-21T00:00:00Z")
    reports.mark_feedback_seen(T, "rep_1", "2026-11-22T00:00:00Z")
    assert reports.case(T, "cas_1")["breached_at"] == "2026-11-21T00:00:00Z"
    assert reports.report(T, "rep_1")["feedback_seen_at"] == "2026-11-21T00:00:00Z"


def test_feedback_is_given_once_per_report_and_a_reporter_escalates_on_the_count_read(reports):
    opened(reports, 1)
    links, _ = reports.case_reports(T, "cas_1")
    anonymous = {**links[0], "report_id": "rep_9", "reporter_key": "anon-rep_9"}
    feedback = {"case_id": "cas_1", "outcome": "NO_VIOLATION", "decided_at": "2026-11-19T08:00:00Z"}
    assert reports.apply(reports.feedback_ops(T, links + [anonymous], feedback, False)) is True
    # WHEN the same feedback is given again THEN nothing is written (the report already has it)
    assert reports.apply(reports.feedback_ops(T, links, feedback, False)) is False
    record = reports.reporter(T, "acct-r")
    assert (record["decided"], record["unfounded"]) == (1, 1)
    notice = {"kind": "WARN", "decided_at": "2026-11-19T09:00:00Z", "message": "m", "restricted_until": None}
    assert refused_at(reports.commit, T, reports.escalation_ops(T, "acct-r", 0, {"warned_at": "w"}, notice),
                      CHANGE) == 0
    reports.commit(T, reports.escalation_ops(T, "acct-r", 1, {"restricted_until": "2026-12-01T00:00:00Z"},
                                             {**notice, "kind": "RESTRICT"}), CHANGE)
    record = reports.reporter(T, "acct-r")
    assert (record["restricted_until"], record["restrictions"]) == ("2026-12-01T00:00:00Z", 1)
    page, cursor = reports.feedback_page(T, "acct-r", 1, None)
    rest, end = reports.feedback_page(T, "acct-r", 5, cursor)
    assert [i["SK"].rsplit("#", 1)[1] for i in page + rest] == ["RESTRICT", "rep_1"] and end is None
    assert reports.reporter(T, "anon-rep_9") is None


def test_a_decided_case_takes_one_pending_appeal_at_a_time_decided_once(reports):
    case = opened(reports, 1)
    appeal = {"appeal_id": "apl_1", "case_id": "cas_1", "subject_id": "sub_a", "status": "PENDING",
              "due_at": "2026-12-01T00:00:00Z", "filed_at": "2026-11-20T00:00:00Z", "disposition_ids": []}
    # WHEN an appeal is filed on an open case THEN the case (op 0) refuses it
    assert refused_at(reports.commit, T, reports.appeal_filing_ops(T, appeal), CHANGE) == 0
    reports.commit(T, reports.closing_ops(T, case, a_decision(), 1.0), CHANGE)
    reports.commit(T, reports.appeal_filing_ops(T, appeal), CHANGE)
    second = {**appeal, "appeal_id": "apl_2"}
    assert refused_at(reports.commit, T, reports.appeal_filing_ops(T, second), CHANGE) == 0
    assert [a["appeal_id"] for a in reports.appeals_page(T, "PENDING", 5, None)[0]] == ["apl_1"]
    ops = reports.appeal_decision_ops(T, appeal, "UPHELD", "维持", "2026-11-21T00:00:00Z", [], "mod-1")
    reports.commit(T, ops, CHANGE)
    assert refused_at(reports.commit, T, ops, CHANGE) == 0
    decided = reports.appeal(T, "apl_1")
    assert (decided["status"], decided["decided_by"]) == ("UPHELD", "mod-1")
    assert reports.appeals_page(T, "PENDING", 5, None)[0] == []
    assert [a["appeal_id"] for a in reports.appeals_page(T, "DECIDED", 5, None)[0]] == ["apl_1"]
    assert "pending_appeal" not in reports.case(T, "cas_1") and reports.case(T, "cas_1")["appeals"] == ["apl_1"]
    reports.commit(T, reports.appeal_filing_ops(T, second), CHANGE)  # the case is free for another appeal
    reports.set_appeal_notice(T, "apl_1", {"sent": True})
    assert reports.appeal(T, "apl_1")["notice"] == {"sent": True}


def test_a_review_case_joins_a_later_check_and_an_approval_clears_what_was_checked(reports):
    evidence = {"kind": "POST", "fingerprint": "f1", "signature": "s1", "scene": "POST", "hits_total": 1}
    case = a_case(1, "2026-11-20T08:00:00Z", source="CHECK", reports=0, evidence={"POST": evidence})
    reports.commit(T, reports.new_case_ops(T, case), CHANGE)
    assert reports.open_review_case_id(T, "CONTENT", "post-1") == "cas_1"
    assert reports.open_case_id(T, "CONTENT", "post-1") is None  # a check holds OPENREVIEW, not OPENCASE
    later = {**evidence, "fingerprint": "f2"}
    assert refused_at(reports.commit, T, reports.join_review_ops(T, "cas_1", "POST", later,
                                                                ("2026-11-21T00:00:00Z", "POST")), CHANGE) == 0
    reports.commit(T, reports.join_review_ops(T, "cas_1", "POST", later, ("2026-11-19T00:00:00Z", "POST")), CHANGE)
    stored = reports.case(T, "cas_1")
    assert (stored["checks"], stored["due_at"], stored["evidence"]["POST"]["fingerprint"]) == (
        1, "2026-11-19T00:00:00Z", "f2")
    reports.commit(T, reports.clearance_ops(T, stored, "2026-11-19T01:00:00Z"), CHANGE)
    assert reports.clearance(T, "CONTENT", "post-1", "POST", "f2")["signature"] == "s1"
    assert reports.clearance(T, "CONTENT", "post-1", "POST", "f1") is None


def test_a_failed_webhook_attempt_is_counted_once_then_delivered_or_abandoned(reports):
    key = reports.queue_delivery(T, "2026-11-18T08:00:00Z", "whd_1", {"type": "case.decided"}, "timeout",
                                 next_attempt_at="2026-11-18T08:00:30Z", deadline_at="2026-11-19T08:00:00Z")
    item = reports.queued_delivery(T, key)
    reports.delivery_failed(item, "503", "2026-11-18T08:01:00Z")
    reports.delivery_failed(item, "503", "2026-11-18T08:01:00Z")  # a second copy of the message: not counted
    assert reports.queued_delivery(T, key)["attempts"] == 2
    reports.delivery_abandoned(reports.queued_delivery(T, key), "2026-11-19T09:00:00Z")
    assert reports.queued_delivery(T, key)["status"] == "ABANDONED"
    other = reports.queue_delivery(T, "2026-11-18T09:00:00Z", "whd_2", {}, None,
                                   next_attempt_at="2026-11-18T09:00:30Z", deadline_at="2026-11-19T09:00:00Z")
    reports.delivered(reports.queued_delivery(T, other))
    assert [i["SK"] for i in reports.queued_deliveries(T)] == [key]
