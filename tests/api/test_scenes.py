"""Scenes (MB2018-12, PA2020-8, PA2020-18, PA2017-13): policy `scenes` names the rules a check runs under where the
platform shows what it checks; every check takes an optional `scene`, and a check naming none answers as before.
An unknown scene is a 422 with its code, never a 500; lexicon entries may be limited to scenes; batch items take
their own scene and review; a check's scene is what its CHECK case records and is due by."""

from __future__ import annotations

from datetime import datetime

import pytest

SCENES = {"comment": {"channels": {"separator": False, "numeric": False}, "contact_diversion": "REJECT",
                      "avatar_distance": 8},
          "nickname_strict": {"terms": {"actions": ["REJECT"]}, "classifier_required": True},
          "private_message": {"channels": {"contact": False}}}
TERMS = [{"term": "法轮功", "category": "ILLEGAL_ORGANIZATION", "action": "REJECT"},
         {"term": "代购", "category": "OTHER_PROHIBITED", "action": "REVIEW"}]


def ok(response) -> dict:
    assert response.status_code in (200, 201), response.json
    return response.json


def with_scenes(api, tenant, **policy) -> None:
    ok(api.call("PUT", "/v1/policy", key=tenant.key, body={"scenes": SCENES, **policy}))


def name(api, tenant, text, field="nickname", **extra) -> dict:
    return ok(api.call("POST", "/v1/names/check", key=tenant.key, body={"text": text, "field": field, **extra}))


def post(api, tenant, text, **extra) -> dict:
    return ok(api.call("POST", "/v1/content/check", key=tenant.key, body={"text": text, **extra}))


def test_a_check_naming_no_scene_answers_exactly_as_before_scenes_were_defined(api, tenant):
    # GIVEN a tenant's answers before it has scenes
    ok(api.call("POST", "/v1/names/terms", key=tenant.key, body={"items": TERMS}))
    texts = ["法·轮·功", "海外代购", "加薇信 abc_2024"]
    before = [name(api, tenant, t, "description") for t in texts] + [post(api, tenant, "有人在宣传 法 轮 功 ⑥④")]
    # WHEN it defines scenes THEN checks naming none answer the same, with no scene in the answer
    with_scenes(api, tenant)
    after = [name(api, tenant, t, "description") for t in texts] + [post(api, tenant, "有人在宣传 法 轮 功 ⑥④")]
    assert after == before and not any("scene" in a for a in after)


def test_a_scene_that_turns_a_channel_off_finds_nothing_on_it(api, tenant):
    # GIVEN a term, and a scene with the separator channel off
    ok(api.call("POST", "/v1/names/terms", key=tenant.key, body={"items": TERMS}))
    with_scenes(api, tenant)
    # WHEN the term is written with separators THEN the default scene rejects it, the comment scene does not
    assert name(api, tenant, "法·轮·功")["decision"] == "REJECT"
    answer = name(api, tenant, "法·轮·功", scene="comment")
    assert (answer["decision"], answer["hits"]) == ("PASS", [])
    assert answer["scene"]["name"] == "comment" and "separator" in answer["scene"]["channels_off"]
    # AND the term written plainly is still found there; in a post only its reading (pinyin, on) is left: REVIEW
    assert name(api, tenant, "法轮功", scene="comment")["hits"][0]["channel"] == "exact"
    scened = post(api, tenant, "有人在宣传 法 轮 功", scene="comment")
    assert (scened["decision"], {h["channel"] for h in scened["hits"]}) == ("REVIEW", {"pinyin"})
    assert post(api, tenant, "有人在宣传 法 轮 功")["decision"] == "REJECT"


