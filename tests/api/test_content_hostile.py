"""POST /v1/content/check on posts built to flood the check (MB2018-12, BJ2011-10): the answer stays
inside the API contract (API Gateway's 29 s, Lambda's 6 MB) at the largest post a policy allows, lists
a bounded evidence set while counting every occurrence, and decides exactly as on every hit."""

from __future__ import annotations

import time

TERMS = {"items": [{"term": "法轮功", "category": "ILLEGAL_ORGANIZATION", "action": "REJECT"},
                   {"term": "代开发票", "category": "EXTORTION_FRAUD", "action": "REVIEW"}]}
LARGEST = 200_000  # the policy schema's ceiling for content.max_chars


def check(api, key, **body):
    return api.call("POST", "/v1/content/check", key=key, body=body)


def _raise_limits(api, key, **content):
    # the JSON of 200,000 Chinese characters, \u-escaped, is 1.2 MB: past the default body cap
    answer = api.call("PUT", "/v1/policy", key=key, body={"content": {"max_chars": LARGEST, **content},
                                                          "requests": {"max_body_bytes": 4 * 1024 * 1024}})
    assert answer.status_code == 200, answer.json


def test_a_200k_character_post_of_one_term_repeated_answers_within_the_contract(api, tenant):
    # GIVEN a tenant that raised content.max_chars to the ceiling, and a term
    api.call("POST", "/v1/names/terms", key=tenant.key, body=TERMS)
    _raise_limits(api, tenant.key)
    text = "法轮功" * (LARGEST // 3) + "法轮"
    # WHEN a post of that term repeated over 200,000 characters is checked
    started = time.perf_counter()
    answer = check(api, tenant.key, text=text)
    elapsed = time.perf_counter() - started
    # THEN it answers in well under API Gateway's 29 s, on its schema (validated on the way out), REJECT,
    # with the first 20 spans listed and all 66,666 counted, in a small body
    assert answer.status_code == 200, answer.json
    assert elapsed < 10, elapsed
    assert answer.json["decision"] == "REJECT" and answer.json["truncated"] is True
    assert [h["span"] for h in answer.json["hits"]] == [[3 * n, 3 * n + 3] for n in range(20)]
    (counted,) = [o for o in answer.json["occurrences"] if o["term"] == "法轮功"]
    assert (counted["action"], counted["occurrences"], counted["reported"]) == ("REJECT", LARGEST // 3, 20)
    assert len(answer.body) < 64 * 1024


def test_a_200k_character_post_of_homophones_and_pinyin_is_bounded_too(api, tenant):
    # GIVEN the raised policy and terms read alike: 发论公 sounds as 法轮功, dai kai fa piao spells 代开发票
    api.call("POST", "/v1/names/terms", key=tenant.key, body=TERMS)
    _raise_limits(api, tenant.key)
    piece = "发论公代开发漂dai kai fa piao，"
    text = (piece * (LARGEST // len(piece) + 1))[:LARGEST]
    # WHEN it is checked
    answer = check(api, tenant.key, text=text)
    # THEN every hit is counted, a pinyin hit is evidence (REVIEW), at most 20 listed per term: 发论公 once a
    # piece, 代开发票 twice (read alike and typed), for the tenant's term and the built-in one alike
    assert answer.status_code == 200, answer.json
    assert answer.json["decision"] == "REVIEW" and answer.json["truncated"] is True
    pieces = LARGEST // len(piece) + 1
    counted = sorted((o["term"], o["action"], o["occurrences"], o["reported"]) for o in answer.json["occurrences"])
    assert counted == [("代开发票", "REVIEW", 2 * pieces - 1, 20)] * 2 + [("法轮功", "REVIEW", pieces, 20)]
    assert len(answer.json["hits"]) == 60


def test_the_hit_that_decides_is_listed_however_many_weaker_ones_come_first(api, tenant):
    # GIVEN a policy listing 5 spans per term and 4 in all, and a post of 300 homophones of a REJECT
    # term (each a REVIEW hit), then the term itself
    api.call("POST", "/v1/names/terms", key=tenant.key, body=TERMS)
    _raise_limits(api, tenant.key, max_spans_per_term=5, max_spans=4)
    text = "发论公，" * 300 + "法轮功"
    # WHEN it is checked
    answer = check(api, tenant.key, text=text).json
    # THEN the decision is REJECT and the exact hit that makes it so is listed, with the first 3 pinyin ones
    assert answer["decision"] == "REJECT" and answer["truncated"] is True
    assert [(h["channel"], h["action"]) for h in answer["hits"]] == [("pinyin", "REVIEW")] * 3 + [("exact", "REJECT")]
    assert answer["hits"][-1]["span"] == [1200, 1203]
    assert [(o["action"], o["occurrences"], o["reported"]) for o in answer["occurrences"]] == [
        ("REJECT", 1, 1), ("REVIEW", 300, 3)]


def test_the_total_bound_holds_across_many_terms(api, tenant):
    # GIVEN a lexicon of 40 terms, and a policy listing 3 spans per term and 10 in all
    terms = [f"违禁词{chr(0x4E00 + n)}{chr(0x4E80 + n)}" for n in range(40)]
    api.call("POST", "/v1/names/terms", key=tenant.key, body={"items": [
        {"term": t, "category": "OTHER_PROHIBITED", "action": "REVIEW"} for t in terms]})
    _raise_limits(api, tenant.key, max_spans_per_term=3, max_spans=10)
    # WHEN a post names every term five times
    answer = check(api, tenant.key, text="，".join(terms * 5)).json
    # THEN 10 spans are listed, the 10 terms found first are counted, and the answer says it is truncated
    assert answer["decision"] == "REVIEW" and answer["truncated"] is True
    assert len(answer["hits"]) == 10 and len(answer["occurrences"]) == 10
    assert [o["term"] for o in answer["occurrences"]] == terms[:10]
    assert all(o["occurrences"] == 5 for o in answer["occurrences"])


def test_an_ordinary_post_lists_everything_and_is_not_truncated(api, tenant):
    # GIVEN the default policy and a post with two terms
    api.call("POST", "/v1/names/terms", key=tenant.key, body=TERMS)
    # WHEN it is checked
    answer = check(api, tenant.key, text="有人宣传法轮功，还有人代开发票。").json
    # THEN both are listed and counted once, nothing truncated
    assert answer["truncated"] is False
    assert sorted((o["term"], o["occurrences"], o["reported"]) for o in answer["occurrences"]) == [
        ("代开发票", 1, 1), ("代开发票", 1, 1), ("法轮功", 1, 1)]  # 代开发票 is also a built-in term


def test_a_bound_below_one_or_past_the_ceiling_is_refused(api, tenant):
    # GIVEN a careless client WHEN it sets a bound of 0 spans per term, or a million in all
    for content in ({"max_spans_per_term": 0}, {"max_spans": 1_000_000}, {"max_spans_per_term": "20"}):
        refused = api.call("PUT", "/v1/policy", key=tenant.key, body={"content": content})
        # THEN the policy refuses it, and the default stays
        assert refused.status_code == 400, (content, refused.json)
    effective = api.call("GET", "/v1/policy", key=tenant.key).json["policy"]["content"]
    assert (effective["max_spans_per_term"], effective["max_spans"]) == (20, 500)
