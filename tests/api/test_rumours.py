"""Rumour dispelling: light edits still match, unrelated posts do not, sightings trace the spread,
fast spread raises an alert."""

from __future__ import annotations

import base64

from tests.images import encode, logo

CLAIM = "紧急通知：明天起全市自来水停水三天，请大家马上囤水，转发给亲朋好友！"
REFUTATION = {"text": "经核实，该消息为谣言，本市供水正常。", "source_url": "https://example.gov.cn/piyao/1",
              "issuing_body": "示例市供水管理部门"}


def known_rumour(api, key, **extra):
    created = api.call("POST", "/v1/rumours", key=key, body={"claim": CLAIM, "refutation": REFUTATION, **extra})
    assert created.status_code == 201, created.json
    return created.json


def match(api, key, **body):
    return api.call("POST", "/v1/rumours/match", key=key, body=body)


def test_lightly_edited_copies_inside_a_post_match_with_the_refutation(api, tenant):
    rumour = known_rumour(api, tenant.key)
    edited = "緊急通知!!明天起 全市自來水停水3天😱请大家馬上囤水，转发给亲朋好友"  # traditional, spacing, emoji, edits
    post = "今天下班路上听说了一件事。" * 20 + edited + "大家怎么看？" * 20
    answer = match(api, tenant.key, text=post)
    assert answer.status_code == 200, answer.json
    (found,) = answer.json["matches"]
    assert found["rumour_id"] == rumour["rumour_id"] and found["similarity"] >= 0.5
    assert found["refutation"]["issuing_body"] == "示例市供水管理部门" and found["article"] == "MB2018-11"
    unrelated = match(api, tenant.key, text="周末我们去公园野餐，天气很好，孩子们玩得很开心。" * 10).json
    assert unrelated["matched"] is False


def test_images_of_a_rumour_match_and_retired_rumours_do_not(api, tenant):
    api.call("PUT", "/v1/policy", key=tenant.key, body={"requests": {"max_body_bytes": 4 * 1024 * 1024}})
    image = base64.b64encode(encode(logo(31))).decode()
    rumour = known_rumour(api, tenant.key, images=[{"image": image}])
    answer = match(api, tenant.key, text="看图", images=[{"image": image}]).json
    assert [(m["rumour_id"], m["channel"]) for m in answer["matches"]] == [(rumour["rumour_id"], "image")]
    api.call("POST", "/v1/rumours", key=tenant.key,
             body={"claim": "已经过时的旧谣言内容示例文本", "refutation": REFUTATION,
                                                         "status": "RETIRED"})
    assert match(api, tenant.key, text="已经过时的旧谣言内容示例文本").json["matched"] is False


def test_sightings_and_logs_trace_the_spread_back_to_the_first_publisher(api, tenant):
    rumour = known_rumour(api, tenant.key)
    digest = "c" * 64
    api.call("POST", "/v1/logs", key=tenant.key, body={"events": [
        {"account_id": "origin", "type": "PUBLISH", "at": "2026-11-20T08:00:00Z", "content_sha256": digest},
        {"account_id": "forwarder", "type": "FORWARD", "at": "2026-11-20T09:00:00Z", "content_sha256": digest}]})
    answer = match(api, tenant.key, text=CLAIM, account_id="reporter-seen", content_sha256=digest,
                   at="2026-11-20T10:00:00Z").json
    assert answer["sightings_recorded"] == 1
    spread = api.call("GET", f"/v1/rumours/{rumour['rumour_id']}/spread", key=tenant.key).json
    assert [a["account_id"] for a in spread["accounts"]] == ["origin", "forwarder", "reporter-seen"]
    assert spread["first_publisher"]["account_id"] == "origin"
    assert spread["suggested_ground"] == {"article": "MB2018-11", "category": "RUMOUR"}
    assert api.call("GET", "/v1/rumours/rmr_missing/spread", key=tenant.key).status_code == 404


def test_fast_spread_raises_one_alert_per_hour(api, tenant):
    api.call("PUT", "/v1/policy", key=tenant.key, body={"rumours": {"alert_per_hour": 3}})
    rumour = known_rumour(api, tenant.key)
    raised = [match(api, tenant.key, text=CLAIM, account_id=f"acct-{n}").json["alerts_raised"] for n in range(5)]
    assert raised == [0, 0, 1, 0, 0]
    (alert,) = api.call("GET", "/v1/rumours/alerts", key=tenant.key).json["items"]
    assert alert["rumour_id"] == rumour["rumour_id"] and alert["sightings"] == 3


def test_a_refutation_source_must_be_a_plain_url(api, tenant):
    body = {"claim": CLAIM, "refutation": {**REFUTATION, "source_url": "https://\u00cf"}}
    assert api.call("POST", "/v1/rumours", key=tenant.key, body=body).status_code == 400


def test_urls_in_bodies_are_exactly_what_a_uri_checker_accepts(api, tenant):
    for url in ("https://X:7318#Z#J", "https://a b.cn/", "https://example.cn/%zz"):
        body = {"claim": CLAIM, "refutation": {**REFUTATION, "source_url": url}}
        assert api.call("POST", "/v1/rumours", key=tenant.key, body=body).status_code == 400, url
    ok = {"claim": CLAIM, "refutation": {**REFUTATION, "source_url": "https://example.gov.cn/a/b?x=1&y=%E8%B0%A3#top"}}
    assert api.call("POST", "/v1/rumours", key=tenant.key, body=ok).status_code == 201