def test_a_scene_that_rejects_contact_diversion_says_so_and_another_turns_it_off(api, tenant):
    with_scenes(api, tenant)
    text = "加薇信 abc_2024"
    # GIVEN a contact in a description WHEN checked by default THEN REVIEW (policy names.contact_diversion)
    assert name(api, tenant, text, "description")["decision"] == "REVIEW"
    # WHEN checked in the comment scene THEN REJECT, the hit's action the scene's, the scene saying why
    answer = name(api, tenant, text, "description", scene="comment")
    (hit,) = answer["hits"]
    assert (answer["decision"], hit["code"], hit["action"]) == ("REJECT", "CONTACT_DIVERSION", "REJECT")
    assert hit["contact"]["ground"] == "PLATFORM_RULES" and answer["scene"]["contact_diversion"] == "REJECT"
    assert post(api, tenant, "有事打我电话 138 1234 5678", scene="comment")["decision"] == "REJECT"
    # AND in a scene with the contact channel off, a contact is no hit
    assert name(api, tenant, text, "description", scene="private_message")["decision"] == "PASS"


def test_an_entry_limited_to_a_scene_hits_only_there(api, tenant):
    with_scenes(api, tenant)
    # GIVEN a term limited to the comment scene, and a protected name limited to checks naming no scene
    added = ok(api.call("POST", "/v1/names/terms", key=tenant.key, body={"items": [
        {"term": "高仿", "category": "OTHER_PROHIBITED", "action": "REJECT", "scenes": ["comment"]}]}))
    assert added["items"][0]["scenes"] == ["comment"]
    ok(api.call("POST", "/v1/names/protected", key=tenant.key, body={
        "name": "蓝鲸示例传媒", "kind": "MEDIA", "scenes": ["default"]}))
    # WHEN checked in each scene THEN the term hits in the comment scene only, the name by default only
    assert name(api, tenant, "高仿手表店")["decision"] == "PASS"
    assert name(api, tenant, "高仿手表店", scene="private_message")["decision"] == "PASS"
    assert name(api, tenant, "高仿手表店", scene="comment")["hits"][0]["term"] == "高仿"
    assert post(api, tenant, "专卖高仿包", scene="comment")["decision"] == "REJECT"
    assert post(api, tenant, "专卖高仿包")["decision"] == "PASS"
    assert name(api, tenant, "蓝鲸示例传媒", "account_name")["decision"] == "REJECT"
    assert name(api, tenant, "蓝鲸示例传媒", "account_name", scene="comment")["decision"] == "PASS"
    # AND an index loaded from its stored artifact (another container) keeps the limits
    from chalicelib.names import service as names

    names.forget()
    assert name(api, tenant, "高仿手表店")["decision"] == "PASS"
    assert name(api, tenant, "高仿手表店", scene="comment")["decision"] == "REJECT"
    listed = ok(api.call("GET", "/v1/names/terms", key=tenant.key))["items"]
    assert [i["scenes"] for i in listed] == [["comment"]]


def test_an_entry_limited_to_a_scene_the_policy_lacks_is_refused_and_nothing_written(api, tenant):
    with_scenes(api, tenant)
    refused = api.call("POST", "/v1/names/terms", key=tenant.key, body={"items": [
        {"term": "代购", "category": "OTHER_PROHIBITED", "action": "REVIEW", "scenes": ["comment", "live_chat"]}]})
    assert (refused.status_code, refused.json["error"]["code"]) == (422, "SCENE_UNKNOWN")
    assert ok(api.call("GET", "/v1/names/terms", key=tenant.key))["items"] == []


@pytest.mark.parametrize(("path", "body"), [
    ("/v1/names/check", {"text": "李明", "field": "nickname", "scene": "live_chat"}),
    ("/v1/content/check", {"text": "今天天气很好", "scene": "live_chat"}),
    ("/v1/avatars/check", {"pdq": "f" * 64, "scene": "live_chat"}),
    ("/v1/rumours/match", {"text": "今天天气很好", "scene": "live_chat"}),
])
def test_an_unknown_scene_is_a_422_with_its_code_and_a_malformed_one_a_400(api, tenant, path, body):
    with_scenes(api, tenant)
    # GIVEN a scene the policy does not have WHEN a check names it THEN 422 SCENE_UNKNOWN naming the known ones
    refused = api.call("POST", path, key=tenant.key, body=body)
    assert (refused.status_code, refused.json["error"]["code"]) == (422, "SCENE_UNKNOWN")
    assert refused.json["error"]["message_zh"] and "comment" in refused.json["error"]["details"]["known"]
    # AND a scene that is no name at all is refused by the schema
    malformed = api.call("POST", path, key=tenant.key, body={**body, "scene": "Live Chat!" * 10})
    assert (malformed.status_code, malformed.json["error"]["code"]) == (400, "SCHEMA_VIOLATION")


