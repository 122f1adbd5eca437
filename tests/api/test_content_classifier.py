"""A tenant's vendor classifier behind the post check, over real HTTP to a fake gateway on 127.0.0.1:
signing, each vendor's labels, and every way the gateway can fail leaving our own decision, marked."""

from __future__ import annotations

import json
import time

import pytest

from chalicelib.core import outbound
from tests.receivers import SignedReceiver, store_secret

SECRET = "classifier-secret-for-tests"
PARAMETER = "/compliance-api/dev/tenants/acme/classifier-secret"
PDQ = "f" * 32 + "0" * 32
CLEAN = "今天天气很好，出去走走"


@pytest.fixture
def classifier(api, make_tenant):
    tenant = make_tenant("acme", sandbox=False)
    store_secret(PARAMETER, SECRET)
    fake = SignedReceiver(SECRET, "/classify", answer={"vendor": "aliyun", "results": []}, refuse_unsigned=True)
    configure(api, tenant, url=fake.url, secret_parameter=PARAMETER, timeout_ms=300)
    yield fake, tenant
    fake.close()


def configure(api, tenant, **settings) -> None:
    response = api.call("PUT", "/v1/policy", key=tenant.key, body={"content": {"classifier": settings}})
    assert response.status_code == 200, response.json


def check(api, tenant, text=CLEAN, **extra):
    response = api.call("POST", "/v1/content/check", key=tenant.key, body={"text": text, **extra})
    assert response.status_code == 200, response.json  # never a 500, whatever the gateway does
    return response.json


def test_without_a_classifier_the_answer_is_our_own_unchanged(api, make_tenant):
    tenant = make_tenant("plain")
    answer = check(api, tenant)
    assert answer["decision"] == "PASS" and "classifier" not in answer


def test_a_signed_request_carries_the_text_and_image_references_and_a_vendor_block_rejects(api, classifier):
    # GIVEN a gateway whose vendor blocks the post's text and flags its image
    fake, tenant = classifier
    fake.answer = {"vendor": "tencent", "results": [{"label": "Polity", "suggestion": "Block"},
                                                     {"label": "Porn", "suggestion": "Review", "image": 0}]}
    # WHEN a clean post (for our own channels) is checked
    answer = check(api, tenant, images=[{"pdq": PDQ}], account_id="acc-1")
    # THEN the gateway got a signed request with the text and the image's reference, never more
    (received,) = fake.received
    assert received["signature_ok"] is True
    assert received["body"]["text"] == CLEAN and received["body"]["account_id"] == "acc-1"
    assert received["body"]["images"] == [{"index": 0, "pdq": PDQ}]
    # AND the decision is the vendor's, as hits on the classifier channel naming the vendor label
    assert (answer["decision"], answer["classifier"]) == ("REJECT", "OK")
    found = {(h["term"], h["action"], h.get("image")) for h in answer["hits"] if h["channel"] == "classifier"}
    assert found == {("Polity", "REJECT", None), ("Porn", "REVIEW", 0)}


@pytest.mark.parametrize(("vendor", "label", "suggestion", "category", "decision"), [
    ("aliyun", "political_content", "high", "NATIONAL_SECURITY", "REJECT"),
    ("aliyun", "sexual_content", "medium", "PORNOGRAPHY", "REVIEW"),
    ("tencent", "Ad", "Review", "SPAM", "REVIEW"),
    ("yidun", 400, 2, "OBSCENITY_GAMBLING_VIOLENCE", "REJECT"),
    ("shumei", "abuse", "REJECT", "INSULT_DEFAMATION", "REJECT"),
    ("shumei", "porn", "PASS", None, "PASS"),
])
def test_each_vendor_verdict_reaches_the_decision(api, classifier, vendor, label, suggestion, category, decision):
    fake, tenant = classifier
    fake.answer = {"vendor": vendor, "results": [{"label": label, "suggestion": suggestion}]}
    answer = check(api, tenant)
    assert (answer["decision"], answer["classifier"]) == (decision, "OK")
    assert [h["category"] for h in answer["hits"] if h["channel"] == "classifier"] == ([category] if category else [])


def test_a_gateway_that_cannot_check_our_signature_is_unavailable(api, classifier):
    # GIVEN the tenant's SSM secret is not the one the gateway knows
    fake, tenant = classifier
    wrong = "/compliance-api/dev/tenants/acme/classifier-secret-rotated"
    store_secret(wrong, "another-secret")
    configure(api, tenant, secret_parameter=wrong)
    fake.answer = {"vendor": "shumei", "results": [{"label": "porn", "suggestion": "REJECT"}]}
    # WHEN a post is checked THEN the refused call is UNAVAILABLE and the decision our own
    answer = check(api, tenant)
    assert fake.received[0]["signature_ok"] is False
    assert (answer["decision"], answer["classifier"], answer["classifier_reason"]) == ("PASS", "UNAVAILABLE",
                                                                                       "BAD_STATUS")


def test_a_slow_gateway_is_cut_at_the_deadline(api, classifier):
    fake, tenant = classifier
    fake.delay = 1.0
    started = time.monotonic()
    answer = check(api, tenant)
    assert time.monotonic() - started < 0.9  # the deadline is 300 ms, the gateway takes 1 s
    assert (answer["classifier"], answer["classifier_reason"]) == ("UNAVAILABLE", "TIMEOUT")


def test_a_redirect_is_refused_not_followed(api, classifier):
    fake, tenant = classifier
    fake.status, fake.headers = 302, {"Location": "http://169.254.169.254/latest/meta-data/"}
    answer = check(api, tenant)
    assert (answer["classifier"], answer["classifier_reason"]) == ("UNAVAILABLE", "REDIRECT")
    assert len(fake.received) == 1


