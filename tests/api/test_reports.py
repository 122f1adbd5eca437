"""Reports: receipts, one case per target, deadlines, decisions with feedback, misuse screening."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from chalicelib.core import clock
from tests.builders import GROUND, decide, report, sweep, verified_subject


def at(hours: float) -> None:
    later = datetime.now(timezone.utc) + timedelta(hours=hours)
    clock.set_source(later.timestamp)


def test_a_report_gets_a_receipt_with_its_deadline_and_the_reporter_can_follow_it(api, tenant):
    # GIVEN a rumour report WHEN it is filed
    receipt = report(api, tenant.key, category="RUMOUR")
    # THEN the receipt names the case, the 24-hour rumour deadline and how to follow it
    assert receipt.status_code == 201, receipt.json
    body = receipt.json
    assert body["deadline"] == {"category": "RUMOUR", "rule": "RUMOUR", "hours": 24, "own_due_at": body["due_at"],
                                "article": "PA2020-20"}
    received = datetime.fromisoformat(body["received_at"].replace("Z", "+00:00"))
    assert body["due_at"] == (received + timedelta(hours=24)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert body["priority"] == "NORMAL" and body["screening"] is None and body["joined_open_case"] is False
    status = api.call("GET", body["status_url"], key=tenant.key)
    assert status.status_code == 200 and status.json["status"] == "RECEIVED" and status.json["feedback"] is None
    # a wrong token sees nothing
    wrong = api.call("GET", f"/v1/reports/{body['report_id']}?token=trk_wrong", key=tenant.key)
    assert (wrong.status_code, wrong.json["error"]["code"]) == (404, "REPORT_NOT_FOUND")


def test_categories_without_their_own_deadline_take_the_default_and_policy_changes_it(api, tenant):
    assert report(api, tenant.key, category="SPAM").json["deadline"]["hours"] == 168
    patch = {"reports": {"due_hours": {"SPAM": 12}}}
    assert api.call("PUT", "/v1/policy", key=tenant.key, body=patch).status_code == 200
    assert report(api, tenant.key, "post-2", category="SPAM").json["deadline"]["hours"] == 12
    assert report(api, tenant.key, "post-3", category="INFRINGEMENT").json["deadline"]["rule"] == "DEFAULT"


def test_reports_on_one_target_join_one_case_due_at_its_most_urgent_deadline(api, tenant):
    first = report(api, tenant.key, category="SPAM", reporter={"account_id": "r-1"}).json
    second = report(api, tenant.key, category="RUMOUR", reporter={"account_id": "r-2"}).json
    third = report(api, tenant.key, category="SPAM", reporter={"anonymous": True}).json
    assert first["case_id"] == second["case_id"] == third["case_id"]
    assert (second["joined_open_case"], third["joined_open_case"]) == (True, True)
    case = api.call("GET", f"/v1/cases/{first['case_id']}", key=tenant.key).json
    assert (case["reports"], case["category"], case["categories"]) == (3, "RUMOUR", {"RUMOUR": 1, "SPAM": 2})
    assert case["due_at"] == second["due_at"] < first["due_at"]
    other = report(api, tenant.key, "post-elsewhere").json
    assert other["case_id"] != first["case_id"]
    listed = api.call("GET", "/v1/cases", key=tenant.key).json["items"]
    assert [c["case_id"] for c in listed] == [first["case_id"], other["case_id"]]  # earliest deadline first
    rumours = api.call("GET", "/v1/cases?category=RUMOUR", key=tenant.key).json["items"]
    assert [c["case_id"] for c in rumours] == [first["case_id"]]


def test_the_same_idempotency_key_gives_the_same_receipt_and_no_second_report(api, tenant):
    headers = {"Idempotency-Key": "rep-1"}
    first = report(api, tenant.key, headers=headers)
    again = report(api, tenant.key, headers=headers)
    assert first.status_code == again.status_code == 201 and first.json == again.json
    case = api.call("GET", f"/v1/cases/{first.json['case_id']}", key=tenant.key).json
    assert case["reports"] == 1
    different = report(api, tenant.key, "post-other", headers=headers)
    assert (different.status_code, different.json["error"]["code"]) == (422, "IDEMPOTENCY_KEY_REUSED")


def test_a_reporter_over_the_window_limit_is_told_to_retry_later(api, tenant):
    api.call("PUT", "/v1/policy", key=tenant.key,
             body={"reports": {"reporter_limit": {"limit": 2, "window_minutes": 60}}})
    assert [report(api, tenant.key, f"p-{n}").status_code for n in range(2)] == [201, 201]
    refused = report(api, tenant.key, "p-3")
    assert (refused.status_code, refused.json["error"]["code"]) == (429, "REPORT_RATE_LIMITED")
    assert int(refused.headers["Retry-After"]) > 0 and refused.json["error"]["details"]["article"] == "PA2020-20"
    assert report(api, tenant.key, "p-3", reporter={"account_id": "someone-else"}).status_code == 201


def test_an_anonymous_reporters_contact_is_sealed_and_masked(api, tenant, backend):
    receipt = report(api, tenant.key, reporter={"anonymous": True, "contact": "13912345678"}).json
    listed = api.call("GET", f"/v1/cases/{receipt['case_id']}/reports", key=tenant.key).json["items"]
    assert listed[0]["contact_masked"] == "********678" and "reporter_account_id" not in listed[0]
    from chalicelib.core import stores

    stored = stores.main_table().get({"PK": f"T#{tenant.tenant_id}#REPORT#{receipt['report_id']}", "SK": "REPORT"})
    assert "13912345678" not in str(stored)


def test_a_decision_answers_every_reporter_and_closes_the_case(api, tenant):
    receipts = [report(api, tenant.key, reporter={"account_id": f"r-{n}"}).json for n in range(3)]
    anonymous = report(api, tenant.key, reporter={"anonymous": True}).json
    case_id = receipts[0]["case_id"]
    decided = decide(api, tenant.key, case_id)
    assert decided.status_code == 200, decided.json
    assert decided.json["status"] == "DECIDED" and decided.json["effects_status"] == "COMPLETE"
    assert decided.json["feedback"] == {"reports": 4, "answered": 4}
    assert decided.json["webhook"] == {"status": "NOT_CONFIGURED"}
    for n, receipt in enumerate(receipts):
        items = api.call("GET", f"/v1/reporters/r-{n}/feedback", key=tenant.key).json["items"]
        assert [(i["kind"], i["report_id"], i["outcome"]) for i in items] == [
            ("FEEDBACK", receipt["report_id"], "NO_VIOLATION")]
    seen = api.call("GET", anonymous["status_url"], key=tenant.key).json
    assert seen["status"] == "DECIDED" and seen["feedback"]["statement"] == "经核查，未发现违规。"
    assert seen["feedback_seen_at"] is not None
    proof = api.call("GET", f"/v1/cases/{case_id}/reports", key=tenant.key).json["items"]
    assert len(proof) == 4 and all(r["feedback_at"] for r in proof)
    assert [bool(r.get("feedback_seen_at")) for r in proof].count(True) == 1
    # a new report on the same target opens a new case
    assert report(api, tenant.key, reporter={"account_id": "r-9"}).json["case_id"] != case_id
    # the same decision again is answered as it stands; a different one is refused
    assert decide(api, tenant.key, case_id).json["decision"] == decided.json["decision"]
    refused = decide(api, tenant.key, case_id, outcome="VIOLATION")
    assert (refused.status_code, refused.json["error"]["code"]) == (409, "CASE_DECIDED")
    events = [e["type"] for e in api.call("GET", "/v1/audit", key=tenant.key).json["items"]]
    assert events.count("report.receive") == 5 and "case.decide" in events and "case.feedback" in events


def test_a_violation_applies_its_dispositions_in_the_same_step(api, tenant):
    subject_id, _ = verified_subject(api, tenant.key)
    receipt = report(api, tenant.key, "acct-bad", target_type="ACCOUNT").json
    disposition = {"target": {"type": "ACCOUNT", "id": "acct-bad"}, "type": "SUSPEND_PUBLISHING",
                   "ground": GROUND, "statement": "刷屏", "automated": False, "subject_id": subject_id,
                   "duration_hours": 72}
    decided = decide(api, tenant.key, receipt["case_id"], outcome="VIOLATION", dispositions=[disposition]).json
    (disposition_id,) = decided["decision"]["disposition_ids"]
    applied = api.call("GET", f"/v1/dispositions/{disposition_id}", key=tenant.key).json
    assert applied["case_id"] == receipt["case_id"] and applied["status"] == "ACTIVE"
    restrictions = api.call("GET", "/v1/accounts/acct-bad/restrictions", key=tenant.key).json
    assert restrictions["restricted"] == ["PUBLISH"]


def test_a_bad_decision_writes_nothing(api, tenant):
    receipt = report(api, tenant.key).json
    unknown = {"target": {"type": "SUBJECT", "id": "sub_" + "0" * 40}, "type": "WARNING", "ground": GROUND,
               "statement": "x", "automated": False}
    refused = decide(api, tenant.key, receipt["case_id"], outcome="VIOLATION", dispositions=[unknown])
    assert refused.status_code == 404
    contradictory = decide(api, tenant.key, receipt["case_id"], outcome="NO_VIOLATION",
                           dispositions=[{**unknown, "target": {"type": "ACCOUNT", "id": "a"}}])
    assert (contradictory.status_code, contradictory.json["error"]["code"]) == (422, "DISPOSITIONS_WITHOUT_VIOLATION")
    case = api.call("GET", f"/v1/cases/{receipt['case_id']}", key=tenant.key).json
    assert case["status"] == "OPEN" and "decision" not in case


def test_an_interrupted_decision_is_finished_by_repeating_it_or_by_the_sweep(api, tenant, monkeypatch):
    from chalicelib.reports import reporters

    receipts = [report(api, tenant.key, reporter={"account_id": f"r-{n}"}).json for n in range(2)]
    case_id = receipts[0]["case_id"]
    real = reporters.record_feedback

    def crash(*args, **kwargs):
        raise TimeoutError("the function ran out of time")

    monkeypatch.setattr(reporters, "record_feedback", crash)
    assert decide(api, tenant.key, case_id).status_code == 500
    case = api.call("GET", f"/v1/cases/{case_id}", key=tenant.key).json
    assert case["status"] == "DECIDED" and case["effects_status"] == "PENDING"
    monkeypatch.setattr(reporters, "record_feedback", real)
    assert sweep()["finished"] == 1
    case = api.call("GET", f"/v1/cases/{case_id}", key=tenant.key).json
    assert case["effects_status"] == "COMPLETE" and case["feedback"] == {"reports": 2, "answered": 2}
    assert sweep()["finished"] == 0
    items = api.call("GET", "/v1/reporters/r-0/feedback", key=tenant.key).json
    assert len(items["items"]) == 1 and items["record"]["decided"] == 1  # counted once, not twice


def test_the_sweep_marks_breached_cases_and_lists_them(api, tenant):
    urgent = report(api, tenant.key, "post-urgent", category="RUMOUR").json
    report(api, tenant.key, "post-slow", category="SPAM")
    at(hours=25)
    assert sweep()["breached"] == 1
    assert sweep()["breached"] == 0  # marked once
    breached = api.call("GET", "/v1/cases?status=BREACHED", key=tenant.key).json["items"]
    assert [c["case_id"] for c in breached] == [urgent["case_id"]] and breached[0]["breached_at"]
    assert breached[0]["overdue"] is True
    decided = decide(api, tenant.key, urgent["case_id"]).json
    assert decided["decision"]["late"] is True


def test_stats_give_counts_and_median_hours_to_decision_per_category(api, tenant):
    for n, category in enumerate(["RUMOUR", "RUMOUR", "SPAM"]):
        report(api, tenant.key, f"post-{n}", category=category)
    cases = api.call("GET", "/v1/cases", key=tenant.key).json["items"]
    at(hours=2)
    decide(api, tenant.key, cases[0]["case_id"], outcome="VIOLATION")
    at(hours=30)
    decide(api, tenant.key, cases[1]["case_id"])
    stats = api.call("GET", "/v1/cases/stats", key=tenant.key).json
    rumour = stats["categories"]["RUMOUR"]
    assert (rumour["decided"], rumour["decided_late"], rumour["violations"], rumour["open"]) == (2, 1, 1, 0)
    assert 15.9 < rumour["median_hours_to_decision"] < 16.1 and rumour["on_time_share"] == 0.5
    assert stats["categories"]["SPAM"]["open"] == 1 and stats["totals"]["decided"] == 2
    backwards = api.call("GET", "/v1/cases/stats?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", key=tenant.key)
    assert (backwards.status_code, backwards.json["error"]["code"]) == (400, "RANGE_INVALID")


def test_malicious_reporting_escalates_from_warning_to_restriction_never_to_silence(api, tenant):
    api.call("PUT", "/v1/policy", key=tenant.key,
             body={"reports": {"misuse": {"min_decided": 2, "unfounded_share": 0.5, "restriction_days": 7}}})
    troll = {"account_id": "troll"}

    def unfounded_report(n: int) -> dict:
        receipt = report(api, tenant.key, f"victim-{n}", reporter=troll).json
        decide(api, tenant.key, receipt["case_id"])
        return receipt

    unfounded_report(1)
    assert api.call("GET", "/v1/reporters/troll/feedback", key=tenant.key).json["record"]["warned_at"] is None
    unfounded_report(2)
    record = api.call("GET", "/v1/reporters/troll/feedback", key=tenant.key).json
    assert record["record"]["warned_at"] and "WARN" in {i["kind"] for i in record["items"]}
    unfounded_report(3)
    record = api.call("GET", "/v1/reporters/troll/feedback", key=tenant.key).json
    assert record["record"]["restricted_until"] and "RESTRICT" in {i["kind"] for i in record["items"]}
    # restricted: still received and stored, flagged LOW, and told so
    kept = report(api, tenant.key, "victim-4", reporter=troll)
    assert kept.status_code == 201 and kept.json["priority"] == "LOW"
    screening = kept.json["screening"]
    assert screening["reason"] == "REPORTER_RESTRICTED" and screening["article"] == "PA2017-15"
    case = api.call("GET", f"/v1/cases/{kept.json['case_id']}", key=tenant.key).json
    assert case["priority"] == "LOW"
    # an ordinary reporter joining makes the case NORMAL again
    report(api, tenant.key, "victim-4", reporter={"account_id": "citizen"})
    assert api.call("GET", f"/v1/cases/{kept.json['case_id']}", key=tenant.key).json["priority"] == "NORMAL"


def test_bad_report_bodies_are_400(api, tenant):
    both = {"account_id": "a", "anonymous": True}
    assert report(api, tenant.key, reporter=both).status_code == 400
    assert report(api, tenant.key, category="NOT_A_CATEGORY").status_code == 400
    assert report(api, tenant.key, evidence=[{"url": "javascript:alert(1)"}]).status_code == 400
    assert api.call("GET", "/v1/cases?status=CLOSED", key=tenant.key).status_code == 400
