"""End to end: `python infra/local.py` (what `make run` runs) served over real HTTP."""

from __future__ import annotations

import json
import signal
import urllib.error
import urllib.request

import pytest

from tests.e2e.stack import ROOT, free_port, local_stack  # noqa: F401  (ROOT, free_port: test_local_stack_stage)

DEMO_KEY = "ck_e2e_" + "k" * 32

pytestmark = pytest.mark.e2e


def http(method: str, url: str, *, key: str | None = None, body: bytes | None = None,
         content_type: str = "application/json") -> tuple[int, dict, dict]:
    request = urllib.request.Request(url, data=body, method=method)
    if key:
        request.add_header("X-Api-Key", key)
    if body is not None:
        request.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read())


@pytest.fixture(scope="module")
def stack():
    with local_stack({"DEMO_API_KEY": DEMO_KEY}) as started:
        yield started.base, started.banner, started.process


def test_the_banner_prints_the_demo_key_and_ready_curl_lines(stack):
    base, banner, _ = stack
    assert f"API key:      {DEMO_KEY}" in banner
    assert f"curl -s {base}/v1/health" in banner


def test_health_policy_and_openapi_answer_over_http(stack):
    base, _, _ = stack
    status, _, health = http("GET", f"{base}/v1/health")
    assert (status, health["status"]) == (200, "ok")
    status, headers, policy = http("GET", f"{base}/v1/policy", key=DEMO_KEY)
    assert (status, policy["tenant_id"], headers["ETag"]) == (200, "demo", '"0"')
    status, _, changed = http("PUT", f"{base}/v1/policy", key=DEMO_KEY, body=b'{"retention": {"log_days": 200}}')
    assert (status, changed["policy"]["retention"]["log_days"]) == (200, 200)
    status, _, document = http("GET", f"{base}/v1/openapi.json")
    assert status == 200 and "/v1/policy" in document["paths"]


def test_the_sample_verification_in_the_banner_works(stack):
    base, banner, _ = stack
    from infra.local import SAMPLE_ID

    assert SAMPLE_ID in banner
    body = json.dumps({"subject_type": "PERSON", "real_name": "测试用户",
                       "document": {"type": "RESIDENT_ID", "number": SAMPLE_ID}}).encode()
    status, _, answer = http("POST", f"{base}/v1/identity/verifications", key=DEMO_KEY, body=body)
    assert (status, answer["outcome"], answer["verified"]) == (201, "MATCH", True)
    status, _, gate = http("GET", f"{base}/v1/identity/subjects/{answer['subject_id']}/can-publish", key=DEMO_KEY)
    assert (status, gate["allowed"]) == (200, True)


def test_a_name_check_over_http_explains_its_refusal(stack):
    base, _, _ = stack
    body = json.dumps({"text": "人民日報 官方", "field": "account_name"}).encode()
    status, _, answer = http("POST", f"{base}/v1/names/check", key=DEMO_KEY, body=body)
    assert (status, answer["decision"]) == (200, "REJECT")
    assert answer["hits"][0]["code"] == "NAME_IMPERSONATES_MEDIA" and answer["hits"][0]["affix"] == "官方"


def test_a_report_is_received_decided_and_its_feedback_read_over_http(stack):
    base, _, _ = stack
    body = json.dumps({"reporter": {"anonymous": True}, "target": {"type": "CONTENT", "id": "post-e2e"},
                       "category": "RUMOUR", "description": "谣言"}).encode()
    status, _, receipt = http("POST", f"{base}/v1/reports", key=DEMO_KEY, body=body)
    assert (status, receipt["deadline"]["hours"]) == (201, 24)
    status, _, stats = http("GET", f"{base}/v1/cases/stats", key=DEMO_KEY)  # the literal route, not a case id
    assert status == 200 and stats["categories"]["RUMOUR"]["open"] >= 1
    decision = json.dumps({"outcome": "NO_VIOLATION", "statement": "经核查不实。", "ground": "PA2020-20"}).encode()
    status, _, case = http("POST", f"{base}/v1/cases/{receipt['case_id']}/decision", key=DEMO_KEY, body=decision)
    assert (status, case["effects_status"]) == (200, "COMPLETE")
    status, _, seen = http("GET", f"{base}{receipt['status_url']}", key=DEMO_KEY)
    assert (status, seen["feedback"]["outcome"]) == (200, "NO_VIOLATION")


def test_errors_over_http_use_the_envelope(stack):
    base, _, _ = stack
    cases = [
        (http("GET", f"{base}/v1/policy", key="ck_" + "w" * 40), 401, "API_KEY_INVALID"),
        (http("GET", f"{base}/v1/no-such-route"), 404, "ROUTE_NOT_FOUND"),
        (http("PUT", f"{base}/v1/policy", key=DEMO_KEY, body=b"{not json"), 400, "MALFORMED_JSON"),
        (http("PUT", f"{base}/v1/policy", key=DEMO_KEY, body=b"x", content_type="text/plain"), 415,
         "UNSUPPORTED_MEDIA_TYPE"),
    ]
    for (status, headers, body), expected_status, code in cases:
        assert (status, body["error"]["code"]) == (expected_status, code)
        assert body["error"]["message_zh"]
        assert headers["X-Request-Id"]


def test_ctrl_c_stops_both_servers(stack):
    base, _, process = stack
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=20) == 0
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{base}/v1/health", timeout=2)