def test_an_oversized_answer_is_refused(api, classifier):
    fake, tenant = classifier
    row = {"label": "ad", "suggestion": "none"}
    fake.answer = json.dumps({"vendor": "aliyun", "results": [row], "pad": "x" * outbound.BODY_LIMIT}).encode()
    answer = check(api, tenant)
    assert (answer["classifier"], answer["classifier_reason"]) == ("UNAVAILABLE", "TOO_LARGE")


@pytest.mark.parametrize("garbage", [b"<html>busy</html>", b'{"vendor": "aliyun", "results": "none"}',
                                     b'{"vendor": "aliyun", "results": [{"label": "ad", "suggestion": "high", '
                                     b'"image": 3}]}'])
def test_a_garbage_answer_is_not_used(api, classifier, garbage):
    fake, tenant = classifier
    fake.answer = garbage
    answer = check(api, tenant)
    assert (answer["decision"], answer["classifier"], answer["classifier_reason"]) == ("PASS", "UNAVAILABLE",
                                                                                       "BAD_ANSWER")


def test_a_gateway_that_is_down_leaves_our_decision_and_review_when_the_policy_requires_it(api, classifier):
    # GIVEN the gateway is down
    fake, tenant = classifier
    fake.close()
    # WHEN a clean post is checked THEN our own decision stands, marked
    answer = check(api, tenant)
    assert (answer["decision"], answer["classifier"], answer["classifier_reason"]) == ("PASS", "UNAVAILABLE",
                                                                                       "CONNECT_FAILED")
    # AND once the policy requires the classifier, the same post is for a person to review, saying why
    configure(api, tenant, required=True)
    answer = check(api, tenant)
    assert answer["decision"] == "REVIEW"
    assert [h["code"] for h in answer["hits"]] == ["CLASSIFIER_REQUIRED"]


def test_repeated_failures_open_the_circuit_and_later_posts_do_not_wait(api, classifier):
    fake, tenant = classifier
    fake.status = 500
    reasons = [check(api, tenant)["classifier_reason"] for _ in range(6)]
    assert reasons == ["BAD_STATUS"] * 5 + ["CIRCUIT_OPEN"]
    assert len(fake.received) == 5


@pytest.mark.parametrize(("settings", "reason"), [
    ({"secret_parameter": "/compliance-api/dev/tenants/other/classifier-secret"}, "SECRET_OUTSIDE_TENANT"),
    ({"secret_parameter": "/compliance-api/dev/tenants/acme/missing"}, "SECRET_UNAVAILABLE"),
    ({"secret_parameter": None}, "NOT_CONFIGURED"),
    ({"url": "http://169.254.169.254/latest/meta-data/"}, "ADDRESS_FORBIDDEN"),
])
def test_a_misconfigured_classifier_is_unavailable_and_never_called(api, classifier, settings, reason):
    fake, tenant = classifier
    configure(api, tenant, **settings)
    answer = check(api, tenant)
    assert (answer["classifier"], answer["classifier_reason"]) == ("UNAVAILABLE", reason)
    assert fake.received == []


def test_a_batch_asks_the_classifier_for_each_post(api, classifier):
    fake, tenant = classifier
    fake.answer = {"vendor": "yidun", "results": [{"label": 500, "suggestion": 2}]}
    response = api.call("POST", "/v1/content/checks", key=tenant.key, body={"items": [{"text": CLEAN}, {"text": "好"}]})
    assert response.status_code == 200
    assert [i["result"]["decision"] for i in response.json["items"]] == ["REJECT", "REJECT"]
    assert [r["body"]["text"] for r in fake.received] == [CLEAN, "好"]


def test_a_batch_against_a_slow_gateway_stays_inside_one_budget_for_the_request(api, classifier, monkeypatch):
    # GIVEN a gateway that answers every post, slowly, and a request budget of 400 ms for all its calls
    from chalicelib.classifier import service

    fake, tenant = classifier
    fake.delay = 0.15
    monkeypatch.setattr(service, "REQUEST_BUDGET_MS", 400)
    # WHEN six posts are checked in one batch
    response = api.call("POST", "/v1/content/checks", key=tenant.key, body={"items": [{"text": CLEAN}] * 6})
    # THEN the calls stop when the budget is spent: the last posts are not sent, each says why
    reasons = [i["result"].get("classifier_reason") for i in response.json["items"]]
    assert reasons[-2:] == ["BUDGET_SPENT", "BUDGET_SPENT"] and len(fake.received) <= 4


def test_a_classifier_review_opens_a_case_filed_under_the_vendor_labels_category(api, classifier):
    # GIVEN a gateway whose vendor flags the post's text for review
    fake, tenant = classifier
    fake.answer = {"vendor": "shumei", "results": [{"label": "politics", "suggestion": "REVIEW"}]}
    post = {"object_type": "CONTENT", "object_id": "post-clf-1", "account_id": "acct-clf"}
    # WHEN the post is checked naming its object
    checked = check(api, tenant, review=post)
    # THEN a CHECK case is opened with the classifier's hit as its evidence, under its category
    assert (checked["decision"], checked["review"]["status"]) == ("REVIEW", "OPENED")
    case = api.call("GET", f"/v1/cases/{checked['case_id']}", key=tenant.key).json
    assert case["category"] == "NATIONAL_SECURITY"
    # AND the same verdict on the same post joins that case rather than opening another
    assert check(api, tenant, review=post)["case_id"] == checked["case_id"]
