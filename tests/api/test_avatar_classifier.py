"""The tenant's vendor classifier behind the avatar check (PA2020-8, BJ2011-10), over real HTTP to the fake gateway
the post tests use: the image by reference (never its bytes), kind avatar, the vendor's labels as hits on the
classifier channel, and every way the gateway can fail leaving our own decision, marked; circuit and budget shared
with posts."""

from __future__ import annotations

import base64
import hashlib
import json

import boto3
import pytest

from chalicelib.core.config import settings
from tests.api import test_content_classifier as posts
from tests.builders import decide
from tests.images import encode, logo

PDQ = "f" * 32 + "0" * 32
CLEAN_HASH = {"pdq": PDQ, "quality": 100}  # a clean, sharp avatar for our own banks: PASS
ACCOUNT = {"object_type": "ACCOUNT", "object_id": "acct-7", "account_id": "acct-7"}
classifier = posts.classifier  # the post tests' fake gateway, configured as theirs
configure = posts.configure


def avatar(api, tenant, body):
    response = api.call("POST", "/v1/avatars/check", key=tenant.key, body=body)
    assert response.status_code == 200, response.json  # never a 500, whatever the gateway does
    return response.json


def classifier_hits(answer):
    return [(h["code"], h["term"], h["action"]) for h in answer["hits"]]


def test_without_a_classifier_the_avatar_answer_is_our_own_unchanged(api, make_tenant):
    answer = avatar(api, make_tenant("plain"), CLEAN_HASH)
    assert answer["decision"] == "PASS" and not {"classifier", "classifier_reason", "hits"} & set(answer)


def test_an_inline_avatar_goes_by_its_digest_as_kind_avatar_and_a_vendor_block_rejects(api, classifier):
    # GIVEN a gateway whose vendor blocks the image
    fake, tenant = classifier
    fake.answer = {"vendor": "tencent", "results": [{"label": "Porn", "suggestion": "Block", "image": 0}]}
    data = encode(logo(31, 256))
    # WHEN an avatar our banks pass is checked, naming its account
    answer = avatar(api, tenant, {"image": base64.b64encode(data).decode(), "account_id": "acct-1"})
    # THEN the gateway got a signed request: kind avatar, the image's PDQ hash and SHA-256, never the bytes
    (received,) = fake.received
    assert received["signature_ok"] is True
    body = received["body"]
    assert {k: v for k, v in body.items() if k != "request_id"} == {
        "kind": "avatar", "text": "", "account_id": "acct-1",
        "images": [{"index": 0, "pdq": answer["pdq"], "sha256": hashlib.sha256(data).hexdigest()}]}
    assert base64.b64encode(data).decode()[:64] not in json.dumps(body)
    # AND the decision is the vendor's, as a hit on the classifier channel naming the vendor label
    assert (answer["decision"], answer["classifier"], answer["matches"]) == ("REJECT", "OK", [])
    assert answer["hits"] == [{"code": "CLASSIFIER_LABEL", "category": "PORNOGRAPHY", "article": "BJ2011-10(7)",
                               "term": "Porn", "channel": "classifier", "entry_id": "classifier:tencent:Porn",
                               "action": "REJECT", "vendor": "tencent"}]


def test_an_uploaded_avatar_goes_by_its_key_and_digest_and_a_hash_by_itself(api, classifier):
    fake, tenant = classifier
    data = encode(logo(32, 256))
    key = f"uploads/{tenant.tenant_id}/avatar-32.png"
    boto3.client("s3", region_name="cn-north-1").put_object(Bucket=settings().filings_bucket, Key=key, Body=data)
    # WHEN an avatar is checked from the bucket, for the account its review names
    uploaded = avatar(api, tenant, {"s3_key": key, "review": ACCOUNT})
    # AND another by its PDQ hash alone
    avatar(api, tenant, CLEAN_HASH)
    # THEN the first went by its key and the SHA-256 of the bytes read, the second by its hash only
    first, second = (r["body"] for r in fake.received)
    assert (first["images"], first["account_id"]) == (
        [{"index": 0, "pdq": uploaded["pdq"], "sha256": hashlib.sha256(data).hexdigest(), "s3_key": key}], "acct-7")
    assert (second["kind"], second["images"]) == ("avatar", [{"index": 0, "pdq": PDQ}]) and "account_id" not in second
    assert uploaded["classifier"] == "OK" and uploaded["hits"] == []


def test_a_label_on_the_image_and_on_image_0_is_one_hit_and_max_action_caps_the_vendor(api, classifier):
    fake, tenant = classifier
    fake.answer = {"vendor": "shumei", "results": [{"label": "politics", "suggestion": "REJECT"},
                                                    {"label": "politics", "suggestion": "REJECT", "image": 0}]}
    assert classifier_hits(avatar(api, tenant, CLEAN_HASH)) == [("CLASSIFIER_LABEL", "politics", "REJECT")]
    # GIVEN a policy that leaves every vendor finding to a person THEN the block is a REVIEW
    configure(api, tenant, max_action="REVIEW")
    answer = avatar(api, tenant, CLEAN_HASH)
    assert (answer["decision"], classifier_hits(answer)) == ("REVIEW", [("CLASSIFIER_LABEL", "politics", "REVIEW")])


