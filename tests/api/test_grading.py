"""Graded account management (MB2018-9, PA2020-7, PA2020-15): grade, services and the reasons."""

from __future__ import annotations

from tests.builders import registered, subject


def register_with_profile(api, key, subject_id, **profile):
    return registered(api, key, subject_id, "示例资讯号", profile={
        "registration_place": "北京市", "operation_place": "北京市", "content_types": ["NEWS"],
                                                                   "contact": "13912345678",
        **profile})


def test_a_grade_follows_audience_credit_and_violations_with_reasons(api, tenant):
    account = register_with_profile(api, tenant.key, subject(api, tenant.key))
    assert account["profile"]["contact_masked"] == "********678" and "contact" not in account["profile"]
    path = f"/v1/accounts/{account['account_id']}/grade"
    small = api.call("GET", path, key=tenant.key).json
    assert small["grade"] == "C" and small["services"] == ["PUBLISH", "COMMENT"]
    assert [p["grade"] for p in small["passed_over"]] == ["A", "B"]
    assert small["passed_over"][1]["unmet"] == [{"condition": "min_followers", "required": 10000, "actual": 0}]
    api.call("POST", "/v1/metrics", key=tenant.key, body={"points": [
        {"account_id": account["account_id"], "metric": "FOLLOWERS", "at": "2026-11-20T00:00:00Z", "value": 50_000}]})
    assert api.call("GET", path, key=tenant.key).json["grade"] == "B"
    for _ in range(2):
        api.call("POST", "/v1/dispositions", key=tenant.key, body={
            "target": {"type": "ACCOUNT", "id": account["account_id"]}, "type": "WARNING", "automated": False,
            "statement": "违规转载", "ground": {"article": "PA2020-7", "category": "UNLICENSED_NEWS"}})
    graded = api.call("GET", path, key=tenant.key).json
    assert graded["grade"] == "C" and graded["inputs"]["violations"] == 2
    assert {"condition": "max_violations", "required": 1, "actual": 2} in graded["passed_over"][1]["unmet"]


def test_the_rule_set_is_the_tenants_policy(api, tenant):
    rules = {"grading": {"grades": [
        {"grade": "OFFICIAL", "subject_types": ["STATE_ORGAN"], "services": ["PUBLISH", "V_BADGE"]},
        {"grade": "NO_NEWS", "excluded_content_types": ["NEWS"], "services": ["PUBLISH"]},
        {"grade": "RESTRICTED", "services": []}]}}
    assert api.call("PUT", "/v1/policy", key=tenant.key, body=rules).status_code == 200
    account = register_with_profile(api, tenant.key, subject(api, tenant.key))
    graded = api.call("GET", f"/v1/accounts/{account['account_id']}/grade", key=tenant.key).json
    assert (graded["grade"], graded["services"]) == ("RESTRICTED", [])
    assert graded["passed_over"][1]["unmet"][0]["actual"] == ["NEWS"]
