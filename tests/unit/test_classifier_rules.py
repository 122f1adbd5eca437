"""The classifier's pure rules: each vendor's labels and suggestions, answers that cannot be used, the merge."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chalicelib.classifier.decision import merge
from chalicelib.classifier.labels import ARTICLES, FAMILIES, LABELS, SUGGESTIONS, Action, Vendor
from chalicelib.classifier.rules import MAX_RESULTS, REASONS, CallFailure, Status, Verdict, parse, unavailable
from chalicelib.core import outbound
from chalicelib.names.check import TERM_ARTICLES
from chalicelib.reports.rules import ReportCategory as C

SCHEMAS = Path(__file__).resolve().parents[2] / "chalicelib" / "schemas"


def answer_of(vendor: str, *rows: dict, images: int = 1, max_action: Action = Action.REJECT) -> Verdict:
    return parse(json.dumps({"vendor": vendor, "results": list(rows)}).encode(), images, max_action)


def own(decision: str = "PASS", characters: int = 12) -> dict:
    return {"decision": decision, "hits": [], "occurrences": [], "truncated": False, "images": [],
            "characters": characters, "normalization": {"steps": []}}


@pytest.mark.parametrize(("vendor", "label", "suggestion", "category", "action"), [
    ("aliyun", "political_content", "high", C.NATIONAL_SECURITY, Action.REJECT),
    ("aliyun", "sexual_content", "medium", C.PORNOGRAPHY, Action.REVIEW),
    ("aliyun", "contraband", "high", C.OBSCENITY_GAMBLING_VIOLENCE, Action.REJECT),
    ("aliyun", "ad", "medium", C.SPAM, Action.REVIEW),
    ("aliyun", "profanity", "high", C.INSULT_DEFAMATION, Action.REJECT),
    ("aliyun", "political_figure", "high", C.NATIONAL_SECURITY, Action.REJECT),  # a PLUS label, by its family
    ("aliyun", "pornographic_adult", "HIGH", C.PORNOGRAPHY, Action.REJECT),
    ("tencent", "Polity", "Block", C.NATIONAL_SECURITY, Action.REJECT),
    ("tencent", "Porn", "Review", C.PORNOGRAPHY, Action.REVIEW),
    ("tencent", "Terror", "Block", C.OBSCENITY_GAMBLING_VIOLENCE, Action.REJECT),
    ("tencent", "Abuse", "Block", C.INSULT_DEFAMATION, Action.REJECT),
    ("tencent", "Ad", "Review", C.SPAM, Action.REVIEW),
    ("yidun", 500, 2, C.NATIONAL_SECURITY, Action.REJECT),
    ("yidun", "100", "1", C.PORNOGRAPHY, Action.REVIEW),
    ("yidun", 400, 2, C.OBSCENITY_GAMBLING_VIOLENCE, Action.REJECT),
    ("yidun", 600, 1, C.INSULT_DEFAMATION, Action.REVIEW),
    ("yidun", 700, 2, C.SPAM, Action.REJECT),
    ("shumei", "politics", "REJECT", C.NATIONAL_SECURITY, Action.REJECT),
    ("shumei", "porn", "REVIEW", C.PORNOGRAPHY, Action.REVIEW),
    ("shumei", "minor", "REJECT", C.MINORS, Action.REJECT),
    ("shumei", "ban", "REJECT", C.OBSCENITY_GAMBLING_VIOLENCE, Action.REJECT),
])
def test_each_vendor_label_maps_to_our_category_and_action(vendor, label, suggestion, category, action):
    # GIVEN a gateway passing its vendor's own verdict through WHEN it is read
    verdict = answer_of(vendor, {"label": label, "suggestion": suggestion})
    # THEN the label is one finding, in our category, with our action and the article behind it
    (found,) = verdict.findings
    assert (verdict.status, found.category, found.action, found.label) == (Status.OK, category, action, str(label))
    assert found.article == ARTICLES[category]


@pytest.mark.parametrize(("vendor", "label", "suggestion"), [
    ("aliyun", "political_content", "low"), ("aliyun", "violence", "none"), ("tencent", "Porn", "Pass"),
    ("tencent", "Normal", "Block"), ("yidun", 100, 0), ("shumei", "porn", "PASS"), ("shumei", "normal", "REJECT"),
])
def test_passed_and_normal_labels_are_no_finding(vendor, label, suggestion):
    assert answer_of(vendor, {"label": label, "suggestion": suggestion}) == Verdict(Status.OK, ())


@pytest.mark.parametrize("vendor", list(Vendor))
def test_a_label_we_do_not_know_is_still_found_but_only_for_a_person_to_review(vendor):
    # GIVEN a vendor that added a label since this table was written, suggesting a block
    block = next(s for s, a in SUGGESTIONS[vendor].items() if a is Action.REJECT)
    verdict = answer_of(vendor, {"label": "new_label_2031", "suggestion": block})
    # THEN it is not silently passed, and it does not REJECT on a meaning we cannot name
    (found,) = verdict.findings
    assert (found.category, found.action) == (C.OTHER_PROHIBITED, Action.REVIEW)


def test_max_action_review_keeps_every_vendor_block_for_a_person():
    verdict = answer_of("tencent", {"label": "Polity", "suggestion": "Block"}, max_action=Action.REVIEW)
    assert [f.action for f in verdict.findings] == [Action.REVIEW]


def test_the_same_label_on_the_same_target_counts_once_and_images_are_their_own_targets():
    row = {"label": "porn", "suggestion": "REJECT"}
    verdict = answer_of("shumei", row, row, {**row, "image": 0}, images=1)
    assert [(f.label, f.image) for f in verdict.findings] == [("porn", None), ("porn", 0)]


@pytest.mark.parametrize("body", [
    b"", b"not json", b"\xff\xfe", b"[" * 100_000, b"[]", b'"text"', b"null",
    b'{"results": []}',
    b'{"vendor": "baidu", "results": []}',
    b'{"vendor": "aliyun"}',
    b'{"vendor": "aliyun", "results": {}}',
    b'{"vendor": "aliyun", "results": ["political_content"]}',
    b'{"vendor": "aliyun", "results": [{"label": "ad"}]}',
    b'{"vendor": "aliyun", "results": [{"label": "ad", "suggestion": "maybe"}]}',
    b'{"vendor": "aliyun", "results": [{"label": "ad", "suggestion": true}]}',
    b'{"vendor": "yidun", "results": [{"label": true, "suggestion": 2}]}',
    b'{"vendor": "yidun", "results": [{"label": 1e400, "suggestion": 2}]}',
    b'{"vendor": "yidun", "results": [{"label": 100, "suggestion": 2.0}]}',
    b'{"vendor": "aliyun", "results": [{"label": "<script>", "suggestion": "high"}]}',
    b'{"vendor": "aliyun", "results": [{"label": "ad", "suggestion": "high", "image": 1}]}',
    b'{"vendor": "aliyun", "results": [{"label": "ad", "suggestion": "high", "image": -1}]}',
    b'{"vendor": "aliyun", "results": [{"label": "ad", "suggestion": "high", "image": false}]}',
    b'{"vendor": "aliyun", "results": [{"label": "ad", "suggestion": "high", "extra": 1}]}',
    b'{"vendor": "aliyun", "results": [{"label": "ad", "suggestion": "high"}, 7]}',
    json.dumps({"vendor": "aliyun", "results": [{"label": "ad", "suggestion": "none"}] * (MAX_RESULTS + 1)}).encode(),
])
def test_an_answer_that_cannot_be_read_whole_is_not_used_at_all(body):
    # GIVEN a gateway answering garbage (or one good row beside a bad one) WHEN it is read
    # THEN nothing of it counts: the classifier is UNAVAILABLE, BAD_ANSWER
    assert parse(body, 1, Action.REJECT) == unavailable(CallFailure.BAD_ANSWER)


def test_a_finding_raises_the_decision_as_a_hit_on_the_classifier_channel_naming_the_vendor_label():
    # GIVEN our channels passed a post and the classifier found political content
    verdict = answer_of("aliyun", {"label": "political_content", "suggestion": "high"})
    # WHEN they are merged
    merged = merge(own("PASS"), verdict, required=False)
    # THEN the post is rejected, on the classifier channel, with the vendor label, its category and article
    assert (merged["decision"], merged["classifier"]) == ("REJECT", "OK")
    (hit,) = merged["hits"]
    assert {k: hit[k] for k in ("code", "channel", "term", "vendor", "category", "article", "span", "action")} == {
        "code": "CLASSIFIER_LABEL", "channel": "classifier", "term": "political_content", "vendor": "aliyun",
        "category": "NATIONAL_SECURITY", "article": "BJ2011-10(2)", "span": [0, 12], "action": "REJECT"}
    assert merged["occurrences"] == [{"entry_id": "classifier:aliyun:political_content", "term": "political_content",
                                      "action": "REJECT", "occurrences": 1, "reported": 1}]


def test_a_review_from_the_classifier_never_lowers_our_own_reject():
    verdict = answer_of("shumei", {"label": "ad", "suggestion": "REVIEW"})
    assert merge(own("REJECT"), verdict, required=False)["decision"] == "REJECT"


@pytest.mark.parametrize("decision", ["PASS", "REVIEW", "REJECT"])
def test_an_unavailable_classifier_leaves_our_own_decision_marked(decision):
    merged = merge(own(decision), unavailable(CallFailure.TIMEOUT), required=False)
    assert (merged["decision"], merged["classifier"], merged["classifier_reason"]) == (decision, "UNAVAILABLE",
                                                                                       "TIMEOUT")
    assert merged["hits"] == []


@pytest.mark.parametrize(("decision", "expected"), [("PASS", "REVIEW"), ("REVIEW", "REVIEW"), ("REJECT", "REJECT")])
def test_an_unavailable_classifier_the_policy_requires_gives_review_at_least_and_says_why(decision, expected):
    merged = merge(own(decision), unavailable(CallFailure.CONNECT_FAILED), required=True)
    assert merged["decision"] == expected
    assert [(h["code"], h["channel"], h["action"]) for h in merged["hits"]] == [
        ("CLASSIFIER_REQUIRED", "classifier", "REVIEW")]


def test_every_mapped_category_has_its_article_as_the_lexicon_cites_it():
    used = {c for table in (*LABELS.values(), *FAMILIES.values()) for c in table.values()} | {C.OTHER_PROHIBITED}
    assert used <= set(ARTICLES)
    assert {c: a for c, a in ARTICLES.items() if c.value in TERM_ARTICLES} == {
        c: TERM_ARTICLES[c.value] for c in ARTICLES if c.value in TERM_ARTICLES}


def test_the_answer_schema_lists_every_reason_and_every_outbound_failure_is_a_reason():
    schema = json.loads((SCHEMAS / "content_check.json").read_text())
    assert schema["$defs"]["ClassifierReason"]["enum"] == [r.value for r in REASONS]
    assert schema["$defs"]["ClassifierStatus"]["enum"] == [s.value for s in Status]
    assert set(outbound.Reason) <= set(REASONS) and outbound.Reason is CallFailure  # one enum of call failures


def test_the_gateway_gets_an_inline_image_as_its_digest_never_its_bytes():
    import base64
    import hashlib

    from chalicelib.classifier.service import image_refs

    raw = b"\x89PNG not really"
    body = {"images": [{"image": base64.b64encode(raw).decode()}, {"pdq": "a" * 64}]}
    answer = {"images": [{"index": 0, "pdq": "b" * 64}, {"index": 1, "pdq": "a" * 64}]}
    assert [r.as_dict() for r in image_refs(body, answer)] == [
        {"index": 0, "pdq": "b" * 64, "sha256": hashlib.sha256(raw).hexdigest()}, {"index": 1, "pdq": "a" * 64}]


def test_a_classifier_reject_is_listed_before_our_own_reviews_as_the_answer_orders_hits():
    # GIVEN our channels found a contact to review and the classifier a label to reject
    ours = {**own("REVIEW"), "hits": [{"code": "CONTACT_DIVERSION", "action": "REVIEW", "channel": "contact"}],
            "occurrences": [{"entry_id": "contact", "term": "wx", "action": "REVIEW", "occurrences": 1, "reported": 1}]}
    verdict = answer_of("yidun", {"label": 500, "suggestion": 2})
    # WHEN merged THEN REJECT ones come first (a case opened on it is filed under the classifier's category)
    merged = merge(ours, verdict, required=False)
    assert [h["code"] for h in merged["hits"]] == ["CLASSIFIER_LABEL", "CONTACT_DIVERSION"]
    assert [o["action"] for o in merged["occurrences"]] == ["REJECT", "REVIEW"]
