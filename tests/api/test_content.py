"""Post checks through the names engine and the image banks; actions on content kept as records."""

from __future__ import annotations

import base64

from tests.images import encode, logo

TERMS = {"items": [{"term": "法轮功", "category": "ILLEGAL_ORGANIZATION", "action": "REJECT"},
                   {"term": "代开发票", "category": "EXTORTION_FRAUD", "action": "REVIEW"}]}


def check(api, key, **body):
    return api.call("POST", "/v1/content/check", key=key, body=body)


def test_a_long_post_is_checked_with_spans_in_the_original_text(api, tenant):
    api.call("POST", "/v1/names/terms", key=tenant.key, body=TERMS)
    filler = "今天天气很好，我们一起去公园散步。" * 60
    text = filler + "有人在宣传 法·輪·功 的材料" + filler
    answer = check(api, tenant.key, text=text)
    assert answer.status_code == 200, answer.json
    assert answer.json["decision"] == "REJECT" and answer.json["characters"] == len(text)
    (hit,) = answer.json["hits"]
    start, end = hit["span"]
    assert text[start:end] == "法·輪·功" and hit["article"] == "BJ2011-10(10)" and hit["channel"] == "separator"
    assert {"separator", "traditional"} <= set(answer.json["normalization"]["steps"])


def test_terms_by_pinyin_are_reviewed_and_allow_listed_phrases_pass(api, tenant):
    api.call("POST", "/v1/names/terms", key=tenant.key, body=TERMS)
    pinyin = check(api, tenant.key, text="需要 dai kai fa piao 的请联系" + "。" * 300).json
    assert pinyin["decision"] == "REVIEW" and pinyin["hits"][0]["channel"] == "pinyin"
    clean = check(api, tenant.key, text="今天天气很好").json
    assert (clean["decision"], clean["hits"]) == ("PASS", [])
    api.call("POST", "/v1/names/allow", key=tenant.key, body={"phrases": ["打击代开发票专项行动"]})
    allowed = check(api, tenant.key, text="税务局开展打击代开发票专项行动" + "。" * 300).json
    assert (allowed["decision"], allowed["hits"]) == ("PASS", [])


def test_images_in_a_post_go_through_the_banks(api, tenant):
    api.call("PUT", "/v1/policy", key=tenant.key, body={"requests": {"max_body_bytes": 4 * 1024 * 1024}})
    banned = base64.b64encode(encode(logo(21))).decode()
    api.call("POST", "/v1/avatars/banks/banned/entries", key=tenant.key, body={"image": banned, "label": "违规图片"})
    answer = check(api, tenant.key, text="看图", images=[{"image": banned},
                                                        {"image": base64.b64encode(encode(logo(22))).decode()}]).json
    assert answer["decision"] == "REJECT"
    assert [len(i["matches"]) for i in answer["images"]] == [1, 0]
    assert answer["images"][0]["matches"][0]["code"] == "IMAGE_OF_CLOSED_ACCOUNT"


def test_a_cropped_copy_of_a_banned_photograph_in_a_post_is_found_through_its_centre(api, tenant):
    from tests.photos import crop, photo

    # GIVEN a banned photograph added by image (its entry keeps the hash of its centre)
    api.call("PUT", "/v1/policy", key=tenant.key, body={"requests": {"max_body_bytes": 4 * 1024 * 1024}})
    original = photo(33, (448, 448))
    entry = api.call("POST", "/v1/avatars/banks/banned/entries", key=tenant.key,
                     body={"image": base64.b64encode(encode(original)).decode(), "label": "违规图片"}).json
    # WHEN a post carries a copy with 8 % cut off every side, shrunk and saved again
    copy = encode(crop(original, 0.08, 0.08, 0.08, 0.08).resize((300, 300)), "JPEG", quality=80)
    answer = check(api, tenant.key, text="看图", images=[{"image": base64.b64encode(copy).decode()}]).json
    # THEN the post's image is the banned entry's, found as a centre crop, as an avatar check finds it (PA2017-13)
    assert answer["decision"] == "REJECT", answer
    assert [(m["entry_id"], m["transform"]) for m in answer["images"][0]["matches"]] == [
        (entry["entry_id"], "centre_crop")]


def test_text_over_the_policy_limit_is_refused(api, tenant):
    api.call("PUT", "/v1/policy", key=tenant.key, body={"content": {"max_chars": 100}})
    refused = check(api, tenant.key, text="字" * 101)
    assert (refused.status_code, refused.json["error"]["code"]) == (400, "TEXT_TOO_LONG")


def test_actions_on_content_are_kept_as_records_for_the_retention_period(api, tenant):
    body = {"content_id": "post-9", "content_sha256": "b" * 64, "account_id": "acct-1", "action": "DELETE",
            "category": "RUMOUR", "article": "MB2018-12", "at": "2026-11-20T08:00:00Z"}
    first = api.call("POST", "/v1/content/actions", key=tenant.key, body=body)
    again = api.call("POST", "/v1/content/actions", key=tenant.key, body=body)
    assert first.status_code == again.status_code == 201 and first.json["action_id"] == again.json["action_id"]
    listed = api.call("GET", "/v1/content/actions?from=2026-11-01T00:00:00Z", key=tenant.key).json["items"]
    assert [(a["content_id"], a["action"]) for a in listed] == [("post-9", "DELETE")]
    by_account = api.call("GET", "/v1/content/actions?from=2026-11-01T00:00:00Z&account_id=acct-1", key=tenant.key)
    assert len(by_account.json["items"]) == 1
    assert api.call("GET", "/v1/content/actions?from=2026-11-01T00:00:00Z&account_id=other",
                    key=tenant.key).json["items"] == []


def test_a_post_that_diverts_users_for_money_is_reviewed_as_paid_diversion(api, tenant):
    # GIVEN a post offering a QQ group for an entry fee, long enough to take the array path
    text = "今天天气很好。" * 60 + "想进内部群的加Q群 ⑨⑧⑦⑥⑤④③②①，进群费20元"
    # WHEN it is checked
    answer = check(api, tenant.key, text=text).json
    # THEN it is REVIEW on the contact channel, grounded in PA2020-18(7), with the group number and exact span
    (hit,) = answer["hits"]
    assert (answer["decision"], hit["code"], hit["article"]) == ("REVIEW", "CONTACT_DIVERSION", "PA2020-18(7)")
    assert text[hit["span"][0]:hit["span"][1]] == "Q群 ⑨⑧⑦⑥⑤④③②①"