def test_the_decision_is_the_strongest_of_our_banks_and_the_vendor(api, classifier):
    # GIVEN the image is in the banned bank and the vendor only asks for a review
    fake, tenant = classifier
    banned = {"pdq": PDQ, "label": "已关闭账号头像", "reason": "CLOSE_ACCOUNT"}
    assert api.call("POST", "/v1/avatars/banks/banned/entries", key=tenant.key, body=banned).status_code == 201
    fake.answer = {"vendor": "yidun", "results": [{"label": 100, "suggestion": 1}]}
    # WHEN checked THEN our REJECT stands beside the vendor's REVIEW hit
    answer = avatar(api, tenant, CLEAN_HASH)
    assert (answer["decision"], answer["matches"][0]["code"]) == ("REJECT", "AVATAR_OF_CLOSED_ACCOUNT")
    assert classifier_hits(answer) == [("CLASSIFIER_LABEL", "100", "REVIEW")]


@pytest.mark.parametrize(("failure", "reason"), [
    ("down", "CONNECT_FAILED"), ("late", "TIMEOUT"), ("status", "BAD_STATUS"),
    (b"<html>busy</html>", "BAD_ANSWER"), (b'{"vendor": "aliyun", "results": "none"}', "BAD_ANSWER"),
    (b'{"vendor": "aliyun", "results": [{"label": "ad", "suggestion": "high", "image": 1}]}', "BAD_ANSWER"),
])
def test_a_gateway_that_cannot_answer_leaves_our_decision_and_review_where_required(api, classifier, failure, reason):
    # GIVEN a gateway that is down, late, failing or answering garbage (an image an avatar check does not have)
    fake, tenant = classifier
    if failure == "down":
        fake.close()
    elif failure == "late":
        fake.delay = 1.0
    elif failure == "status":
        fake.status = 503
    else:
        fake.answer = failure
    # WHEN a clean avatar is checked THEN our own decision stands, marked with the reason
    answer = avatar(api, tenant, CLEAN_HASH)
    assert (answer["decision"], answer["classifier"], answer["classifier_reason"], answer["hits"]) == (
        "PASS", "UNAVAILABLE", reason, [])
    # AND once the policy requires the classifier, the same avatar is for a person to review, saying why
    configure(api, tenant, required=True)
    required = avatar(api, tenant, CLEAN_HASH)
    assert (required["decision"], classifier_hits(required)) == (
        "REVIEW", [("CLASSIFIER_REQUIRED", "UNAVAILABLE", "REVIEW")])


def test_a_scene_turns_the_classifier_off_or_requires_it(api, classifier):
    fake, tenant = classifier
    scenes = {"profile": {"channels": {"classifier": False}}, "strict": {"classifier_required": True}}
    assert api.call("PUT", "/v1/policy", key=tenant.key, body={"scenes": scenes}).status_code == 200
    # WHEN checked in a scene with the classifier's channel off THEN the gateway is not asked
    quiet = avatar(api, tenant, {**CLEAN_HASH, "scene": "profile"})
    assert fake.received == [] and "classifier" not in quiet and "hits" not in quiet
    # AND in a scene that requires it, a gateway that is down gives REVIEW
    fake.close()
    strict = avatar(api, tenant, {**CLEAN_HASH, "scene": "strict"})
    assert (strict["decision"], strict["classifier_reason"]) == ("REVIEW", "CONNECT_FAILED")


def test_the_circuit_posts_open_holds_for_avatars_and_the_request_budget_applies(api, classifier, monkeypatch):
    from chalicelib.classifier import service

    # GIVEN posts found the gateway failing five times in a row
    fake, tenant = classifier
    fake.status = 500
    for _ in range(5):
        api.call("POST", "/v1/content/check", key=tenant.key, body={"text": posts.CLEAN})
    # WHEN an avatar is checked THEN it answers at once from the open circuit, with no call
    assert avatar(api, tenant, CLEAN_HASH)["classifier_reason"] == "CIRCUIT_OPEN" and len(fake.received) == 5
    # AND an avatar check spends the request's classifier budget as posts do
    monkeypatch.setattr(service, "REQUEST_BUDGET_MS", service.MIN_CALL_MS - 1)
    assert avatar(api, tenant, CLEAN_HASH)["classifier_reason"] == "BUDGET_SPENT"


def test_a_vendor_review_opens_a_case_under_its_category_and_an_approval_clears_only_that_label(api, classifier):
    # GIVEN a gateway whose vendor flags the avatar for review
    fake, tenant = classifier
    fake.answer = {"vendor": "aliyun", "results": [{"label": "political_content", "suggestion": "medium"}]}
    # WHEN the avatar is checked naming its account THEN a CHECK case is opened on the vendor label's evidence
    opened = avatar(api, tenant, {**CLEAN_HASH, "review": ACCOUNT})
    assert (opened["decision"], opened["review"]["status"]) == ("REVIEW", "OPENED")
    case = api.call("GET", f"/v1/cases/{opened['case_id']}", key=tenant.key).json
    assert case["category"] == "NATIONAL_SECURITY"
    assert [(h["term"], h["entry_id"]) for h in case["evidence"][0]["hits"]] == [
        ("political_content", "classifier:aliyun:political_content")]
    # AND once a reviewer approves it, the same finding on the same avatar passes
    approved = decide(api, tenant.key, opened["case_id"], outcome="APPROVE", statement="已核实，头像正常。")
    assert approved.status_code == 200, approved.json
    assert avatar(api, tenant, {**CLEAN_HASH, "review": ACCOUNT})["review"]["status"] == "CLEARED"
    # BUT another label the vendor finds later is reviewed again
    fake.answer = {"vendor": "aliyun", "results": [{"label": "sexual_content", "suggestion": "medium"}]}
    again = avatar(api, tenant, {**CLEAN_HASH, "review": ACCOUNT})
    assert (again["decision"], again["review"]["status"]) == ("REVIEW", "OPENED")
