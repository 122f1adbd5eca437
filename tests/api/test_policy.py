"""GET/PUT /v1/policy: effective values, RFC 7396 patches, validation, optimistic concurrency."""

from __future__ import annotations

from chalicelib.core.policy_rules import DEFAULTS


def test_a_new_tenant_sees_the_documented_defaults(api, tenant):
    response = api.call("GET", "/v1/policy", key=tenant.key)
    assert response.status_code == 200
    assert response.json["policy"] == DEFAULTS == response.json["defaults"]
    assert (response.json["version"], response.json["overrides"]) == (0, {})
    assert response.headers["ETag"] == '"0"'


def test_a_merge_patch_changes_one_value_and_null_restores_the_default(api, tenant):
    changed = api.call("PUT", "/v1/policy", key=tenant.key, body={"retention": {"log_days": 365}})
    assert changed.status_code == 200
    assert changed.json["policy"]["retention"]["log_days"] == 365
    assert changed.json["policy"]["requests"] == DEFAULTS["requests"]
    assert api.call("GET", "/v1/policy", key=tenant.key).json["version"] == 1

    restored = api.call("PUT", "/v1/policy", key=tenant.key, body={"retention": None},
                        headers={"Content-Type": "application/merge-patch+json"})
    assert restored.status_code == 200
    assert restored.json["policy"] == DEFAULTS
    assert (restored.json["overrides"], restored.json["version"]) == ({}, 2)


def test_an_invalid_result_is_refused_and_nothing_is_stored(api, tenant):
    refused = api.call("PUT", "/v1/policy", key=tenant.key, body={"retention": {"log_days": 90}})
    assert refused.status_code == 400
    assert refused.json["error"]["details"]["errors"][0]["path"] == "$.retention.log_days"
    assert api.call("GET", "/v1/policy", key=tenant.key).json["version"] == 0


def test_if_match_guards_against_lost_updates(api, tenant):
    api.call("PUT", "/v1/policy", key=tenant.key, body={"retention": {"log_days": 200}})
    stale = api.call("PUT", "/v1/policy", key=tenant.key, body={"retention": {"log_days": 300}},
                     headers={"If-Match": '"0"'})
    assert (stale.status_code, stale.json["error"]["code"]) == (412, "PRECONDITION_FAILED")
    assert stale.json["error"]["details"]["current_version"] == 1
    fresh = api.call("PUT", "/v1/policy", key=tenant.key, body={"retention": {"log_days": 300}},
                     headers={"If-Match": '"1"'})
    assert (fresh.status_code, fresh.json["version"]) == (200, 2)
    bad = api.call("PUT", "/v1/policy", key=tenant.key, body={}, headers={"If-Match": "soon"})
    assert (bad.status_code, bad.json["error"]["code"]) == (400, "IF_MATCH_INVALID")
