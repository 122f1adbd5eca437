"""The tenant's own verification gateway over real HTTP: signing, provider codes, retries, circuit."""

from __future__ import annotations

import random
import time

import pytest

from tests import factories
from tests.receivers import SignedReceiver, store_secret

SECRET = "gateway-secret-for-tests"
PARAMETER = "/compliance-api/dev/tenants/acme/gateway-secret"


@pytest.fixture
def gateway(api, make_tenant):
    live = make_tenant("acme", sandbox=False)
    store_secret(PARAMETER, SECRET)
    fake = SignedReceiver(SECRET, "/verify", answer={"outcome": "MATCH"})
    patch = {"identity": {"provider": "http", "http_provider": {"url": fake.url, "secret_parameter": PARAMETER,
                                                                "timeout_ms": 300, "max_retries": 2}}}
    assert api.call("PUT", "/v1/policy", key=live.key, body=patch).status_code == 200
    yield fake, live
    fake.close()


def verify(api, key, number):
    body = {"subject_type": "PERSON", "document": {"type": "RESIDENT_ID", "number": number}, "real_name": "测试"}
    return api.call("POST", "/v1/identity/verifications", key=key, body=body)


def test_a_signed_request_reaches_the_gateway_and_a_match_verifies(api, gateway):
    fake, live = gateway
    number = factories.resident_id(random.Random(1))
    response = verify(api, live.key, number)
    assert (response.status_code, response.json["outcome"], response.json["provider"]) == (201, "MATCH", "http")
    (received,) = fake.received
    assert received["signature_ok"] is True
    assert received["body"]["document_number"] == number and received["body"]["document_type"] == "RESIDENT_ID"


@pytest.mark.parametrize(("answer", "status", "expected"), [
    ({"provider": "tencent.idcard", "code": "-1"}, 201, "MISMATCH"),
    ({"provider": "tencent.idcard", "code": "-5"}, 201, "NO_RECORD"),
    ({"provider": "aliyun.cloudauth", "code": "1"}, 201, "MATCH"),
    ({"provider": "tencent.phone3", "code": "-13"}, 422, "PROVIDER_UNSUPPORTED"),
    ({"provider": "tencent.idcard", "code": "-7"}, 503, "PROVIDER_RATE_LIMITED"),
    ({"provider": "unknown.vendor", "code": "0"}, 503, "PROVIDER_UNAVAILABLE"),
    ("not an object", 503, "PROVIDER_UNAVAILABLE"),
])
def test_provider_result_codes_are_mapped(api, gateway, answer, status, expected):
    fake, live = gateway
    fake.answer = answer
    response = verify(api, live.key, factories.resident_id())
    assert response.status_code == status
    assert (response.json["outcome"] if status == 201 else response.json["error"]["code"]) == expected


def test_server_errors_are_retried_with_backoff(api, gateway):
    fake, live = gateway
    fake.script = [(502, {}, 0.0), (500, {}, 0.0)]
    response = verify(api, live.key, factories.resident_id())
    assert (response.status_code, response.json["outcome"]) == (201, "MATCH")
    assert len(fake.received) == 3


def test_a_gateway_that_times_out_gives_a_clean_503_after_its_retries(api, gateway):
    fake, live = gateway
    fake.delay = 1.0
    started = time.monotonic()
    response = verify(api, live.key, factories.resident_id())
    assert (response.status_code, response.json["error"]["code"]) == (503, "PROVIDER_UNAVAILABLE")
    assert response.json["error"]["details"]["attempts"] == 3
    assert time.monotonic() - started < 3.0


def test_the_circuit_opens_after_repeated_failures_and_answers_without_waiting(api, gateway):
    fake, live = gateway
    fake.status, fake.answer = 503, {}
    api.call("PUT", "/v1/policy", key=live.key, body={"identity": {"http_provider": {"max_retries": 0}}})
    for _ in range(5):
        assert verify(api, live.key, factories.resident_id()).status_code == 503
    calls = len(fake.received)
    response = verify(api, live.key, factories.resident_id())
    assert response.json["error"]["details"]["provider_code"] == "CIRCUIT_OPEN"
    assert len(fake.received) == calls


def test_a_secret_outside_the_tenants_own_path_is_refused(api, gateway):
    fake, live = gateway
    secret = "/compliance-api/dev/tenants/zeta/gateway-secret"
    api.call("PUT", "/v1/policy", key=live.key, body={"identity": {"http_provider": {"secret_parameter": secret}}})
    response = verify(api, live.key, factories.resident_id())
    assert (response.status_code, response.json["error"]["code"]) == (422, "PROVIDER_SECRET_OUTSIDE_TENANT")
    assert fake.received == []


def test_outside_dev_a_gateway_on_a_private_address_is_refused(api, app, gateway):
    from chalice.test import Client

    from tests.conftest import Api

    fake, live = gateway
    api.call("PUT", "/v1/policy", key=live.key, body={"identity": {"http_provider": {
        "secret_parameter": PARAMETER.replace("/dev/", "/prod/")}}})
    with Client(app, stage_name="prod") as client:
        response = verify(Api(client), live.key, factories.resident_id())
    assert (response.status_code, response.json["error"]["code"]) == (422, "PROVIDER_URL_FORBIDDEN")
    assert fake.received == []
