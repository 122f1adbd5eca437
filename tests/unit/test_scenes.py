"""Scenes (core/scenes.py): a check's scene resolves from policy `scenes` to the rules it runs under; DEFAULT
changes nothing; an unknown scene is 422 SCENE_UNKNOWN; a policy naming a category, action or channel that does
not exist, or due hours of no scene, is 422 POLICY_SCENE_INVALID naming the field (MB2018-12, PA2020-8,
PA2020-18). What a scene lets stand is decided on the matches, before the evidence is weighed."""

from __future__ import annotations

import pytest

from chalicelib.core import policy_rules, scenes
from chalicelib.core.errors import Unprocessable
from chalicelib.names import entries
from chalicelib.names.check import check
from chalicelib.names.evidence import RANK
from chalicelib.names.index import NameIndex
from chalicelib.names.post import check_text
from chalicelib.names.scene_hits import post_filter
from chalicelib.reports import review_evidence_rules, review_rules
from chalicelib.reports.review_rules import CheckKind, ReviewScene

COMMENT = {"terms": {"categories": ["ILLEGAL_ORGANIZATION", "NATIONAL_SECURITY", "OTHER_PROHIBITED"],
                     "actions": ["REJECT"]},
           "channels": {"pinyin": False, "numeric": False, "separator": False}, "avatar_distance": 12,
           "contact_diversion": "REJECT", "classifier_required": True}
POLICY = {"comment": COMMENT, "private_message": {"channels": {"contact": False, "classifier": False}}}


def policy_with(**changes: object) -> dict:
    return policy_rules.effective(changes)


def test_no_scene_and_default_resolve_to_the_scene_that_changes_nothing():
    # GIVEN a policy with scenes WHEN a check names none, or `default` THEN DEFAULT: every channel on, nothing set
    for name in (None, "default"):
        scene = scenes.resolve(POLICY, name)
        assert scene is scenes.DEFAULT_SCENE and scene.view() == {"name": "default"}
        assert all(scene.on(c) for c in scenes.CHANNELS)
        assert scene.contact_action("REVIEW") == "REVIEW" and scene.distance(31) == 31
        assert scene.classifier(False) == (True, False) and scene.in_force("CONSTITUTION", "REVIEW")


def test_a_named_scene_resolves_to_its_rules_and_says_them():
    # GIVEN the comment scene WHEN resolved THEN each rule holds, and the view names every one
    scene = scenes.resolve(POLICY, "comment")
    assert scene.in_force("ILLEGAL_ORGANIZATION", "REJECT")
    assert not scene.in_force("ILLEGAL_ORGANIZATION", "REVIEW") and not scene.in_force("CONSTITUTION", "REJECT")
    assert not scene.on("pinyin") and scene.on("similar")
    assert (scene.contact_action("REVIEW"), scene.distance(31), scene.classifier(False)) == ("REJECT", 12,
                                                                                             (True, True))
    assert scene.view() == {"name": "comment", "categories": COMMENT["terms"]["categories"], "actions": ["REJECT"],
                            "channels_off": ["numeric", "pinyin", "separator"], "avatar_distance": 12,
                            "contact_diversion": "REJECT", "classifier_required": True}
    # AND a scene turning contact and the classifier off finds no contact and asks no classifier
    quiet = scenes.resolve(POLICY, "private_message")
    assert quiet.contact_action("REJECT") is None and quiet.classifier(True) == (False, True)


def test_entries_limited_to_scenes_count_only_there():
    comment = scenes.resolve(POLICY, "comment")
    assert comment.admits(()) and comment.admits(("comment",)) and not comment.admits(("nickname",))
    assert scenes.DEFAULT_SCENE.admits(("default",)) and not scenes.DEFAULT_SCENE.admits(("comment",))


@pytest.mark.parametrize("name", ["nickname", "Comment", "", "x" * 40])
def test_an_unknown_scene_is_a_422_naming_the_known_ones(name):
    # GIVEN a scene the policy does not have WHEN a check names it THEN 422 SCENE_UNKNOWN, never a 500
    with pytest.raises(Unprocessable) as refused:
        scenes.resolve(POLICY, name)
    assert refused.value.error_code == "SCENE_UNKNOWN"
    assert refused.value.details == {"scene": name, "known": ["default", "comment", "private_message"]}


