"""The statement of reasons (PA2020-20, GR2017-11, RL2020-11): defaults, the `automated` mapping,
older records, the breakdown and the filing columns. Pure, no AWS."""

from __future__ import annotations

import pytest

from chalicelib.core.errors import Unprocessable
from chalicelib.dispositions import reasons
from chalicelib.dispositions.reasons import AutomatedDecision, CaseSource, ContentType, DecisionGround
from chalicelib.filings import rules as filings
from chalicelib.reports import rules


def test_a_decision_that_says_nothing_rests_on_its_article_and_was_not_automated():
    # GIVEN a moderator's decision on a reported account WHEN its statement of reasons is made
    found = reasons.statement({"statement": "x"}, source=CaseSource.REPORT, target_type="ACCOUNT", actor="mod-7")
    # THEN it is LEGAL, not automated, not machine-detected, about an account, by mod-7
    assert found == {"decision_ground": "LEGAL", "platform_rule_id": None, "automated_detection": False,
                     "automated_decision": "NOT", "source_type": "REPORT", "content_type": "ACCOUNT",
                     "decided_by": "mod-7"}


def test_a_check_case_was_detected_by_machine_even_when_a_person_decides():
    found = reasons.statement({}, source=CaseSource.CHECK, target_type="CONTENT", actor=None,
                              content=ContentType.TEXT)
    assert (found["automated_detection"], found["automated_decision"], found["content_type"]) == (True, "NOT", "TEXT")


@pytest.mark.parametrize(("automated", "expected"), [(True, "FULLY"), (False, "NOT")])
def test_the_older_automated_flag_maps_onto_automated_decision(automated, expected):
    found = reasons.statement({"automated": automated}, source=CaseSource.PROACTIVE, target_type="SUBJECT", actor=None)
    assert found["automated_decision"] == expected and found["automated_detection"] is automated


@pytest.mark.parametrize(("automated", "asked"), [(True, "NOT"), (False, "FULLY")])
def test_a_careless_client_cannot_say_automated_and_not_automated_at_once(automated, asked):
    # GIVEN a disposition flagged automated whose automated_decision says otherwise
    with pytest.raises(Unprocessable) as refused:
        reasons.statement({"automated": automated, "automated_decision": asked}, source=CaseSource.REPORT,
                          target_type="ACCOUNT", actor=None)
    # THEN it is refused, naming both
    assert refused.value.error_code == "AUTOMATION_INCONSISTENT"


@pytest.mark.parametrize("automated", [True, False])
def test_partially_automated_agrees_with_either_flag(automated):
    found = reasons.statement({"automated": automated, "automated_decision": "PARTIALLY"},
                              source=CaseSource.REPORT, target_type="ACCOUNT", actor=None)
    assert found["automated_decision"] == "PARTIALLY"


def test_a_decision_on_the_platforms_rules_must_name_the_rule():
    with pytest.raises(Unprocessable) as refused:
        reasons.statement({"decision_ground": "PLATFORM_RULES"}, source=CaseSource.REPORT, target_type="ACCOUNT",
                          actor=None)
    assert refused.value.error_code == "PLATFORM_RULE_REQUIRED"
    named = reasons.statement({"decision_ground": "PLATFORM_RULES", "platform_rule_id": "community/3.2"},
                              source=CaseSource.REPORT, target_type="ACCOUNT", actor=None)
    assert (named["decision_ground"], named["platform_rule_id"]) == ("PLATFORM_RULES", "community/3.2")
    # a rule id given with a LEGAL ground is not recorded as if it were the ground
    legal = reasons.statement({"platform_rule_id": "community/3.2"}, source=CaseSource.REPORT, target_type="ACCOUNT",
                              actor=None)
    assert legal["platform_rule_id"] is None


@pytest.mark.parametrize(("record", "source", "automated", "decision"), [
    ({"case_id": "cas_1", "automated": False, "target_type": "ACCOUNT"}, "REPORT", False, "NOT"),
    ({"automated": True, "target_type": "GROUP"}, "PROACTIVE", True, "FULLY"),
])
def test_a_record_written_before_the_statement_of_reasons_reads_with_defaults(record, source, automated, decision):
    # GIVEN a disposition stored before these fields existed WHEN it is read
    found = reasons.read(record)
    # THEN it rests on its article, automation from its flag, source from whether it names a case, nobody named
    assert found["decision_ground"] == "LEGAL" and found["decided_by"] is None
    assert (found["source_type"], found["automated_detection"], found["automated_decision"]) == (
        source, automated, decision)


def test_a_stored_value_is_never_replaced_by_a_default():
    stored = {"case_id": "cas_1", "automated": False, "source_type": "AUTHORITY_ORDER", "decided_by": "mod-1",
              "content_type": "IMAGE", "target_type": "ACCOUNT"}
    found = reasons.read(stored)
    assert (found["source_type"], found["decided_by"], found["content_type"]) == ("AUTHORITY_ORDER", "mod-1", "IMAGE")


def test_the_breakdown_lists_every_member_at_zero_and_counts_each_decision_once():
    decided = [reasons.read({"automated": True, "target_type": "ACCOUNT"}),
               reasons.statement({}, source=CaseSource.CHECK, target_type="CONTENT", actor=None)]
    counts = reasons.breakdown(decided)
    assert counts["decision_ground"] == {"LEGAL": 2, "PLATFORM_RULES": 0}
    assert counts["automated_detection"] == {"true": 2, "false": 0}
    assert counts["automated_decision"] == {"FULLY": 1, "PARTIALLY": 0, "NOT": 1}
    assert set(counts["source_type"]) == {s.value for s in CaseSource}
    assert set(counts["content_type"]) == {c.value for c in ContentType}
    assert all(sum(values.values()) == 2 for values in counts.values())


@pytest.mark.parametrize("field", reasons.FIELDS)
def test_every_statement_of_reasons_field_is_a_dispositions_filing_column(field):
    assert field in {key for key, _ in filings.DISPOSITIONS.columns}


def test_an_older_disposition_is_filed_with_the_defaults():
    # GIVEN a disposition record from before the statement of reasons WHEN it is filed
    filed = filings.row(filings.DISPOSITIONS, {"disposition_id": "dsp_1", "automated": True, "case_id": "cas_1",
                                               "target_type": "ACCOUNT"})
    # THEN its columns carry the defaults
    assert (filed["decision_ground"], filed["automated_decision"], filed["source_type"]) == ("LEGAL", "FULLY", "REPORT")
    assert filings.csv_cell(filings.DISPOSITIONS, "automated_detection", filed["automated_detection"]) == "True"


@pytest.mark.parametrize("source", list(CaseSource))
def test_every_case_source_has_the_outcomes_it_is_decided_with(source):
    allowed = rules.outcomes_for(source)
    assert len(allowed) == 2 and sum(rules.is_violation(o.value) for o in allowed) == 1


@pytest.mark.parametrize("member", [*DecisionGround, *AutomatedDecision])
def test_the_closed_sets_are_listed_in_the_breakdown(member):
    counts = reasons.breakdown([])
    assert any(member.value in values for values in counts.values())
