"""A REVIEW goes somewhere (MB2018-12, PA2020-8, PA2020-13, PA2020-20): a check that names its
object opens one CHECK case on it, due per policy reviews.due_hours; APPROVE clears exactly what
was checked, REJECT disposes as for reports."""

from __future__ import annotations

from datetime import datetime

from chalicelib.core import clock
from chalicelib.reports import cases
from tests.builders import decide, report

TERMS = {"items": [{"term": "代购", "category": "OTHER_PROHIBITED", "action": "REVIEW"}]}
ACCOUNT = {"object_type": "ACCOUNT", "object_id": "acct-1", "account_id": "acct-1"}


def name_check(api, key, text="海外代购", review=None, field="account_name"):
    body = {"text": text, "field": field, **({"review": review} if review else {})}
    answer = api.call("POST", "/v1/names/check", key=key, body=body)
    assert answer.status_code == 200, answer.json
    return answer.json


def low_quality_avatar(api, key, review):
    """An avatar check answering REVIEW (quality below avatars.min_quality), without a lexicon to build."""
    answer = api.call("POST", "/v1/avatars/check", key=key, body={"pdq": "f" * 64, "quality": 10, "review": review})
    assert answer.status_code == 200, answer.json
    return answer.json


def case_of(api, key, case_id):
    return api.call("GET", f"/v1/cases/{case_id}", key=key).json


def test_a_review_opens_one_case_per_object_with_the_hits_as_evidence(api, tenant):
    api.call("POST", "/v1/names/terms", key=tenant.key, body=TERMS)
    # GIVEN a name check without an object WHEN it answers REVIEW THEN it is answered as before: no case
    plain = name_check(api, tenant.key)
    assert plain["decision"] == "REVIEW" and "case_id" not in plain and "review" not in plain
    # WHEN it names its object THEN a CHECK case is opened, due per reviews.due_hours (DEFAULT 48)
    first = name_check(api, tenant.key, review=ACCOUNT)
    assert first["review"]["status"] == "OPENED"
    case = case_of(api, tenant.key, first["case_id"])
    assert (case["source"], case["status"], case["target"], case["checks"]) == (
        "CHECK", "OPEN", {"type": "ACCOUNT", "id": "acct-1"}, 1)
    opened = datetime.fromisoformat(case["opened_at"].replace("Z", "+00:00"))
    due = datetime.fromisoformat(case["due_at"].replace("Z", "+00:00"))
    assert (due - opened).total_seconds() == 48 * 3600 and case["deadline_rule"] == "DEFAULT"
    (evidence,) = case["evidence"]
    assert evidence["kind"] == "NAME" and evidence["hits"][0]["term"] == "代购" and evidence["hits_total"] == 1
    assert case["category"] == "OTHER_PROHIBITED" and case["reports"] == 0
    # AND a second check of the object joins it; an avatar check of the same account adds its own evidence
    again = name_check(api, tenant.key, review=ACCOUNT)
    assert (again["case_id"], again["review"]["status"]) == (first["case_id"], "JOINED")
    avatar = low_quality_avatar(api, tenant.key, ACCOUNT)
    assert avatar["decision"] == "REVIEW" and avatar["case_id"] == first["case_id"]
    case = case_of(api, tenant.key, first["case_id"])
    assert case["checks"] == 3 and [e["kind"] for e in case["evidence"]] == ["AVATAR", "NAME"]
    # AND another object gets its own case; a reported object's REPORT case stays apart
    other = name_check(api, tenant.key, review={"object_type": "ACCOUNT", "object_id": "acct-2"})
    assert other["case_id"] != first["case_id"]
    reported = report(api, tenant.key, "acct-1", target_type="ACCOUNT").json
    assert reported["case_id"] not in (first["case_id"], other["case_id"])
    listed = api.call("GET", "/v1/cases?source=CHECK", key=tenant.key).json["items"]
    assert {c["case_id"] for c in listed} == {first["case_id"], other["case_id"]}
    assert [c["case_id"] for c in api.call("GET", "/v1/cases?source=REPORT", key=tenant.key).json["items"]] == [
        reported["case_id"]]
    assert api.call("GET", "/v1/cases?category=OTHER_PROHIBITED&source=CHECK", key=tenant.key).json["items"]