@pytest.mark.parametrize(("changes", "field"), [
    ({"scenes": {"c": {"terms": {"categories": ["PORN"]}}}}, "scenes.c.terms.categories[0]"),
    ({"scenes": {"c": {"terms": {"actions": ["REVIEW", "BLOCK"]}}}}, "scenes.c.terms.actions[1]"),
    ({"scenes": {"c": {"channels": {"homophone": False}}}}, "scenes.c.channels.homophone"),
    ({"scenes": {"c": {"channels": {"exact": False}}}}, "scenes.c.channels.exact"),
    ({"scenes": {"default": {}}}, "scenes.default"),
    ({"scenes": {"c": {"classifier_required": True, "channels": {"classifier": False}}}},
     "scenes.c.classifier_required"),
    ({"reviews": {"due_hours": {"comment": 12}}}, "reviews.due_hours.comment"),
])
def test_a_policy_naming_what_does_not_exist_is_a_422_naming_the_field(changes, field):
    # GIVEN a policy whose scenes name an unknown category, action or channel, or due hours of no scene
    # WHEN validated THEN 422 POLICY_SCENE_INVALID naming that field
    with pytest.raises(Unprocessable) as refused:
        scenes.validate(policy_with(**changes))
    assert refused.value.error_code == "POLICY_SCENE_INVALID" and refused.value.details["field"] == field


def test_due_hours_may_be_keyed_by_a_scene_the_policy_has_and_stored_policies_stay_valid():
    scenes.validate(policy_with(scenes=POLICY, reviews={"due_hours": {"comment": 12, "nickname": 6}}))
    scenes.validate(policy_rules.DEFAULTS)


def test_the_switchable_channels_and_review_scenes_are_the_product_s_own():
    # GIVEN the channels hits are reported on and the review scenes WHEN compared THEN the lists agree
    assert set(scenes.CHANNELS) == set(RANK) - {"exact"} | {"classifier"}
    assert set(scenes.DIRECT_CHANNELS) == {c for c, rank in RANK.items() if rank <= RANK["separator"]}
    assert scenes.REVIEW_SCENES == tuple(s.value for s in ReviewScene)


def _index() -> NameIndex:
    return NameIndex.build([
        entries.term("t_fl", "法轮功", "ILLEGAL_ORGANIZATION", "REJECT"),
        entries.term("t_dg", "代购", "OTHER_PROHIBITED", "REVIEW"),
        entries.term("t_gf", "高仿", "OTHER_PROHIBITED", "REJECT", scenes=("comment",)),
        entries.term("t_64", "六四", "NATIONAL_SECURITY", "REJECT"),
        entries.term("t_db", "赌博", "OBSCENITY_GAMBLING_VIOLENCE", "REJECT"),
        *entries.protected("pn_1", "示例传媒集团", "MEDIA", [], [], scenes=("nickname",)),
    ], "v")


def _name(text: str, scene: scenes.Scene, field: str = "nickname") -> tuple[str, set[str]]:
    found = check(_index(), text, field, None, "", None, scene)
    return found.decision, {h.entry_id for h in found.hits}


def test_a_name_check_keeps_only_the_scene_s_matches():
    comment, default = scenes.resolve(POLICY, "comment"), scenes.DEFAULT_SCENE
    # an entry limited to a scene hits there only
    assert _name("高仿手表", default) == ("PASS", set()) and _name("高仿手表", comment) == ("REJECT", {"t_gf"})
    assert _name("示例传媒集团", default) == ("PASS", set())
    # a category or action not in force: no hit; in force: a hit
    assert _name("海外代购", default) == ("REVIEW", {"t_dg"}) and _name("海外代购", comment) == ("PASS", set())
    assert _name("网上赌博", default) == ("REJECT", {"t_db"}) and _name("网上赌博", comment) == ("PASS", set())
    assert _name("法轮功", comment) == ("REJECT", {"t_fl"})
    # a channel off: what only it finds is no hit (separator, pinyin)
    assert _name("法·轮·功", default)[0] == "REJECT" and _name("法·轮·功", comment) == ("PASS", set())