def test_a_policy_scene_naming_what_does_not_exist_is_a_422_naming_the_field_and_nothing_stored(api, tenant):
    # GIVEN a scene with a category that does not exist WHEN put THEN 422 naming it, the policy unchanged
    refused = api.call("PUT", "/v1/policy", key=tenant.key, body={"scenes": {"comment": {
        "terms": {"categories": ["PORN"]}}}})
    assert (refused.status_code, refused.json["error"]["code"]) == (422, "POLICY_SCENE_INVALID")
    assert refused.json["error"]["details"]["field"] == "scenes.comment.terms.categories[0]"
    assert ok(api.call("GET", "/v1/policy", key=tenant.key))["policy"]["scenes"] == {}
    # AND due hours keyed by a scene the policy lacks are refused; by one it has, taken
    keyed = api.call("PUT", "/v1/policy", key=tenant.key, body={"reviews": {"due_hours": {"comment": 6}}})
    assert keyed.json["error"]["details"]["field"] == "reviews.due_hours.comment"
    with_scenes(api, tenant, reviews={"due_hours": {"comment": 6}})


def test_a_scene_s_avatar_distance_is_the_match_distance(api, tenant):
    # GIVEN a banned image's hash, and a copy 12 bits away
    banned = "0" * 64
    ok(api.call("POST", "/v1/avatars/banks/BANNED/entries", key=tenant.key, body={"pdq": banned, "label": "x"}))
    near = "fff" + "0" * 61
    with_scenes(api, tenant)
    # WHEN checked by default (31 bits) THEN REJECT; in the comment scene (8 bits) THEN no match
    assert ok(api.call("POST", "/v1/avatars/check", key=tenant.key, body={"pdq": near}))["decision"] == "REJECT"
    scened = ok(api.call("POST", "/v1/avatars/check", key=tenant.key, body={"pdq": near, "scene": "comment"}))
    assert (scened["decision"], scened["matches"], scened["threshold"]) == ("PASS", [], 8)
    assert scened["scene"] == {"name": "comment", "channels_off": ["numeric", "separator"], "avatar_distance": 8,
                               "contact_diversion": "REJECT"}


def test_a_scene_that_requires_the_classifier_reviews_when_it_cannot_answer(api, tenant):
    # GIVEN a classifier that cannot be called (no secret), not required by the policy
    with_scenes(api, tenant, content={"classifier": {"url": "https://classifier.example.com/v1"}})
    # WHEN a clean post is checked THEN by default our own decision, in the strict scene REVIEW
    assert post(api, tenant, "今天天气很好")["decision"] == "PASS"
    strict = post(api, tenant, "今天天气很好", scene="nickname_strict")
    assert (strict["decision"], strict["classifier"]) == ("REVIEW", "UNAVAILABLE")
    assert [h["code"] for h in strict["hits"]] == ["CLASSIFIER_REQUIRED"]


