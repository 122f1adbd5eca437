"""Reports over HTTP: receipts and tokens, idempotency, the rate limit's 429, sealed contacts, decisions with
feedback and their faults. The rules (one case per target, deadlines, the breach sweep, stats, misuse
screening) are tested on the in-memory stores in tests/unit/test_reports_use_cases.py."""

from __future__ import annotations

from datetime import datetime, timedelta

from tests.builders import GROUND, decide, report, sweep, verified_subject


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


def test_bad_report_bodies_are_400(api, tenant):
    both = {"account_id": "a", "anonymous": True}
    assert report(api, tenant.key, reporter=both).status_code == 400
    assert report(api, tenant.key, category="NOT_A_CATEGORY").status_code == 400
    assert report(api, tenant.key, evidence=[{"url": "javascript:alert(1)"}]).status_code == 400
    assert api.call("GET", "/v1/cases?status=CLOSED", key=tenant.key).status_code == 400
