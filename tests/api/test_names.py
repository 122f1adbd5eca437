"""POST /v1/names/check and the lexicon: evasions, owners, allow-list, re-registration, versions."""

from __future__ import annotations

import pytest

from chalicelib.names.index import NameIndex


def check(api, key, text, field="account_name", subject_id=None):
    body = {"text": text, "field": field}
    if subject_id:
        body["subject_id"] = subject_id
    response = api.call("POST", "/v1/names/check", key=key, body=body)
    assert response.status_code == 200, response.json
    return response.json


@pytest.mark.parametrize(("text", "channel"), [
    ("人民日报", "exact"),
    ("人民日報", "normalized"),                 # traditional
    ("ＣＣＴＶ", "normalized"),                  # full-width
    ("ссtv", "skeleton"),                       # Cyrillic look-alikes
    ("人民曰报", "skeleton"),                    # Han look-alike
    ("人\u200b民\u200d日报", "separator"),       # zero-width characters
    ("人 民·日_报", "separator"),               # separators
    ("人😀民日报", "separator"),                  # emoji between characters
    ("renminribao", "pinyin"),                  # typed in pinyin
    ("人民日刊", "similar"),                     # one character changed
    ("人民日宝", "pinyin"),                      # homophone (bao)
])
def test_each_evasion_kind_is_caught_and_named(api, tenant, text, channel):
    answer = check(api, tenant.key, text)
    assert answer["decision"] in ("REJECT", "REVIEW")
    (hit,) = answer["hits"]
    assert (hit["code"], hit["channel"], hit["article"]) == ("NAME_IMPERSONATES_MEDIA", channel, "PA2020-8")
    assert hit["span"] == [0, len(text)]
    expected = "REVIEW" if channel in ("pinyin", "similar") else "REJECT"
    assert hit["action"] == answer["decision"] == expected


def test_spans_index_the_original_text_and_affixes_are_named(api, tenant):
    text = "【官方】國務院 客服"
    (hit,) = check(api, tenant.key, text)["hits"]
    assert text[hit["span"][0]:hit["span"][1]] == "國務院"
    assert hit["affix"] in ("官方", "客服")  # both stand next to it


def test_ordinary_names_pass(api, tenant):
    for text in ("中国人民大学", "人民公园", "新华书店", "李明", "小王的烘焙坊", "公安部门通知", "北京大学"):
        assert check(api, tenant.key, text)["decision"] == "PASS", text


def test_a_mention_in_a_description_is_review_but_with_an_official_affix_reject(api, tenant):
    assert check(api, tenant.key, "我每天看人民日报", field="description")["decision"] == "REVIEW"
    assert check(api, tenant.key, "人民日报官方账号", field="description")["decision"] == "REJECT"


def test_owners_may_use_their_protected_name(api, tenant):
    registered = api.call("POST", "/v1/names/protected", key=tenant.key, body={
        "name": "星河示例科技", "kind": "ENTERPRISE", "aliases": ["星河科技"], "owner_subject_ids": ["sub_owner"]})
    assert registered.status_code == 201
    assert check(api, tenant.key, "星河科技旗舰店")["decision"] == "REJECT"
    assert check(api, tenant.key, "星河科技旗舰店", subject_id="sub_owner")["decision"] == "PASS"
    assert check(api, tenant.key, "星河科技旗舰店",
                 subject_id="sub_other")["hits"][0]["code"] == "NAME_IMPERSONATES_ENTERPRISE"


def test_terms_take_their_action_and_allow_list_phrases_cover_them(api, tenant):
    api.call("POST", "/v1/names/terms", key=tenant.key, body={"items": [
        {"term": "代购", "category": "OTHER_PROHIBITED", "action": "REVIEW"},
        {"term": "高仿", "category": "OTHER_PROHIBITED", "action": "REJECT"}]})
    hit = check(api, tenant.key, "高仿手表店")["hits"][0]
    assert (hit["code"], hit["action"], hit["article"]) == ("PROHIBITED_TERM", "REJECT", "BJ2011-10(11)")
    assert check(api, tenant.key, "海外代购")["decision"] == "REVIEW"
    api.call("POST", "/v1/names/allow", key=tenant.key, body={"phrases": ["代购物流"]})
    assert check(api, tenant.key, "代购物流园")["decision"] == "PASS"
    assert check(api, tenant.key, "海外代购")["decision"] == "REVIEW"


def test_banned_names_cannot_return_equal_or_near(api, tenant):
    banned = api.call("POST", "/v1/names/banned", key=tenant.key,
                      body={"name": "快乐小屋分享", "reason": "closed for spreading rumours", "days": 30})
    assert banned.status_code == 201 and banned.json["items"][0]["article"] == "PA2017-13"
    same = check(api, tenant.key, "快樂小屋 分享")
    assert (same["decision"], same["hits"][0]["code"]) == ("REJECT", "REREGISTRATION_SIMILAR")
    near = check(api, tenant.key, "快乐小屋分亨")
    assert (near["decision"], near["hits"][0]["channel"]) == ("REVIEW", "similar")
    assert check(api, tenant.key, "快乐小屋分享2号")["decision"] == "REVIEW"
    assert check(api, tenant.key, "快乐生活")["decision"] == "PASS"