@pytest.mark.parametrize("padding", [0, 300])  # the few-hit path, and past 256 characters the long one
def test_a_post_check_keeps_only_the_scene_s_matches_before_the_evidence_is_weighed(padding):
    index, filler = _index(), "今天天气很好" * (padding // 6)
    comment = scenes.resolve(POLICY, "comment")

    def post(text: str, scene: scenes.Scene) -> tuple[str, set[str]]:
        found = check_text(index, filler + text, None, None, None, post_filter(scene, index, filler + text))
        return found.decision, {h.entry_id for h in found.hits}

    assert post("有人卖高仿", scenes.DEFAULT_SCENE) == ("PASS", set()) and post("有人卖高仿", comment)[0] == "REJECT"
    assert post("⑥④", scenes.DEFAULT_SCENE) == ("REJECT", {"t_64"}) and post("⑥④", comment) == ("PASS", set())
    assert post("法 轮 功", scenes.DEFAULT_SCENE)[0] == "REJECT" and post("法 轮 功", comment) == ("PASS", set())
    assert post("法轮功", comment) == ("REJECT", {"t_fl"})


def test_a_check_s_scene_is_what_its_case_records_and_is_due_by():
    body, due_hours = {"field": "nickname", "text": "x"}, {"DEFAULT": 48, "nickname": 6, "comment": 2}
    answer = {"decision": "REVIEW", "hits": []}
    # GIVEN no scene THEN the field, as before: same fingerprint, same slot
    assert review_rules.check_scene(CheckKind.NAME, body) == "nickname"
    assert review_rules.due_key(CheckKind.NAME, body, due_hours) == "nickname"
    plain = review_evidence_rules.fingerprint(CheckKind.NAME, body, answer)
    assert plain == review_evidence_rules.fingerprint(CheckKind.NAME, {**body, "scene": "default"}, answer)
    # GIVEN a scene THEN it is recorded, keys the deadline where the policy has it, else the field does
    scened = {**body, "scene": "comment"}
    assert review_evidence_rules.evidence(CheckKind.NAME, scened, answer, "t")["scene"] == "comment"
    assert review_rules.slot(CheckKind.NAME, scened) == "NAME_comment"
    assert review_rules.due_key(CheckKind.NAME, scened, due_hours) == "comment"
    assert review_rules.due_key(CheckKind.POST, {"scene": "other"}, due_hours) == "post"
    # AND an approval in one scene clears nothing in another
    assert review_evidence_rules.fingerprint(CheckKind.NAME, scened, answer) != plain


# --- a scene that sets a term's action (terms.set_action) ---------------------------------------------------------

SET = {"comment": {"terms": {"set_action": [{"category": "OTHER_PROHIBITED", "action": "REVIEW", "to": "REJECT"},
                                            {"action": "REVIEW", "to": "REVIEW"}]}},
       "private_message": {"terms": {"set_action": [{"category": "OBSCENITY_GAMBLING_VIOLENCE", "to": "REVIEW"}]}},
       "muted": {"terms": {"set_action": [{"to": "REVIEW"}]}}}


def test_a_scene_s_set_action_rules_raise_or_lower_a_term_s_action_the_first_match_deciding():
    comment, private, muted = (scenes.resolve(SET, n) for n in ("comment", "private_message", "muted"))
    # a REVIEW term of the category raised; a REVIEW term of another category meets the second rule: as it was
    assert comment.term_action("OTHER_PROHIBITED", "REVIEW") == ("REJECT", "scenes.comment.terms.set_action[0]")
    assert comment.term_action("CONSTITUTION", "REVIEW") == ("REVIEW", "scenes.comment.terms.set_action[1]")
    assert comment.term_action("OTHER_PROHIBITED", "REJECT") == ("REJECT", None)  # no rule for it
    # a REJECT term lowered in a private message, any action of its category; a rule naming neither: every term
    assert private.term_action("OBSCENITY_GAMBLING_VIOLENCE", "REJECT")[0] == "REVIEW"
    assert muted.term_action("CONSTITUTION", "REJECT") == ("REVIEW", "scenes.muted.terms.set_action[0]")
    # AND the default scene sets nothing; the view says the rules as written
    assert scenes.DEFAULT_SCENE.term_action("CONSTITUTION", "REVIEW") == ("REVIEW", None)
    assert private.view() == {"name": "private_message",
                              "set_action": [{"category": "OBSCENITY_GAMBLING_VIOLENCE", "to": "REVIEW"}]}


@pytest.mark.parametrize(("rules", "field"), [
    ({"set_action": [{"category": "PORN", "to": "REJECT"}]}, "scenes.c.terms.set_action[0].category"),
    ({"set_action": [{"to": "REVIEW"}, {"action": "BLOCK", "to": "REJECT"}]}, "scenes.c.terms.set_action[1].action"),
    ({"set_action": [{"action": "REVIEW", "to": "BLOCK"}]}, "scenes.c.terms.set_action[0].to"),
    # a rule on terms that find nothing in the scene would never apply
    ({"actions": ["REJECT"], "set_action": [{"action": "REVIEW", "to": "REJECT"}]},
     "scenes.c.terms.set_action[0].action"),
    ({"categories": ["CONSTITUTION"], "set_action": [{"category": "OTHER_PROHIBITED", "to": "REJECT"}]},
     "scenes.c.terms.set_action[0].category"),
    ({"categories": [], "set_action": [{"category": "CONSTITUTION", "to": "REJECT"}]},
     "scenes.c.terms.set_action[0].category"),
])
def test_a_set_action_rule_naming_what_is_not_there_is_a_422_naming_its_field(rules, field):
    with pytest.raises(Unprocessable) as refused:
        scenes.validate(policy_with(scenes={"c": {"terms": rules}}))
    assert refused.value.error_code == "POLICY_SCENE_INVALID" and refused.value.details["field"] == field


def test_valid_set_action_rules_pass_validation():
    scenes.validate(policy_with(scenes=SET))
    scenes.validate(policy_with(scenes={"c": {"terms": {"actions": ["REVIEW"], "categories": ["CONSTITUTION"],
                                                        "set_action": [{"category": "CONSTITUTION", "action": "REVIEW",
                                                                        "to": "REJECT"}]}}}))


def _set_index() -> NameIndex:
    return NameIndex.build([
        entries.term("t_dg", "代购", "OTHER_PROHIBITED", "REVIEW"),
        entries.term("t_db", "赌博", "OBSCENITY_GAMBLING_VIOLENCE", "REJECT"),
        entries.term("t_fl", "法轮功", "ILLEGAL_ORGANIZATION", "REJECT"),
    ], "v")


def _hits(found) -> list[tuple[str, str, dict | None]]:
    return [(h.entry_id, h.action, h.as_dict().get("scene_rule")) for h in found.hits]


def test_a_name_check_takes_the_action_a_scene_sets_and_the_hit_names_the_rule():
    index = _set_index()
    comment, private = scenes.resolve(SET, "comment"), scenes.resolve(SET, "private_message")

    def name(text: str, scene: scenes.Scene):
        return check(index, text, "nickname", None, "", None, scene)

    # GIVEN a REVIEW term WHEN checked by default THEN REVIEW; in the comment scene REJECT, naming the rule
    assert (name("海外代购", scenes.DEFAULT_SCENE).decision, _hits(name("海外代购", scenes.DEFAULT_SCENE))) == (
        "REVIEW", [("t_dg", "REVIEW", None)])
    raised = name("海外代购", comment)
    assert raised.decision == "REJECT" and _hits(raised) == [("t_dg", "REJECT", {
        "scene": "comment", "rule": "scenes.comment.terms.set_action[0]", "original_action": "REVIEW"})]
    # AND a REJECT term lowered to REVIEW in a private message; another category keeps its own action
    lowered = name("网上赌博", private)
    assert lowered.decision == "REVIEW" and _hits(lowered)[0][1:] == ("REVIEW", {
        "scene": "private_message", "rule": "scenes.private_message.terms.set_action[0]",
        "original_action": "REJECT"})
    assert _hits(name("法轮功", private)) == [("t_fl", "REJECT", None)]
    # AND a reading (pinyin) is evidence, not proof: REVIEW in a scene that raises, with no rule named
    assert {(h.channel, h.action, h.scene_rule) for h in name("fa lun gong", scenes.resolve(
        {"up": {"terms": {"set_action": [{"to": "REJECT"}]}}}, "up")).hits} <= {("pinyin", "REVIEW", None)}


@pytest.mark.parametrize("padding", [0, 300])  # the few-hit path, and past 256 characters the columns
def test_a_post_check_decides_on_the_action_a_scene_sets(padding):
    index, filler = _set_index(), "今天天气很好" * (padding // 6)
    comment, private = scenes.resolve(SET, "comment"), scenes.resolve(SET, "private_message")

    def post(text: str, scene: scenes.Scene):
        body = filler + text * (80 if padding else 1)  # past FEW_MATCHES on the long path: the columns decide
        return check_text(index, body, 3, 20, None, post_filter(scene, index, body), scene)

    assert post("有人代购", scenes.DEFAULT_SCENE).decision == "REVIEW"
    raised = post("有人代购", comment)
    assert raised.decision == "REJECT" and {h.action for h in raised.hits} == {"REJECT"}
    assert {o.action for o in raised.occurrences} == {"REJECT"}
    assert raised.hits[0].as_dict()["scene_rule"]["rule"] == "scenes.comment.terms.set_action[0]"
    assert post("网上赌博", scenes.DEFAULT_SCENE).decision == "REJECT"
    lowered = post("网上赌博", private)
    assert lowered.decision == "REVIEW" and {h.action for h in lowered.hits} == {"REVIEW"}
    # AND in the default scene the answer is the one of a check given no scene at all
    body = filler + "有人代购网上赌博"
    plain, scened = (check_text(index, body, 3, 20), check_text(
        index, body, 3, 20, None, post_filter(scenes.DEFAULT_SCENE, index, body), scenes.DEFAULT_SCENE))
    assert (plain.decision, plain.hits, plain.occurrences) == (scened.decision, scened.hits, scened.occurrences)


# --- allow-list phrases limited to scenes -------------------------------------------------------------------------

def _allow_index() -> NameIndex:
    return NameIndex.build([
        entries.term("t_db", "赌博", "OBSCENITY_GAMBLING_VIOLENCE", "REJECT"),
        entries.allow("al_1", "反赌博宣传", scenes=("comment",)),
        entries.allow("al_2", "赌博危害", scenes=("default",)),
    ], "v")


def test_an_allow_list_phrase_limited_to_a_scene_allows_only_there_also_once_reloaded_from_its_artifact():
    from chalicelib.core import artifacts

    built = _allow_index()
    doc, arrays = built.to_artifact()
    reloaded = NameIndex.from_artifact(*artifacts.decode(artifacts.encode("names", "d" * 64, doc, arrays), "names",
                                                         "d" * 64), "v")
    comment = scenes.resolve({"comment": {"description": "every term in force"}}, "comment")
    for index in (built, reloaded):
        def name(text: str, scene: scenes.Scene, index: NameIndex = index) -> str:
            return check(index, text, "description", None, "", None, scene).decision

        def post(text: str, scene: scenes.Scene, index: NameIndex = index) -> str:
            body = "今天天气很好" * 50 + text
            return check_text(index, body, None, None, None, post_filter(scene, index, body), scene).decision

        # GIVEN a phrase limited to comments WHEN checked there THEN it allows; by default THEN the term hits
        assert name("反赌博宣传", comment) == "PASS" and name("反赌博宣传", scenes.DEFAULT_SCENE) == "REJECT"
        assert post("反赌博宣传", comment) == "PASS" and post("反赌博宣传", scenes.DEFAULT_SCENE) == "REJECT"
        # AND one limited to checks naming no scene allows there only
        assert name("赌博危害", scenes.DEFAULT_SCENE) == "PASS" and name("赌博危害", comment) == "REJECT"
        assert post("赌博危害", scenes.DEFAULT_SCENE) == "PASS" and post("赌博危害", comment) == "REJECT"
        short = check_text(index, "赌博危害", None, None, None, post_filter(comment, index, "赌博危害"), comment)
        assert short.decision == "REJECT"  # the few-hit path too


# --- a scene that sets a protected or banned name's action (names.set_action) --------------------------------------

NAMES = {"comment": {"names": {"set_action": [{"list": "protected", "category": "ENTERPRISE", "action": "REJECT",
                                               "to": "REVIEW"}]}},
         "nickname_strict": {"names": {"set_action": [{"list": "banned", "to": "REJECT"},
                                                      {"action": "REVIEW", "to": "REJECT"}]}},
         "lenient": {"names": {"set_action": [{"to": "REVIEW"}]}}}
OWNER = "sub_" + "0" * 40


def test_a_scene_s_names_set_action_rules_raise_or_lower_a_name_s_action_the_first_match_deciding():
    comment, strict, lenient = (scenes.resolve(NAMES, n) for n in ("comment", "nickname_strict", "lenient"))
    # a protected enterprise name lowered in a comment; another kind, or a banned name, as it asks elsewhere
    assert comment.name_action("protected", "ENTERPRISE", "REJECT") == ("REVIEW", "scenes.comment.names.set_action[0]")
    assert comment.name_action("protected", "MEDIA", "REJECT") == ("REJECT", None)
    assert comment.name_action("banned", "REREGISTRATION", "REJECT") == ("REJECT", None)
    # the first rule that matches decides: a banned name meets the first, a protected one the second
    assert strict.name_action("banned", "REREGISTRATION", "REVIEW") == (
        "REJECT", "scenes.nickname_strict.names.set_action[0]")
    assert strict.name_action("protected", "MEDIA", "REVIEW") == (
        "REJECT", "scenes.nickname_strict.names.set_action[1]")
    assert lenient.name_action("banned", "REREGISTRATION", "REJECT")[0] == "REVIEW"
    # AND the default scene sets nothing; the view says the rules as written, beside the terms' own
    assert scenes.DEFAULT_SCENE.name_action("protected", "MEDIA", "REJECT") == ("REJECT", None)
    assert strict.view() == {"name": "nickname_strict", "names_set_action": [{"list": "banned", "to": "REJECT"},
                                                                            {"action": "REVIEW", "to": "REJECT"}]}
    assert strict.term_action("CONSTITUTION", "REVIEW") == ("REVIEW", None)  # terms keep their own rules


@pytest.mark.parametrize(("rule", "field"), [
    ({"list": "users", "to": "REVIEW"}, "scenes.c.names.set_action[0].list"),
    ({"category": "PORN", "to": "REVIEW"}, "scenes.c.names.set_action[0].category"),
    # a category the list's hits never report: a banned name is REREGISTRATION, a protected one its kind
    ({"list": "banned", "category": "MEDIA", "to": "REVIEW"}, "scenes.c.names.set_action[0].category"),
    ({"list": "protected", "category": "REREGISTRATION", "to": "REVIEW"}, "scenes.c.names.set_action[0].category"),
    ({"action": "BLOCK", "to": "REJECT"}, "scenes.c.names.set_action[0].action"),
    # PA2020-8, PA2017-13: a scene never lets an impersonation or a re-registration pass unseen
    ({"list": "protected", "to": "PASS"}, "scenes.c.names.set_action[0].to"),
])
def test_a_names_set_action_rule_naming_what_is_not_there_or_setting_pass_is_a_422_naming_its_field(rule, field):
    with pytest.raises(Unprocessable) as refused:
        scenes.validate(policy_with(scenes={"c": {"names": {"set_action": [rule]}}}))
    assert refused.value.error_code == "POLICY_SCENE_INVALID" and refused.value.details["field"] == field


def test_valid_names_set_action_rules_pass_validation_and_the_schema_takes_them():
    from chalicelib.core import validation

    effective = policy_with(scenes={**NAMES, "both": {"names": {"set_action": [
        {"category": "REREGISTRATION", "to": "REVIEW"}, {"category": "PUBLIC_FIGURE", "action": "REVIEW",
                                                         "to": "REJECT"}]}}})
    validation.check("policy.json", effective)
    scenes.validate(effective)


def _names_index() -> NameIndex:
    return NameIndex.build([
        *entries.protected("pn_x", "星河示例科技", "ENTERPRISE", ["星河科技"], [OWNER]),
        *entries.protected("pn_m", "蓝鲸示例传媒", "MEDIA", [], []),
        entries.banned("bn_1", "快乐小屋分享"),
        entries.term("t_dg", "代购", "OTHER_PROHIBITED", "REVIEW"),
    ], "v")


def _named(text: str, scene: scenes.Scene, field: str = "nickname", subject_id: str | None = None):
    found = check(_names_index(), text, field, subject_id, "", None, scene)
    return found.decision, _hits(found)


def test_a_name_check_takes_the_action_a_scene_sets_on_a_protected_or_banned_name_and_the_hit_names_the_rule():
    comment, strict = scenes.resolve(NAMES, "comment"), scenes.resolve(NAMES, "nickname_strict")
    # GIVEN a protected enterprise name in a nickname: REJECT by default; in a comment REVIEW, naming the rule
    assert _named("星河科技", scenes.DEFAULT_SCENE) == ("REJECT", [("pn_x", "REJECT", None)])
    assert _named("星河科技", comment) == ("REVIEW", [("pn_x", "REVIEW", {
        "scene": "comment", "rule": "scenes.comment.names.set_action[0]", "original_action": "REJECT"})])
    # AND a protected medium keeps its REJECT there (the rule names enterprises only)
    assert _named("蓝鲸示例传媒", comment) == ("REJECT", [("pn_m", "REJECT", None)])
    # GIVEN a mention in a description (REVIEW) WHEN the scene raises REVIEW names THEN REJECT
    assert _named("我在蓝鲸示例传媒上班", scenes.DEFAULT_SCENE, "description")[0] == "REVIEW"
    assert _named("我在蓝鲸示例传媒上班", strict, "description") == ("REJECT", [("pn_m", "REJECT", {
        "scene": "nickname_strict", "rule": "scenes.nickname_strict.names.set_action[1]",
        "original_action": "REVIEW"})])
    # GIVEN a banned name inside a longer nickname (REVIEW) WHEN strict THEN REJECT by the banned rule
    assert _named("快乐小屋分享2号", scenes.DEFAULT_SCENE)[0] == "REVIEW"
    assert _named("快乐小屋分享2号", strict) == ("REJECT", [("bn_1", "REJECT", {
        "scene": "nickname_strict", "rule": "scenes.nickname_strict.names.set_action[0]",
        "original_action": "REVIEW"})])
    # AND a banned name written whole is REVIEW where a scene lowers every name
    assert _named("快乐小屋分享", scenes.resolve(NAMES, "lenient"))[1][0][1] == "REVIEW"
    # AND a term's hit is not a name's: the names rules leave it as it asks
    assert _named("海外代购", strict) == ("REVIEW", [("t_dg", "REVIEW", None)])


def test_a_reading_or_near_copy_of_a_name_stays_review_and_an_owner_s_name_is_no_hit_in_any_scene():
    up = scenes.resolve({"up": {"names": {"set_action": [{"to": "REJECT"}]}}}, "up")
    # a near copy and a reading are evidence, not proof: REVIEW where a scene raises every name, no rule named
    for text in ("星河示例科枝", "xing he shi li ke ji", "快乐小屋分亨"):
        decision, hits = _named(text, up)
        assert decision == "REVIEW" and hits and all(action == "REVIEW" and rule is None for _, action, rule in hits)
    # the owner of a protected name may use it, whatever the scene raises or lowers (PA2020-8)
    for scene in (scenes.DEFAULT_SCENE, up, scenes.resolve(NAMES, "comment"), scenes.resolve(NAMES, "lenient")):
        assert _named("星河科技旗舰店", scene, subject_id=OWNER) == ("PASS", [])
        assert _named("我是星河科技客服", scene, "description", OWNER) == ("PASS", [])
    assert _named("星河科技旗舰店", up, subject_id="sub_" + "1" * 40)[0] == "REJECT"