def test_batch_items_take_their_own_scene_and_review(api, tenant):
    ok(api.call("POST", "/v1/names/terms", key=tenant.key, body={"items": TERMS}))
    with_scenes(api, tenant, reviews={"due_hours": {"comment": 6}})
    review = {"object_type": "ACCOUNT", "object_id": "acct-1"}
    # GIVEN names: one with its object and a scene, one with a scene only, one in an unknown scene
    items = [{"text": "海外代购", "field": "nickname", "scene": "comment", "review": review},
             {"text": "海外代购", "field": "nickname", "scene": "nickname_strict"},
             {"text": "海外代购", "field": "nickname", "scene": "live_chat"}]
    # WHEN checked in one call
    got = ok(api.call("POST", "/v1/names/checks", key=tenant.key, body={"items": items}))["items"]
    # THEN the first opened a CHECK case recording its scene, due per reviews.due_hours of that scene
    first = got[0]["result"]
    assert (first["decision"], first["review"]["status"], first["scene"]["name"]) == ("REVIEW", "OPENED", "comment")
    case = ok(api.call("GET", f"/v1/cases/{first['case_id']}", key=tenant.key))
    (evidence,) = case["evidence"]
    assert (evidence["scene"], case["deadline_rule"]) == ("comment", "comment")
    hours = (datetime.fromisoformat(case["due_at"]) - datetime.fromisoformat(case["opened_at"])).total_seconds()
    assert hours == 6 * 3600
    # AND the second is its single check's answer (a REVIEW term is not in force there), the third its own error
    assert got[1]["result"] == name(api, tenant, "海外代购", scene="nickname_strict")
    assert got[1]["result"]["decision"] == "PASS" and "review" not in got[1]["result"]
    assert got[2]["error"]["code"] == "SCENE_UNKNOWN"
    # AND a post batch item with its object joins that object's case, as its single check would
    posts = [{"text": "有人代购", "scene": "comment", "review": review}, {"text": "今天天气很好", "review": review}]
    answered = ok(api.call("POST", "/v1/content/checks", key=tenant.key, body={"items": posts}))["items"]
    assert (answered[0]["result"]["review"]["status"], answered[0]["result"]["case_id"]) == ("JOINED",
                                                                                             first["case_id"])
    assert answered[1]["result"]["review"] == {"status": "NOT_OPENED"}
    slots = {e["kind"] + ":" + e["scene"] for e in ok(api.call("GET", f"/v1/cases/{first['case_id']}",
                                                                key=tenant.key))["evidence"]}
    assert slots == {"NAME:comment", "POST:comment"}


def test_a_rumour_match_in_a_scene_opens_its_case_under_that_scene(api, tenant):
    # GIVEN a known rumour, and due hours keyed by the comment scene
    claim = "紧急通知：明天起全市自来水停水三天，请大家马上囤水，转发给亲朋好友！"
    ok(api.call("POST", "/v1/rumours", key=tenant.key, body={"claim": claim, "refutation": {
        "text": "经核实，该消息为谣言。", "source_url": "https://example.gov.cn/piyao/1", "issuing_body": "示例市"}}))
    with_scenes(api, tenant, reviews={"due_hours": {"comment": 6}})
    # WHEN a comment repeating it is matched in the comment scene, naming its object
    answer = ok(api.call("POST", "/v1/rumours/match", key=tenant.key, body={
        "text": claim, "scene": "comment", "review": {"object_type": "COMMENT", "object_id": "cm-1"}}))
    # THEN the answer names the scene and the CHECK case records it, due per its own due hours
    assert answer["matched"] and answer["scene"]["name"] == "comment"
    case = ok(api.call("GET", f"/v1/cases/{answer['case_id']}", key=tenant.key))
    assert (case["evidence"][0]["scene"], case["deadline_rule"]) == ("comment", "comment")
    hours = (datetime.fromisoformat(case["due_at"]) - datetime.fromisoformat(case["opened_at"])).total_seconds()
    assert hours == 6 * 3600


# --- scenes that set a term's action, allow-list phrases by scene, registration and founding in a scene ----------

SETTING = {"comment": {"terms": {"set_action": [{"action": "REVIEW", "to": "REJECT"}]}},
           "private_message": {"terms": {"set_action": [{"category": "ILLEGAL_ORGANIZATION", "action": "REJECT",
                                                         "to": "REVIEW"}]}}}


