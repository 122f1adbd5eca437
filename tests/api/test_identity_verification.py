"""Real-name verification through the API: outcomes, refusals, attempt caps, idempotency, subjects."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import pytest

from chalicelib.core import clock
from chalicelib.identity.providers import SandboxProvider
from tests import factories

NAME = "测试用户"


def person(number: str, *, mobile: str | None = None, name: str = NAME) -> dict:
    body = {"subject_type": "PERSON", "document": {"type": "RESIDENT_ID", "number": number}, "real_name": name}
    if mobile:
        body["mobile"] = mobile
    return body


def verify(api, key, body, **headers):
    return api.call("POST", "/v1/identity/verifications", key=key, body=body, headers=headers or None)


def test_a_match_verifies_the_subject_with_masked_numbers_only(api, tenant):
    number, mobile = factories.resident_id(random.Random(1)), factories.mobile(random.Random(1))
    response = verify(api, tenant.key, person(number, mobile=mobile))
    assert response.status_code == 201, response.json
    body = response.json
    assert (body["outcome"], body["verified"], body["provider"]) == ("MATCH", True, "sandbox")
    assert body["document"] == {"type": "RESIDENT_ID", "masked": number[:2] + "*" * 12 + number[-4:]}
    assert body["mobile_masked"] == "*" * 8 + mobile[-3:]
    verified_at = datetime.fromisoformat(body["verified_at"])
    assert datetime.fromisoformat(body["reconfirm_by"]) - verified_at == timedelta(days=365)
    assert number not in response.body.decode() and mobile not in response.body.decode()

    subject = api.call("GET", f"/v1/identity/subjects/{body['subject_id']}", key=tenant.key).json
    assert subject["status"] == "VERIFIED" and [h["outcome"] for h in subject["history"]] == ["MATCH"]
    gate = api.call("GET", f"/v1/identity/subjects/{body['subject_id']}/can-publish", key=tenant.key).json
    assert gate["allowed"] is True and gate["reasons"] == []


def test_the_same_document_is_the_same_subject_within_a_tenant_only(api, make_tenant):
    acme, zeta = make_tenant("acme"), make_tenant("zeta")
    number = factories.resident_id(random.Random(2))
    first = verify(api, acme.key, person(number)).json["subject_id"]
    assert verify(api, acme.key, person(number)).json["subject_id"] == first
    assert verify(api, zeta.key, person(number)).json["subject_id"] != first
    assert api.call("GET", f"/v1/identity/subjects/{first}", key=zeta.key).status_code == 404


def test_an_invalid_number_is_refused_before_any_provider_call(api, tenant, monkeypatch):
    calls = []
    monkeypatch.setattr(SandboxProvider, "verify", lambda self, request: calls.append(request))
    number = factories.resident_id(random.Random(3))
    response = verify(api, tenant.key, person(number[:-1] + ("0" if number[-1] != "0" else "1")))
    assert (response.status_code, response.json["error"]["code"]) == (422, "DOCUMENT_INVALID")
    assert response.json["error"]["details"] == {"reasons": ["CHECKSUM"], "article": "MB2018-7"}
    assert calls == []


def test_document_types_must_suit_the_subject_type(api, tenant):
    body = {"subject_type": "ENTERPRISE", "document": {"type": "RESIDENT_ID", "number": factories.resident_id()},
            "real_name": "某某有限公司"}
    response = verify(api, tenant.key, body)
    assert (response.status_code, response.json["error"]["code"]) == (422, "DOCUMENT_TYPE_MISMATCH")
    assert response.json["error"]["details"]["accepted"] == ["USCC"]


@pytest.mark.parametrize(("magic", "status", "outcome_or_code"), [
    ("991", 201, "MISMATCH"), ("992", 201, "NO_RECORD"),
    ("993", 422, "PROVIDER_INVALID_INPUT"), ("994", 422, "PROVIDER_UNSUPPORTED"),
    ("995", 503, "PROVIDER_RATE_LIMITED"), ("996", 503, "PROVIDER_UNAVAILABLE"),
])
def test_sandbox_magic_numbers_give_each_outcome(api, tenant, magic, status, outcome_or_code):
    response = verify(api, tenant.key, person(factories.resident_id(magic=magic)))
    assert response.status_code == status
    if status == 201:
        assert (response.json["outcome"], response.json["verified"]) == (outcome_or_code, False)
        gate = api.call("GET", f"/v1/identity/subjects/{response.json['subject_id']}/can-publish", key=tenant.key).json
        assert gate["allowed"] is False and gate["reasons"][0]["code"] == "NOT_VERIFIED"
        assert gate["reasons"][0]["article"] == "MB2018-7"
    else:
        assert response.json["error"]["code"] == outcome_or_code


def test_a_later_mismatch_does_not_undo_a_verified_subject(api, tenant):
    number = factories.resident_id(random.Random(4))
    subject_id = verify(api, tenant.key, person(number)).json["subject_id"]
    mismatch = verify(api, tenant.key, person(number, mobile="13800000991"))
    assert mismatch.json["outcome"] == "MISMATCH"
    subject = api.call("GET", f"/v1/identity/subjects/{subject_id}", key=tenant.key).json
    assert subject["status"] == "VERIFIED" and subject["mobile_masked"] is None
    assert [h["outcome"] for h in subject["history"]] == ["MISMATCH", "MATCH"]


def test_attempts_per_document_per_day_are_capped(api, tenant):
    api.call("PUT", "/v1/policy", key=tenant.key, body={"identity": {"max_attempts_per_document_per_day": 2}})
    number = factories.resident_id(random.Random(5))
    assert [verify(api, tenant.key, person(number)).status_code for _ in range(2)] == [201, 201]
    refused = verify(api, tenant.key, person(number))
    assert (refused.status_code, refused.json["error"]["code"]) == (429, "VERIFICATION_ATTEMPTS_EXCEEDED")
    assert 0 < int(refused.headers["Retry-After"]) <= 86400
    assert verify(api, tenant.key, person(factories.resident_id(random.Random(6)))).status_code == 201


def test_an_idempotency_key_replays_the_first_answer_and_refuses_a_different_body(api, tenant):
    number = factories.resident_id(random.Random(7))
    first = verify(api, tenant.key, person(number), **{"Idempotency-Key": "signup-42"})
    again = verify(api, tenant.key, person(number), **{"Idempotency-Key": "signup-42"})
    assert first.status_code == again.status_code == 201
    assert again.json == first.json
    history = api.call("GET", f"/v1/identity/subjects/{first.json['subject_id']}", key=tenant.key).json["history"]
    assert len(history) == 1
    other = verify(api, tenant.key, person(number, name="别人"), **{"Idempotency-Key": "signup-42"})
    assert (other.status_code, other.json["error"]["code"]) == (422, "IDEMPOTENCY_KEY_REUSED")


def test_a_failed_request_can_be_retried_with_the_same_key(api, tenant, monkeypatch):
    from chalicelib.identity.provider_codes import Outcome
    from chalicelib.identity.providers import ProviderAnswer

    number = factories.resident_id(random.Random(8))
    original = SandboxProvider.verify
    monkeypatch.setattr(SandboxProvider, "verify", lambda self, r: ProviderAnswer(Outcome.PROVIDER_ERROR, "sandbox"))
    assert verify(api, tenant.key, person(number), **{"Idempotency-Key": "k-1"}).status_code == 503
    monkeypatch.setattr(SandboxProvider, "verify", original)
    retried = verify(api, tenant.key, person(number), **{"Idempotency-Key": "k-1"})
    assert (retried.status_code, retried.json["outcome"]) == (201, "MATCH")


def test_a_live_tenant_cannot_use_the_sandbox_verifier(api, make_tenant):
    live = make_tenant("live", sandbox=False)
    response = verify(api, live.key, person(factories.resident_id()))
    assert (response.status_code, response.json["error"]["code"]) == (403, "SANDBOX_PROVIDER_FORBIDDEN")
    api.call("PUT", "/v1/policy", key=live.key, body={"identity": {"provider": "http"}})
    response = verify(api, live.key, person(factories.resident_id()))
    assert (response.status_code, response.json["error"]["code"]) == (422, "PROVIDER_NOT_CONFIGURED")


def sweep(api) -> dict:
    from chalicelib import jobs

    return jobs.run_now("expire-lapsed-verifications")


def test_verification_expires_by_time_and_the_sweep_records_it(api, tenant):
    number = factories.resident_id(random.Random(9))
    subject_id = verify(api, tenant.key, person(number)).json["subject_id"]
    later = datetime.now(timezone.utc) + timedelta(days=366)
    clock.set_source(later.timestamp)
    gate = api.call("GET", f"/v1/identity/subjects/{subject_id}/can-publish", key=tenant.key).json
    assert gate["allowed"] is False and gate["reasons"][0]["code"] == "VERIFICATION_EXPIRED"
    listed = api.call("GET", "/v1/identity/reconfirmations", key=tenant.key).json["items"]
    assert [(i["subject_id"], i["status"]) for i in listed] == [(subject_id, "EXPIRED")]
    assert sweep(api) == {"expired": 1}
    assert sweep(api) == {"expired": 0}
    assert verify(api, tenant.key, person(number)).json["verified"] is True
    assert api.call("GET", f"/v1/identity/subjects/{subject_id}", key=tenant.key).json["status"] == "VERIFIED"


def test_reconfirmations_are_paginated_and_cursors_are_tenant_bound(api, make_tenant):
    acme, zeta = make_tenant("acme"), make_tenant("zeta")
    rng = random.Random(10)
    for _ in range(3):
        verify(api, acme.key, person(factories.resident_id(rng)))
    horizon = (datetime.now(timezone.utc) + timedelta(days=400)).strftime("%Y-%m-%dT%H:%M:%SZ")
    page = api.call("GET", f"/v1/identity/reconfirmations?due_before={horizon}&limit=2", key=acme.key).json
    assert len(page["items"]) == 2 and page["next_cursor"]
    rest = api.call("GET", f"/v1/identity/reconfirmations?due_before={horizon}&limit=2&cursor={page['next_cursor']}",
                    key=acme.key).json
    assert len(rest["items"]) == 1 and rest["next_cursor"] is None
    dates = [i["reconfirm_by"] for i in page["items"] + rest["items"]]
    assert dates == sorted(dates)
    stolen = api.call("GET", f"/v1/identity/reconfirmations?cursor={page['next_cursor']}", key=zeta.key)
    assert (stolen.status_code, stolen.json["error"]["code"]) == (400, "CURSOR_INVALID")
    bad = api.call("GET", "/v1/identity/reconfirmations?limit=0", key=acme.key)
    assert (bad.status_code, bad.json["error"]["code"]) == (400, "SCHEMA_VIOLATION")


def test_unknown_subjects_are_404(api, tenant):
    for path in ("/v1/identity/subjects/sub_" + "0" * 40, "/v1/identity/subjects/nope/can-publish"):
        response = api.call("GET", path, key=tenant.key)
        assert (response.status_code, response.json["error"]["code"]) == (404, "SUBJECT_NOT_FOUND")