def test_a_careless_review_object_is_refused_before_anything_is_checked(api, tenant):
    for review in ({"object_type": "ACCOUNT", "object_id": "a#b"}, {"object_type": "SUBJECT", "object_id": "x"},
                   {"object_type": "ACCOUNT"}, {**ACCOUNT, "extra": 1}):
        answer = api.call("POST", "/v1/names/check", key=tenant.key,
                          body={"text": "海外代购", "field": "nickname", "review": review})
        assert answer.status_code == 400, review
    assert api.call("GET", "/v1/cases?source=CHECK", key=tenant.key).json["items"] == []


def test_approving_clears_exactly_what_was_checked_until_other_entries_match(api, tenant):
    api.call("POST", "/v1/names/terms", key=tenant.key, body=TERMS)
    opened = name_check(api, tenant.key, review=ACCOUNT)
    # GIVEN the outcomes of a report case WHEN a CHECK case is decided with one THEN 422, nothing decided
    wrong = decide(api, tenant.key, opened["case_id"], outcome="NO_VIOLATION")
    assert (wrong.status_code, wrong.json["error"]["code"]) == (422, "OUTCOME_NOT_FOR_SOURCE")
    approved = decide(api, tenant.key, opened["case_id"], outcome="APPROVE", statement="正常代购业务，已核实。")
    assert approved.status_code == 200, approved.json
    # THEN the same text for the same object checks PASS, saying why, with the hits still shown
    cleared = name_check(api, tenant.key, review=ACCOUNT)
    assert (cleared["decision"], cleared["review"]) == ("PASS", {"status": "CLEARED", "reason": "APPROVED_BY_REVIEW"})
    assert cleared["case_id"] == opened["case_id"] and cleared["hits"]
    # AND a lexicon change that matches nothing new keeps it cleared
    api.call("POST", "/v1/names/terms", key=tenant.key,
             body={"items": [{"term": "无关词", "category": "OTHER_PROHIBITED", "action": "REVIEW"}]})
    assert name_check(api, tenant.key, review=ACCOUNT)["decision"] == "PASS"
    # BUT other text, another object, or another field is not what was approved
    assert name_check(api, tenant.key, "海外代购店", review=ACCOUNT)["review"]["status"] == "OPENED"
    assert name_check(api, tenant.key, review={"object_type": "ACCOUNT", "object_id": "acct-9"})["decision"] == "REVIEW"
    assert name_check(api, tenant.key, field="nickname", review=ACCOUNT)["decision"] == "REVIEW"
    # AND once another entry matches the approved text, it is reviewed again
    api.call("POST", "/v1/names/terms", key=tenant.key,
             body={"items": [{"term": "海外", "category": "OTHER_PROHIBITED", "action": "REVIEW"}]})
    assert name_check(api, tenant.key, review=ACCOUNT)["decision"] == "REVIEW"


def test_rejecting_disposes_as_for_reports_with_the_statement_of_reasons(api, tenant):
    api.call("POST", "/v1/names/terms", key=tenant.key,
             body={"items": [{"term": "蓝莓兼职", "category": "EXTORTION_FRAUD", "action": "REVIEW"}]})
    post = {"object_type": "CONTENT", "object_id": "post-77", "account_id": "acct-5"}
    checked = api.call("POST", "/v1/content/check", key=tenant.key,
                       body={"text": "专业蓝莓兼职，联系我", "review": post}).json
    assert checked["decision"] == "REVIEW" and checked["review"]["status"] == "OPENED"
    case = case_of(api, tenant.key, checked["case_id"])
    assert case["category"] == "FRAUD" and case["target_account_id"] == "acct-5"
    disposition = {"target": {"type": "ACCOUNT", "id": "acct-5"}, "type": "WARNING", "automated": False,
                   "ground": {"article": "BJ2011-10(11)", "category": "EXTORTION_FRAUD"}, "statement": "发布违规广告"}
    # GIVEN a decision on the platform's rules that forgets the rule THEN 422, nothing disposed
    forgot = decide(api, tenant.key, checked["case_id"], outcome="REJECT", decision_ground="PLATFORM_RULES",
                    dispositions=[disposition])
    assert (forgot.status_code, forgot.json["error"]["code"]) == (422, "PLATFORM_RULE_REQUIRED")
    # WHEN it is decided REJECT by a named moderator
    decided = api.call("POST", f"/v1/cases/{checked['case_id']}/decision", key=tenant.key,
                       headers={"X-Actor": "mod-zhang"},
                       body={"outcome": "REJECT", "statement": "违规广告", "ground": "BJ2011-10",
                             "decision_ground": "PLATFORM_RULES", "platform_rule_id": "ads/2.1",
                             "dispositions": [disposition]})
    assert decided.status_code == 200, decided.json
    # THEN the decision and its disposition carry the statement of reasons
    decision = decided.json["decision"]
    expected = {"decision_ground": "PLATFORM_RULES", "platform_rule_id": "ads/2.1", "automated_detection": True,
                "automated_decision": "NOT", "source_type": "CHECK", "content_type": "TEXT", "decided_by": "mod-zhang"}
    assert {k: decision[k] for k in expected} == expected
    (disposition_id,) = decision["disposition_ids"]
    stored = api.call("GET", f"/v1/dispositions/{disposition_id}", key=tenant.key).json
    assert {k: stored[k] for k in expected} == expected
    # AND the object's next REVIEW opens a new case: a rejection clears nothing
    again = api.call("POST", "/v1/content/check", key=tenant.key, body={"text": "专业蓝莓兼职，联系我", "review": post})
    assert again.json["case_id"] != checked["case_id"] and again.json["review"]["status"] == "OPENED"