def test_a_scene_raises_or_lowers_a_term_s_action_and_the_hit_says_which_rule(api, tenant):
    # GIVEN a REVIEW term and a REJECT term, and the answers by default before the tenant has scenes
    ok(api.call("POST", "/v1/names/terms", key=tenant.key, body={"items": TERMS}))
    texts = ["海外代购", "法轮功", "代购法轮功"]
    before = [name(api, tenant, t) for t in texts] + [post(api, tenant, "有人代购 法轮功")]
    ok(api.call("PUT", "/v1/policy", key=tenant.key, body={"scenes": SETTING}))
    # WHEN checked in a comment THEN the REVIEW term rejects, the hit naming the scene, the rule and its own action
    raised = name(api, tenant, "海外代购", scene="comment")
    (hit,) = raised["hits"]
    assert (raised["decision"], hit["action"]) == ("REJECT", "REJECT")
    assert hit["scene_rule"] == {"scene": "comment", "rule": "scenes.comment.terms.set_action[0]",
                                 "original_action": "REVIEW"}
    assert raised["scene"]["set_action"] == [{"action": "REVIEW", "to": "REJECT"}]
    scened = post(api, tenant, "有人代购", scene="comment")
    assert (scened["decision"], scened["hits"][0]["scene_rule"]["original_action"]) == ("REJECT", "REVIEW")
    # AND in a private message the REJECT term is REVIEW
    lowered = name(api, tenant, "法轮功", scene="private_message")
    assert (lowered["decision"], lowered["hits"][0]["action"]) == ("REVIEW", "REVIEW")
    assert post(api, tenant, "有人宣传法轮功", scene="private_message")["decision"] == "REVIEW"
    # AND checks naming no scene answer exactly as before, with no scene_rule
    after = [name(api, tenant, t) for t in texts] + [post(api, tenant, "有人代购 法轮功")]
    assert after == before and not any("scene_rule" in h for a in after for h in a["hits"])


@pytest.mark.parametrize(("rule", "field"), [
    ({"category": "SPAM", "to": "REJECT"}, "scenes.comment.terms.set_action[0].category"),
    ({"action": "BLOCK", "to": "REJECT"}, "scenes.comment.terms.set_action[0].action"),
    ({"to": "PASS"}, "scenes.comment.terms.set_action[0].to"),
])
def test_a_set_action_rule_naming_what_does_not_exist_is_a_422_naming_its_field(api, tenant, rule, field):
    refused = api.call("PUT", "/v1/policy", key=tenant.key, body={"scenes": {"comment": {
        "terms": {"set_action": [rule]}}}})
    assert (refused.status_code, refused.json["error"]["code"]) == (422, "POLICY_SCENE_INVALID")
    assert refused.json["error"]["details"]["field"] == field and refused.json["error"]["message_zh"]
    assert ok(api.call("GET", "/v1/policy", key=tenant.key))["policy"]["scenes"] == {}
    # AND a rule with no action to set, or a field it does not have, is the schema's 400
    for bad in ({"action": "REVIEW"}, {"to": "REJECT", "label": "x"}):
        malformed = api.call("PUT", "/v1/policy", key=tenant.key, body={"scenes": {"comment": {
            "terms": {"set_action": [bad]}}}})
        assert (malformed.status_code, malformed.json["error"]["code"]) == (400, "SCHEMA_VIOLATION")


def test_an_allow_list_phrase_limited_to_a_scene_allows_only_there_also_once_reloaded(api, tenant):
    with_scenes(api, tenant)
    ok(api.call("POST", "/v1/names/terms", key=tenant.key, body={"items": TERMS}))
    # GIVEN a phrase allowed in comments only
    added = ok(api.call("POST", "/v1/names/allow", key=tenant.key, body={"phrases": ["反代购联盟"],
                                                                           "scenes": ["comment"]}))
    assert added["items"][0]["scenes"] == ["comment"]
    # WHEN checked in comments THEN allowed; by default or in another scene THEN the term hits
    assert name(api, tenant, "反代购联盟", scene="comment")["decision"] == "PASS"
    assert name(api, tenant, "反代购联盟")["decision"] == "REVIEW"
    assert name(api, tenant, "反代购联盟", scene="private_message")["decision"] == "REVIEW"
    assert post(api, tenant, "我们是反代购联盟", scene="comment")["decision"] == "PASS"
    assert post(api, tenant, "我们是反代购联盟")["decision"] == "REVIEW"
    # AND an index loaded from its stored artifact (another container) keeps the limit
    from chalicelib.names import service as names

    names.forget()
    assert name(api, tenant, "反代购联盟")["decision"] == "REVIEW"
    assert name(api, tenant, "反代购联盟", scene="comment")["decision"] == "PASS"
    assert [i["scenes"] for i in ok(api.call("GET", "/v1/names/allow", key=tenant.key))["items"]] == [["comment"]]
    # AND a phrase limited to a scene the policy lacks is refused, nothing written
    refused = api.call("POST", "/v1/names/allow", key=tenant.key, body={"phrases": ["x代购"], "scenes": ["live"]})
    assert (refused.status_code, refused.json["error"]["code"]) == (422, "SCENE_UNKNOWN")
    assert len(ok(api.call("GET", "/v1/names/allow", key=tenant.key))["items"]) == 1


