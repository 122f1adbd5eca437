"""A post check does only the work its post and policy ask for (BJ2011-10, MB2018-12): the policy read for a
batch says whether a vendor classifier is asked, and a scene's filter of matches is made only for a post that
has some."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import pytest

from chalicelib.content import service as content
from chalicelib.core import policy, policy_rules
from chalicelib.core.scenes import Scene
from chalicelib.names import entries
from chalicelib.names.index import Matches, NameIndex


@lru_cache(maxsize=1)
def _index() -> NameIndex:
    return NameIndex.build(entries.builtin() + [entries.term("t-flg", "法轮功", "ILLEGAL_ORGANIZATION", "REJECT")], "t")


def _under(monkeypatch: pytest.MonkeyPatch, overrides: dict) -> None:
    effective = policy_rules.effective(overrides)
    monkeypatch.setattr(policy, "current", lambda tenant_id, **_: policy.PolicyView(tenant_id, 1, None, {}, effective))
    monkeypatch.setattr(content.names, "compiled", lambda tenant_id, version=None: _index())


def test_a_batch_under_a_policy_naming_no_classifier_never_asks_for_one(monkeypatch: pytest.MonkeyPatch) -> None:
    # GIVEN a tenant whose policy, read once for the batch, names no classifier
    _under(monkeypatch, {})

    def refused(*args: object, **kwargs: object) -> dict:
        raise AssertionError("the classifier was asked under a policy that names none")

    monkeypatch.setattr(content.classifier, "merged", refused)
    # WHEN a batch of posts, one of them a term, is checked
    answer = content.check_many("t1", [{"text": "今天天气很好"}, {"text": "法轮功"}])
    # THEN each is answered by our own channels alone
    assert [row["result"]["decision"] for row in answer["items"]] == ["PASS", "REJECT"]


def test_a_batch_under_a_policy_naming_a_classifier_asks_it_for_every_post(monkeypatch: pytest.MonkeyPatch) -> None:
    # GIVEN a tenant whose policy names a classifier
    _under(monkeypatch, {"content": {"classifier": {"url": "https://classifier.example.cn/v1",
                                                    "secret_parameter": "/tenants/t1/classifier"}}})
    asked = []

    def merged(tenant_id: str, body: dict, answer: dict, scene: object = None) -> dict:
        asked.append(body["text"])
        return {**answer, "classifier": "ASKED"}

    monkeypatch.setattr(content.classifier, "merged", merged)
    # WHEN a batch is checked
    answer = content.check_many("t1", [{"text": "今天天气很好"}, {"text": "法轮功"}])
    # THEN every post's answer went through it
    assert asked == ["今天天气很好", "法轮功"]
    assert [row["result"]["classifier"] for row in answer["items"]] == ["ASKED", "ASKED"]


def test_a_scene_s_filter_is_made_only_for_a_post_with_matches(monkeypatch: pytest.MonkeyPatch) -> None:
    # GIVEN the scene filter counted as it is made
    _under(monkeypatch, {})
    made = []
    real = content.post_filter

    def counted(scene: Scene, index: NameIndex, text: str) -> Callable[[Matches, str], Matches]:
        made.append(text)
        return real(scene, index, text)

    monkeypatch.setattr(content, "post_filter", counted)
    # WHEN a post meeting no entry and one meeting a term are checked
    plain = content.check("t1", {"text": "今天天气很好，我们去公园散步"})
    term = content.check("t1", {"text": "他们说法轮功"})
    # THEN only the second made it, once, and it decided as before
    assert made == ["他们说法轮功"]
    assert plain["decision"] == "PASS" and term["decision"] == "REJECT"
    assert [hit["span"] for hit in term["hits"]] == [[3, 6]]