def test_a_check_joining_while_the_case_is_decided_makes_the_decision_read_again(api, tenant, monkeypatch):
    opened = low_quality_avatar(api, tenant.key, ACCOUNT)
    stale = cases.require(tenant.tenant_id, opened["case_id"])
    # GIVEN the moderator read the case, and then another check of the object joined it
    low_quality_avatar(api, tenant.key, ACCOUNT)
    monkeypatch.setattr(cases, "require", lambda tenant_id, case_id: stale)
    # WHEN the decision is made on what was read THEN it is refused, nothing written
    refused = decide(api, tenant.key, opened["case_id"], outcome="APPROVE")
    assert (refused.status_code, refused.json["error"]["code"]) == (409, "CASE_CHANGED")
    monkeypatch.undo()
    assert case_of(api, tenant.key, opened["case_id"])["status"] == "OPEN"


def test_deadlines_by_scene_the_one_overdue_rule_and_figures_per_source(api, tenant):
    api.call("PUT", "/v1/policy", key=tenant.key, body={"reviews": {"due_hours": {"avatar": 1}}})
    on_time = low_quality_avatar(api, tenant.key, ACCOUNT)
    late = low_quality_avatar(api, tenant.key, {"object_type": "ACCOUNT", "object_id": "acct-2"})
    due = case_of(api, tenant.key, on_time["case_id"])["due_at"]
    assert case_of(api, tenant.key, on_time["case_id"])["deadline_rule"] == "avatar"
    # GIVEN the clock exactly at the deadline: met, not overdue (reports.rules.is_overdue)
    clock.set_source(datetime.fromisoformat(due.replace("Z", "+00:00")).timestamp)
    assert api.call("GET", "/v1/cases?status=BREACHED&source=CHECK", key=tenant.key).json["items"] == []
    assert decide(api, tenant.key, on_time["case_id"], outcome="APPROVE").json["decision"]["late"] is False
    # WHEN a second passes its own deadline THEN the other case is breached, and deciding it now is late
    late_due = case_of(api, tenant.key, late["case_id"])["due_at"]
    clock.set_source(lambda: datetime.fromisoformat(late_due.replace("Z", "+00:00")).timestamp() + 1)
    breached = api.call("GET", "/v1/cases?status=BREACHED", key=tenant.key).json["items"]
    assert [c["case_id"] for c in breached] == [late["case_id"]] and breached[0]["overdue"] is True
    assert decide(api, tenant.key, late["case_id"], outcome="APPROVE").json["decision"]["late"] is True
    # THEN the figures count the source and break decisions down by their statement of reasons
    stats = api.call("GET", "/v1/cases/stats", key=tenant.key).json
    assert (stats["sources"]["CHECK"]["decided"], stats["sources"]["CHECK"]["decided_late"]) == (2, 1)
    reasons = stats["statement_of_reasons"]
    assert reasons["source_type"]["CHECK"] == 2 and reasons["automated_detection"]["true"] == 2
    assert reasons["content_type"]["IMAGE"] == 2 and reasons["decision_ground"]["PLATFORM_RULES"] == 0
