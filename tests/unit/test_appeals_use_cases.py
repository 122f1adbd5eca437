"""Appeals (PA2020-20, RL2020-11) on the in-memory stores: only the disposed subject, within the window, one
pending at a time, upheld changing nothing. No AWS, milliseconds. Overturning with every effect reversed,
through the name check and the audit listing, stays in tests/api/test_appeals.py."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from chalicelib.core import clock
from chalicelib.core.errors import Conflict, Forbidden, NotFound
from chalicelib.dispositions import records as dispositions
from chalicelib.reports import appeals, decisions, intake
from tests import memory_stores

T = "acme"
START = datetime(2026, 11, 18, 8, 0, tzinfo=timezone.utc)
GROUND = {"article": "PA2020-19", "category": "SPAM"}


memory = memory_stores.fixture_at(START)


def report(target_id: str = "post-1", target_type: str = "CONTENT") -> dict:
    return intake.submit(T, {"reporter": {"account_id": "reporter-1"}, "target": {"type": target_type,
                                                                              "id": target_id},
                             "category": "SPAM", "description": "它在刷屏"}, None)


def decide(case_id: str, outcome: str = "NO_VIOLATION", **extra) -> dict:
    body = {"outcome": outcome, "statement": "经核查，未发现违规。", "ground": "PA2020-20", **extra}
    return decisions.decide(T, case_id, body, None)


def disposed_case(subject_id: str, account_id: str) -> dict:
    """A case on an account decided VIOLATION with a closure and a blacklisting."""
    receipt = report(account_id, target_type="ACCOUNT")
    common = {"ground": GROUND, "statement": "多次刷屏", "automated": False}
    found = [{**common, "target": {"type": "ACCOUNT", "id": account_id}, "type": "CLOSE_ACCOUNT"},
             {**common, "target": {"type": "SUBJECT", "id": subject_id}, "type": "BLACKLIST"}]
    return decide(receipt["case_id"], outcome="VIOLATION", dispositions=found)


def appeal(case_id: str, subject_id: str) -> dict:
    return appeals.file(T, case_id, {"subject_id": subject_id, "statement": "账号被盗用，非本人所为。"})


def code(error: type[Exception], call, *args) -> str:
    with pytest.raises(error) as refused:
        call(*args)
    return refused.value.error_code


# -- moved from tests/api/test_appeals.py (the same GIVEN / WHEN / THEN, on the fakes) -----------------

def test_an_upheld_appeal_changes_nothing_and_a_new_one_may_follow(memory):
    subject_id = memory.subject(T)
    case = disposed_case(subject_id, "acct-x")
    first = appeal(case["case_id"], subject_id)
    upheld = appeals.decide(T, first["appeal_id"], {"outcome": "UPHELD", "statement": "维持原处置。"})
    assert upheld["status"] == "UPHELD" and upheld["reversed"] == []
    for disposition_id in case["decision"]["disposition_ids"]:
        assert dispositions.get(T, disposition_id)["status"] == "ACTIVE"
    assert appeal(case["case_id"], subject_id)["status"] == "PENDING"


def test_only_the_operator_may_appeal_and_only_within_the_window(memory):
    subject_id = memory.subject(T)
    stranger = memory.subject(T, "sub_" + "b" * 40)
    case = disposed_case(subject_id, "acct-y")
    assert code(Forbidden, appeal, case["case_id"], stranger) == "APPEAL_NOT_OPERATOR"
    assert code(NotFound, appeal, case["case_id"], "sub_" + "f" * 40) == "SUBJECT_NOT_FOUND"
    clock.set_source((START + timedelta(days=184)).timestamp)
    with pytest.raises(Conflict) as late:
        appeal(case["case_id"], subject_id)
    assert late.value.error_code == "APPEAL_WINDOW_CLOSED"
    assert late.value.details["article"] == "PA2020-20"


def test_a_decision_without_dispositions_cannot_be_appealed(memory):
    subject_id = memory.subject(T)
    receipt = report()
    decide(receipt["case_id"])
    assert code(Conflict, appeal, receipt["case_id"], subject_id) == "APPEAL_NOT_APPEALABLE"
    assert code(NotFound, appeals.get, T, "apl_missing") == "APPEAL_NOT_FOUND"


# -- one pending appeal, decided once, overturning revoking in the same transaction -----------------------

def test_one_appeal_is_pending_at_a_time_and_an_overturning_revokes_every_disposition_once(memory):
    subject_id = memory.subject(T)
    case = disposed_case(subject_id, "acct-z")
    filed = appeal(case["case_id"], subject_id)
    assert sorted(filed["disposition_ids"]) == sorted(case["decision"]["disposition_ids"])
    assert code(Conflict, appeal, case["case_id"], subject_id) == "APPEAL_PENDING"
    assert [a["appeal_id"] for a in appeals.listing(T, "PENDING", 50, None)["items"]] == [filed["appeal_id"]]
    decided = appeals.decide(T, filed["appeal_id"], {"outcome": "OVERTURNED", "statement": "核实为盗号。"}, "mod-1")
    assert sorted(decided["reversed"]) == sorted(case["decision"]["disposition_ids"])
    assert decided["notice"] == {"status": "NOT_CONFIGURED"} and decided["decided_by"] == "mod-1"
    for disposition_id in case["decision"]["disposition_ids"]:
        revoked = dispositions.get(T, disposition_id)
        assert revoked["status"] == "REVOKED" and filed["appeal_id"] in revoked["revoked_reason"]
    assert memory.events().count("disposition.revoke") == 2
    assert code(Conflict, appeals.decide, T, filed["appeal_id"], {"outcome": "UPHELD", "statement": "x"}) == (
        "APPEAL_DECIDED")
    assert code(Conflict, appeal, case["case_id"], subject_id) == "APPEAL_NOT_APPEALABLE"