def test_a_lexicon_change_takes_effect_on_the_next_request(api, tenant):
    before = check(api, tenant.key, "蓝鲸示例传媒")
    assert before["decision"] == "PASS"
    added = api.call("POST", "/v1/names/protected", key=tenant.key,
                     body={"name": "蓝鲸示例传媒", "kind": "MEDIA"}).json
    after = check(api, tenant.key, "蓝鲸示例传媒")
    assert after["decision"] == "REJECT"
    assert after["lexicon_version"] == added["lexicon_version"] != before["lexicon_version"]
    entry_id = added["items"][0]["entry_id"]
    listed = api.call("GET", "/v1/names/protected", key=tenant.key).json["items"]
    assert [e["entry_id"] for e in listed] == [entry_id]
    removed = api.call("DELETE", f"/v1/names/protected/{entry_id}", key=tenant.key)
    assert removed.status_code == 200
    assert check(api, tenant.key, "蓝鲸示例传媒")["decision"] == "PASS"
    again = api.call("DELETE", f"/v1/names/protected/{entry_id}", key=tenant.key)
    assert (again.status_code, again.json["error"]["code"]) == (404, "LEXICON_ENTRY_NOT_FOUND")


def test_a_new_container_loads_the_stored_artifact_instead_of_rebuilding(api, tenant, monkeypatch):
    from chalicelib.names import service as names

    api.call("POST", "/v1/names/protected", key=tenant.key, body={"name": "蓝鲸示例传媒", "kind": "MEDIA"})
    check(api, tenant.key, "蓝鲸")
    names.forget()
    builds = []
    original = NameIndex.build.__func__
    monkeypatch.setattr(NameIndex, "build", classmethod(lambda cls, *a: builds.append(a) or original(cls, *a)))
    assert check(api, tenant.key, "蓝鲸示例传媒")["decision"] == "REJECT"
    assert builds == []


def test_one_tenants_lexicon_is_not_anothers(api, make_tenant):
    acme, zeta = make_tenant("acme"), make_tenant("zeta")
    api.call("POST", "/v1/names/terms", key=acme.key, body={"items": [
        {"term": "高仿", "category": "OTHER_PROHIBITED", "action": "REJECT"}]})
    assert check(api, zeta.key, "高仿手表")["decision"] == "PASS"
    assert api.call("GET", "/v1/names/terms", key=zeta.key).json["items"] == []


@pytest.mark.parametrize(("body", "code"), [
    ({"text": "", "field": "account_name"}, "TEXT_EMPTY"),
    ({"text": "\u200b\u200b \n", "field": "nickname"}, "TEXT_EMPTY"),
    ({"text": "长" * 31, "field": "account_name"}, "TEXT_TOO_LONG"),
    ({"text": "ok", "field": "title"}, "SCHEMA_VIOLATION"),
])
def test_bad_input_is_a_400(api, tenant, body, code):
    response = api.call("POST", "/v1/names/check", key=tenant.key, body=body)
    assert (response.status_code, response.json["error"]["code"]) == (400, code)


def test_single_and_repeated_character_entries_are_kept_and_only_empty_ones_refused(api, tenant):
    # GIVEN a platform lexicon with a single-character term and one of a repeated character (the old check
    # refused the first and collapsed the second to one character)
    added = api.call("POST", "/v1/names/terms", key=tenant.key, body={"items": [
        {"term": "赌", "category": "OBSCENITY_GAMBLING_VIOLENCE", "action": "REJECT"},
        {"term": "嘿嘿", "category": "OTHER_PROHIBITED", "action": "REVIEW"}]})
    assert added.status_code == 201, added.json
    # WHEN names are checked THEN each is found as written, and one 嘿 is not 嘿嘿
    assert check(api, tenant.key, "线上赌场")["decision"] == "REJECT"
    assert check(api, tenant.key, "嘿嘿嘿")["hits"][0]["term"] == "嘿嘿"
    assert check(api, tenant.key, "嘿小店")["decision"] == "PASS"
    # AND an entry with nothing left to match once normalized is still refused
    response = api.call("POST", "/v1/names/terms", key=tenant.key,
                        body={"items": [{"term": "！？…", "category": "OTHER_PROHIBITED", "action": "REJECT"}]})
    assert (response.status_code, response.json["error"]["code"]) == (400, "LEXICON_ENTRY_TOO_SHORT")


