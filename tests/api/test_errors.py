"""Bad input gets a clear 4xx in the error envelope; a real failure gets INTERNAL, never Chalice's 500."""

from __future__ import annotations

import pytest

from chalicelib.core import policy
from chalicelib.core.config import HARD_BODY_LIMIT_BYTES


def assert_envelope(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.body
    error = response.json["error"]
    assert set(error) == {"code", "message", "message_zh", "details"}
    assert error["code"] == code
    assert response.headers["X-Request-Id"]
    return error


@pytest.mark.parametrize("raw", [b"{bad", b"[1,", b'{"a": NaN}', b"\xff\xfe", b"   "])
def test_malformed_json_is_a_400(api, tenant, raw):
    error = assert_envelope(api.call("PUT", "/v1/policy", key=tenant.key, raw=raw,
                                     headers={"Content-Type": "application/json"}), 400,
                            "MALFORMED_JSON" if raw.strip() else "BODY_REQUIRED")
    assert error["message"]


def test_a_schema_violation_says_where(api, tenant):
    error = assert_envelope(api.call("PUT", "/v1/policy", key=tenant.key, body={"unknown": {}}), 400,
                            "SCHEMA_VIOLATION")
    assert error["details"]["schema"] == "policy_patch.json"
    assert error["details"]["errors"][0]["path"] == "$"


def test_the_wrong_content_type_is_a_415(api, tenant):
    assert_envelope(api.call("PUT", "/v1/policy", key=tenant.key, raw=b"a=b",
                             headers={"Content-Type": "application/x-www-form-urlencoded"}), 415,
                    "UNSUPPORTED_MEDIA_TYPE")


def test_a_body_over_the_tenants_limit_is_a_413(api, tenant):
    api.call("PUT", "/v1/policy", key=tenant.key, body={"requests": {"max_body_bytes": 2048}})
    big = {"requests": {"max_body_bytes": 4096}, "pad": "x" * 3000}
    error = assert_envelope(api.call("PUT", "/v1/policy", key=tenant.key, body=big), 413, "PAYLOAD_TOO_LARGE")
    assert error["details"]["limit_bytes"] == 2048


def test_a_body_over_the_hard_limit_is_refused_before_authentication(api):
    raw = b"[" + b"0," * (HARD_BODY_LIMIT_BYTES // 2) + b"0]"
    assert_envelope(api.call("PUT", "/v1/policy", key="ck_" + "x" * 40, raw=raw), 413, "PAYLOAD_TOO_LARGE")


def test_an_unsupported_method_is_a_405_listing_the_allowed_ones(api):
    response = api.call("POST", "/v1/health")
    assert_envelope(response, 405, "METHOD_NOT_ALLOWED")
    assert response.headers["Allow"] == "GET"


def test_an_internal_failure_is_the_envelope_with_a_request_id(api, tenant, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(policy, "current", explode)
    response = api.call("GET", "/v1/policy", key=tenant.key)
    error = assert_envelope(response, 500, "INTERNAL")
    assert error["details"]["request_id"] == response.headers["X-Request-Id"]
    assert "boom" not in response.body.decode()


def test_a_handler_answer_that_breaks_its_schema_is_caught_in_dev(api, tenant, monkeypatch):
    view = policy.current("acme")
    monkeypatch.setattr(policy, "current", lambda tenant_id: policy.PolicyView(tenant_id, -1, None, {}, view.effective))
    assert_envelope(api.call("GET", "/v1/policy", key=tenant.key), 500, "INTERNAL")


def test_a_data_store_outage_is_a_503(api, tenant):
    from botocore.exceptions import ClientError

    from chalicelib.core import aws

    def throttled(**kwargs):
        raise ClientError({"Error": {"Code": "ThrottlingException", "Message": "slow down"}}, "GetItem")

    api.call("GET", "/v1/policy", key=tenant.key)
    policy.forget()
    aws.client("dynamodb").meta.events.register("before-call.dynamodb.GetItem", throttled)
    error = assert_envelope(api.call("GET", "/v1/policy", key=tenant.key), 503, "STORE_UNAVAILABLE")
    assert error["details"]["reason"] == "ThrottlingException"


def test_a_path_parameter_that_cannot_be_an_id_is_a_400(api, tenant):
    error = assert_envelope(api.call("GET", "/v1/accounts/%F3%A4%AF%83%C3%90%08F/restrictions", key=tenant.key),
                            400, "PATH_PARAMETER_INVALID")
    assert error["details"]["parameters"] == ["account_id"]


def test_integral_numbers_written_with_a_fraction_are_integers_and_huge_ones_are_refused(api, tenant):
    assert api.call("POST", "/v1/audit/verify", key=tenant.key, raw=b'{"from_seq": 42745.0}').status_code == 200
    response = api.call("PUT", "/v1/policy", key=tenant.key, raw=b'{"retention": {"log_days": 1e400}}')
    assert_envelope(response, 400, "MALFORMED_JSON")


def test_a_query_integer_in_other_scripts_digits_is_a_400_not_a_500(api, tenant):
    for value in ("%C2%B9", "%D9%A3", "1" * 40):  # superscript one, Arabic-Indic three, too long
        answer = api.call("GET", f"/v1/rumours/alerts?limit={value}", key=tenant.key)
        assert answer.status_code == 400, (value, answer.json)
