"""Cases by source (PA2020-20, PA2020-19, GR2017-11) on the in-memory stores: a moderator's own case, an
authority's order with its own time limit, and a case stored before cases had a source. No AWS, milliseconds.
The statement of reasons into the filing and the actor header stay in tests/api/test_case_sources.py."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from chalicelib.core import clock, keys
from chalicelib.core.errors import Unprocessable
from chalicelib.dispositions import records as dispositions
from chalicelib.reports import cases, decisions, intake, opening
from tests import memory_stores

T = "acme"
ORDER = {"reference": "京网信令〔2026〕12号", "authority": "示例市互联网信息办公室",
         "due_at": "2026-12-31T00:00:00Z"}


@pytest.fixture
def memory(fakes, monkeypatch):
    return memory_stores.install(monkeypatch)


def open_case(**body) -> dict:
    base = {"source": "PROACTIVE", "target": {"type": "CONTENT", "id": "post-9"}, "category": "RUMOUR",
            "description": "巡查发现疑似谣言"}
    return opening.open_case(T, {**base, **body}, "mod-li", None)


def report(target_id: str, category: str = "SPAM") -> dict:
    return intake.submit(T, {"reporter": {"account_id": "reporter-1"}, "target": {"type": "CONTENT", "id": target_id},
                             "category": category, "description": "它在刷屏"}, None)


def decide(case_id: str, outcome: str = "NO_VIOLATION", statement: str = "经核查，未发现违规。", **extra) -> dict:
    return decisions.decide(T, case_id, {"outcome": outcome, "statement": statement, "ground": "PA2020-20", **extra},
                            None)


def refused(call, *args, **kwargs) -> str:
    with pytest.raises(Unprocessable) as refusal:
        call(*args, **kwargs)
    return refusal.value.error_code


# -- moved from tests/api/test_case_sources.py (the same GIVEN / WHEN / THEN, on the fakes) --------------

def test_a_moderator_opens_a_case_nobody_reported_and_decides_it_as_a_report(memory):
    # GIVEN a moderator's own case WHEN it is opened
    case = open_case(evidence=[{"sha256": "a" * 64}])
    # THEN it is PROACTIVE, opened by the moderator, due as a rumour report (24 h), and no report joins it
    assert (case["source"], case["opened_by"], case["deadline_rule"], case["reports"]) == (
        "PROACTIVE", "mod-li", "RUMOUR", 0)
    assert case["attachments"] == [{"sha256": "a" * 64}]
    joined = report("post-9", category="RUMOUR")
    assert joined["case_id"] != case["case_id"] and joined["joined_open_case"] is False
    # AND it is decided NO_VIOLATION or VIOLATION, never as a check case
    assert refused(decide, case["case_id"], outcome="APPROVE") == "OUTCOME_NOT_FOR_SOURCE"
    decided = decide(case["case_id"], outcome="VIOLATION", statement="已删除谣言",
                     dispositions=[{"target": {"type": "ACCOUNT", "id": "acct-9"}, "type": "WARNING",
                                    "automated": True, "ground": {"article": "MB2018-11", "category": "RUMOUR"},
                                    "statement": "发布谣言"}])
    (disposition_id,) = decided["decision"]["disposition_ids"]
    disposition = dispositions.get(T, disposition_id)
    assert (disposition["source_type"], disposition["automated_decision"]) == ("PROACTIVE", "FULLY")
    assert decided["decision"]["automated_decision"] == "NOT"  # the decision's own, not its disposition's


def test_an_authority_order_carries_its_reference_and_its_time_limit(memory):
    # GIVEN an order case without the order, or an order on a moderator's case THEN 422, nothing opened
    assert refused(open_case, source="AUTHORITY_ORDER") == "ORDER_MISMATCH"
    assert refused(open_case, order=ORDER) == "ORDER_MISMATCH"
    assert cases.listing(T, "OPEN", None, None, 50, None, "AUTHORITY_ORDER")["items"] == []
    # WHEN the order is given THEN the case is due at the order's own time limit
    case = open_case(source="AUTHORITY_ORDER", order=ORDER)
    assert (case["due_at"], case["deadline_rule"], case["order"]["reference"]) == (
        ORDER["due_at"], "ORDER", ORDER["reference"])
    listed = cases.listing(T, "OPEN", None, None, 50, None, "AUTHORITY_ORDER")["items"]
    assert [c["case_id"] for c in listed] == [case["case_id"]]
    decided = decide(case["case_id"], outcome="VIOLATION")
    assert decided["decision"]["source_type"] == "AUTHORITY_ORDER"
    assert cases.stats(T, None, None)["sources"]["AUTHORITY_ORDER"]["violations"] == 1


def test_a_case_stored_before_cases_had_a_source_reads_as_a_report(memory):
    receipt = report("post-old", category="SPAM")
    decide(receipt["case_id"], outcome="VIOLATION")
    table = memory.table
    # GIVEN the case and its decision record as an earlier version wrote them
    case = table.get(keys.case_item(T, receipt["case_id"]))
    table.put({**{k: v for k, v in case.items() if k != "source"},
               "decision": {k: v for k, v in case["decision"].items() if k not in (
                   "decision_ground", "automated_detection", "automated_decision", "source_type", "content_type",
                   "decided_by")}})
    start = clock.iso(datetime.now(timezone.utc) - timedelta(days=1))
    for item in table.query(keys.decisions_pk(T)):
        table.put({k: v for k, v in item.items() if k not in ("source", "source_type", "decision_ground")})
    # WHEN it is read, listed and counted THEN it is a REPORT case, decided on its article by a person
    read = cases.get(T, receipt["case_id"])
    assert read["source"] == "REPORT" and read["decision"]["source_type"] == "REPORT"
    assert (read["decision"]["decision_ground"], read["decision"]["automated_decision"]) == ("LEGAL", "NOT")
    listed = cases.listing(T, "DECIDED", None, None, 50, None, "REPORT")["items"]
    assert [c["case_id"] for c in listed] == [receipt["case_id"]]
    stats = cases.stats(T, start, None)
    assert stats["sources"]["REPORT"]["decided"] == 1 and stats["statement_of_reasons"]["source_type"]["REPORT"] == 1