def test_registration_and_founding_check_the_name_in_the_scene_they_name_and_record_it(api, tenant):
    from tests.builders import register, verified_subject

    ok(api.call("POST", "/v1/names/terms", key=tenant.key, body={"items": TERMS}))
    ok(api.call("PUT", "/v1/policy", key=tenant.key, body={"scenes": SETTING}))
    subject_id = verified_subject(api, tenant.key, seed=41)[0]
    # GIVEN a name with a REVIEW term WHEN registered naming no scene THEN under review, as before, no scene kept
    plain = ok(register(api, tenant.key, subject_id, "海外代购小店", "USER"))
    assert plain["status"] == "UNDER_REVIEW" and "scene" not in plain["name_check"]
    # WHEN registered in a scene that raises it THEN refused, the hit naming the rule
    refused = register(api, tenant.key, subject_id, "海外代购小店", "USER", scene="comment")
    assert (refused.status_code, refused.json["error"]["code"]) == (422, "NAME_REFUSED")
    assert refused.json["error"]["details"]["hits"][0]["scene_rule"]["scene"] == "comment"
    # AND a REJECT term lowered in a scene registers under review, the account recording the scene
    lowered = ok(register(api, tenant.key, subject_id, "法轮功小站", "USER", scene="private_message"))
    assert lowered["status"] == "UNDER_REVIEW" and lowered["name_check"]["scene"]["name"] == "private_message"
    fetched = ok(api.call("GET", f"/v1/accounts/{lowered['account_id']}", key=tenant.key))
    assert fetched["name_check"]["scene"]["name"] == "private_message"
    # AND an unknown scene is 422 SCENE_UNKNOWN, nothing registered
    unknown = register(api, tenant.key, subject_id, "普通用户", "USER", scene="live_chat")
    assert (unknown.status_code, unknown.json["error"]["code"]) == (422, "SCENE_UNKNOWN")
    # GIVEN the same for a group name
    body = {"founder_subject_id": subject_id, "group_type": "PRIVATE", "name": "海外代购群"}
    founded = ok(api.call("POST", "/v1/groups", key=tenant.key, body=body))
    assert founded["status"] == "UNDER_REVIEW" and "scene" not in founded["name_check"]
    scened = api.call("POST", "/v1/groups", key=tenant.key, body={**body, "scene": "comment"})
    assert (scened.status_code, scened.json["error"]["code"]) == (422, "NAME_REFUSED")
    lowered_group = ok(api.call("POST", "/v1/groups", key=tenant.key, body={**body, "name": "法轮功群",
                                                                             "scene": "private_message"}))
    assert lowered_group["name_check"]["scene"]["name"] == "private_message"
    unknown = api.call("POST", "/v1/groups", key=tenant.key, body={**body, "scene": "live_chat"})
    assert (unknown.status_code, unknown.json["error"]["code"]) == (422, "SCENE_UNKNOWN")


NAME_SCENES = {"comment": {"names": {"set_action": [{"list": "protected", "action": "REJECT", "to": "REVIEW"}]}},
               "nickname_strict": {"names": {"set_action": [{"action": "REVIEW", "to": "REJECT"}]}}}


