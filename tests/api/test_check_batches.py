"""POST /v1/names/checks (up to 100 names) and POST /v1/content/checks (up to 20 posts): one lexicon read for the
whole batch, each item answered as a single check would answer it, or refused with its own error by index."""

from __future__ import annotations

import pytest


def test_a_name_batch_answers_each_item_by_index_with_its_own_errors(api, tenant):
    # GIVEN a batch mixing a protected name, an ordinary one, an empty one, one too long and a contact
    items = [{"text": "人民日报", "field": "account_name"}, {"text": "李明的小店", "field": "nickname"},
             {"text": "\u200b ", "field": "nickname"}, {"text": "长" * 31, "field": "account_name"},
             {"text": "加薇信 abc_2024", "field": "description"}]
    # WHEN it is checked in one call
    answer = api.call("POST", "/v1/names/checks", key=tenant.key, body={"items": items})
    # THEN every item has its single check's answer or error, in order, against one lexicon version
    assert answer.status_code == 200, answer.json
    got = answer.json["items"]
    assert [i["index"] for i in got] == list(range(len(items)))
    single = api.call("POST", "/v1/names/check", key=tenant.key, body=items[0]).json
    assert got[0]["result"] == single
    assert got[1]["result"]["decision"] == "PASS"
    assert (got[2]["error"]["code"], got[3]["error"]["code"]) == ("TEXT_EMPTY", "TEXT_TOO_LONG")
    assert got[3]["error"]["message_zh"] and got[3]["error"]["details"]["limit"] == 30
    assert got[4]["result"]["hits"][0]["code"] == "CONTACT_DIVERSION"
    assert {i["result"]["lexicon_version"] for i in got if "result" in i} == {answer.json["lexicon_version"]}


def test_a_name_batch_reads_the_lexicon_version_once(api, tenant, monkeypatch):
    # GIVEN a tenant with its own lexicon, and a count of lexicon version reads
    from chalicelib.core import artifacts

    api.call("POST", "/v1/names/terms", key=tenant.key, body={"items": [
        {"term": "高仿", "category": "OTHER_PROHIBITED", "action": "REJECT"}]})
    reads = []
    original = artifacts.Source.read.__func__
    monkeypatch.setattr(artifacts.Source, "read", classmethod(lambda cls, *a: reads.append(a) or original(cls, *a)))
    # WHEN 100 names are checked in one call
    items = [{"text": f"高仿手表{n}号店", "field": "nickname"} for n in range(100)]
    answer = api.call("POST", "/v1/names/checks", key=tenant.key, body={"items": items})
    # THEN all are rejected and the version was read once
    assert answer.status_code == 200, answer.json
    assert {i["result"]["decision"] for i in answer.json["items"]} == {"REJECT"}
    assert len(reads) == 1


@pytest.mark.parametrize(("path", "items"), [("/v1/names/checks", [{"text": "a", "field": "nickname"}] * 101),
                                             ("/v1/content/checks", [{"text": "a"}] * 21), ("/v1/names/checks", [])])
def test_a_batch_over_its_limit_or_empty_is_a_400(api, tenant, path, items):
    # GIVEN a batch past its size (100 names, 20 posts) or empty WHEN sent THEN 400, nothing checked
    response = api.call("POST", path, key=tenant.key, body={"items": items})
    assert (response.status_code, response.json["error"]["code"]) == (400, "SCHEMA_VIOLATION")


def test_a_post_batch_answers_each_post_by_index(api, tenant):
    # GIVEN posts: one with a term, one ordinary, one over the policy's length, one with a phone
    api.call("POST", "/v1/names/terms", key=tenant.key, body={"items": [
        {"term": "法轮功", "category": "ILLEGAL_ORGANIZATION", "action": "REJECT"}]})
    api.call("PUT", "/v1/policy", key=tenant.key, body={"content": {"max_chars": 100}})
    items = [{"text": "有人在宣传 法·輪·功"}, {"text": "今天天气很好"}, {"text": "字" * 101},
             {"text": "有事打我电话 138 1234 5678"}]
    # WHEN they are checked in one call
    answer = api.call("POST", "/v1/content/checks", key=tenant.key, body={"items": items})
    # THEN each is its single check's answer or its own error
    assert answer.status_code == 200, answer.json
    got = answer.json["items"]
    assert got[0]["result"] == api.call("POST", "/v1/content/check", key=tenant.key, body=items[0]).json
    assert (got[0]["result"]["decision"], got[1]["result"]["decision"]) == ("REJECT", "PASS")
    assert got[2]["error"]["code"] == "TEXT_TOO_LONG"
    assert got[3]["result"]["hits"][0]["contact"]["value"] == "138****5678"