def test_a_latin_term_matches_whole_words_unless_it_asks_for_substrings(api, tenant):
    # GIVEN a Latin term, and another that asked for substring matching
    added = api.call("POST", "/v1/names/terms", key=tenant.key, body={"items": [
        {"term": "sex", "category": "OBSCENITY_GAMBLING_VIOLENCE", "action": "REJECT"},
        {"term": "porn", "category": "OBSCENITY_GAMBLING_VIOLENCE", "action": "REJECT", "match": "substring"}]})
    assert added.status_code == 201 and added.json["items"][1]["match"] == "substring"
    # WHEN ordinary English holds them inside longer words THEN only the substring term is found
    assert check(api, tenant.key, "Middlesex Sussex Essex", field="description")["decision"] == "PASS"
    assert check(api, tenant.key, "pornhub mirror", field="description")["decision"] == "REJECT"
    # AND the word-matched term is still found as a word, beside CJK, and over separators
    for text in ("free sex chat", "看sex视频", "s.e.x"):
        assert check(api, tenant.key, text, field="description")["decision"] == "REJECT", text


def test_a_contact_in_a_name_is_reviewed_and_rejected_where_the_policy_says_so(api, tenant):
    # GIVEN a tenant on the default policy
    # WHEN a nickname moves users to WeChat in a disguise
    answer = check(api, tenant.key, "小美 薇信：mei_8888", field="nickname")
    # THEN the answer is REVIEW with a CONTACT_DIVERSION hit naming the kind, value and ground
    (hit,) = answer["hits"]
    assert (answer["decision"], hit["code"], hit["channel"]) == ("REVIEW", "CONTACT_DIVERSION", "contact")
    assert hit["contact"] == {"kind": "WECHAT", "value": "mei_8888", "ground": "PLATFORM_RULES"}
    # AND a phone in a description is masked in the answer
    phone = check(api, tenant.key, "合作请致电 一三八 一二三四 五六七八", field="description")["hits"][0]["contact"]
    assert phone["value"] == "138****5678"
    # WHEN the tenant's policy makes contact diversion REJECT THEN the same nickname is rejected
    patched = api.call("PUT", "/v1/policy", key=tenant.key, body={"names": {"contact_diversion": "REJECT"}})
    assert patched.status_code == 200, patched.json
    assert check(api, tenant.key, "小美 薇信：mei_8888", field="nickname")["decision"] == "REJECT"


def test_a_cue_without_a_value_is_a_contact_with_a_null_value_in_names_and_posts(api, tenant):
    from chalicelib.core import validation

    # GIVEN a tenant on the default policy
    # WHEN a nickname and a long post ask users to add a WeChat with no id after the cue
    answer = check(api, tenant.key, "小美 加V详聊", field="nickname")
    text = "今天天气很好。" * 60 + "想要资料的私聊加扣扣"
    post = api.call("POST", "/v1/content/check", key=tenant.key, body={"text": text}).json
    # THEN each is REVIEW with a CONTACT_DIVERSION hit of the channel's kind, value null, spanning the cue
    (hit,) = answer["hits"]
    assert (answer["decision"], hit["code"], hit["channel"]) == ("REVIEW", "CONTACT_DIVERSION", "contact")
    assert hit["contact"] == {"kind": "WECHAT", "value": None, "ground": "PLATFORM_RULES"}
    assert "小美 加V详聊"[hit["span"][0]:hit["span"][1]] == "加V详聊"
    validation.check("name_check.json", answer)
    (posted,) = post["hits"]
    assert post["decision"] == "REVIEW"
    assert posted["contact"] == {"kind": "QQ", "value": None, "ground": "PLATFORM_RULES"}
    assert text[posted["span"][0]:posted["span"][1]] == "加扣扣"


def test_bulk_imports_larger_than_one_transaction_are_stored_whole(api, tenant):
    # GIVEN batches past what one DynamoDB transaction holds with its version bump and audit chain (100 items)
    terms = [{"term": f"批量词条{n:04d}", "category": "OTHER_PROHIBITED", "action": "REVIEW"} for n in range(120)]
    banned = [{"name": f"封禁名称{n:04d}", "reason": "批量导入"} for n in range(98)]
    # WHEN they are imported THEN every entry is stored and listed (98 or more was a 400 STORE_REJECTED_INPUT)
    added = api.call("POST", "/v1/names/terms", key=tenant.key, body={"items": terms})
    assert added.status_code == 201, added.json
    assert api.call("POST", "/v1/names/banned/bulk", key=tenant.key, body={"items": banned}).status_code == 201
    phrases = [f"允许短语{n:04d}" for n in range(98)]
    allowed = api.call("POST", "/v1/names/allow", key=tenant.key, body={"phrases": phrases})
    assert allowed.status_code == 201, allowed.json
    listed = api.call("GET", "/v1/names/terms?limit=200", key=tenant.key).json
    seen = len(listed["items"])
    while listed.get("next_cursor"):
        listed = api.call("GET", f"/v1/names/terms?limit=200&cursor={listed['next_cursor']}", key=tenant.key).json
        seen += len(listed["items"])
    assert seen == 120