def test_a_scene_raises_or_lowers_a_protected_or_banned_name_s_action_and_the_hit_says_which_rule(api, tenant):
    from tests.builders import register, verified_subject

    owner, other = verified_subject(api, tenant.key, seed=43)[0], verified_subject(api, tenant.key, seed=44)[0]
    ok(api.call("POST", "/v1/names/protected", key=tenant.key, body={
        "name": "星河示例科技", "kind": "ENTERPRISE", "aliases": ["星河科技"], "owner_subject_ids": [owner]}))
    ok(api.call("POST", "/v1/names/banned", key=tenant.key, body={"name": "快乐小屋分享", "reason": "rumours",
                                                                   "days": 30}))
    # GIVEN the answers by default before the tenant has scenes
    checks = [("星河科技", "nickname"), ("我每天看人民日报", "description"), ("快乐小屋分享2号", "nickname")]
    before = [name(api, tenant, t, f) for t, f in checks]
    assert [a["decision"] for a in before] == ["REJECT", "REVIEW", "REVIEW"]
    ok(api.call("PUT", "/v1/policy", key=tenant.key, body={"scenes": NAME_SCENES}))
    # WHEN a protected name is checked in a comment THEN REVIEW, the hit naming the scene, the rule and its action
    lowered = name(api, tenant, "星河科技", scene="comment")
    (hit,) = lowered["hits"]
    assert (lowered["decision"], hit["code"], hit["action"]) == ("REVIEW", "NAME_IMPERSONATES_ENTERPRISE", "REVIEW")
    assert hit["scene_rule"] == {"scene": "comment", "rule": "scenes.comment.names.set_action[0]",
                                 "original_action": "REJECT"}
    assert lowered["scene"]["names_set_action"] == [{"list": "protected", "action": "REJECT", "to": "REVIEW"}]
    # AND a banned name written whole still rejects there: the rule names protected names only
    assert name(api, tenant, "快乐小屋分享", scene="comment")["decision"] == "REJECT"
    # AND in a strict scene a built-in medium mentioned in a description, and a banned name inside a longer one,
    # reject
    for text, field in checks[1:]:
        raised = name(api, tenant, text, field, scene="nickname_strict")
        assert (raised["decision"], raised["hits"][0]["scene_rule"]["original_action"]) == ("REJECT", "REVIEW")
    # AND registration: another subject's account named after the enterprise is under review in a comment scene,
    # refused by default; the owner's registers in every scene
    assert register(api, tenant.key, other, "星河科技", "USER").json["error"]["code"] == "NAME_REFUSED"
    reviewed = ok(register(api, tenant.key, other, "星河科技", "USER", scene="comment"))
    assert reviewed["status"] == "UNDER_REVIEW"
    assert reviewed["name_check"]["hits"][0]["scene_rule"]["rule"] == "scenes.comment.names.set_action[0]"
    owned = ok(register(api, tenant.key, owner, "星河科技旗舰店", "USER", scene="nickname_strict"))
    assert owned["name_check"]["decision"] == "PASS"
    # AND checks naming no scene answer exactly as before, with no scene_rule
    assert [name(api, tenant, t, f) for t, f in checks] == before


def test_a_names_set_action_rule_naming_what_does_not_exist_or_setting_pass_is_a_422_naming_its_field(api, tenant):
    for rule, field in (({"list": "protected", "to": "PASS"}, "scenes.comment.names.set_action[0].to"),
                        ({"list": "banned", "category": "MEDIA", "to": "REVIEW"},
                         "scenes.comment.names.set_action[0].category")):
        refused = api.call("PUT", "/v1/policy", key=tenant.key, body={"scenes": {"comment": {
            "names": {"set_action": [rule]}}}})
        assert (refused.status_code, refused.json["error"]["code"]) == (422, "POLICY_SCENE_INVALID")
        assert refused.json["error"]["details"]["field"] == field and refused.json["error"]["message_zh"]
    assert ok(api.call("GET", "/v1/policy", key=tenant.key))["policy"]["scenes"] == {}
    # AND a rule with no action to set, or a field it does not have, is the schema's 400
    for bad in ({"list": "protected"}, {"to": "REVIEW", "owner": "x"}):
        malformed = api.call("PUT", "/v1/policy", key=tenant.key, body={"scenes": {"comment": {
            "names": {"set_action": [bad]}}}})
        assert (malformed.status_code, malformed.json["error"]["code"]) == (400, "SCHEMA_VIOLATION")
