"""The classifier's pure side of an avatar check: the request's shape for each kind, the merge of an image seen
whole, and the answer schema held to the Enums it lists."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chalicelib.classifier.decision import merge_avatar
from chalicelib.classifier.gateway import ImageRef, Kind, Request
from chalicelib.classifier.labels import Action, Vendor
from chalicelib.classifier.rules import CallFailure, parse, unavailable

SCHEMAS = Path(__file__).resolve().parents[2] / "chalicelib" / "schemas"
OURS = {"decision": "PASS", "pdq": "a" * 64, "quality": 100, "matches": [], "reasons": [], "threshold": 31,
        "bank_version": "1"}


@pytest.mark.parametrize("kind", list(Kind))
def test_every_request_says_its_kind_and_sends_references_never_bytes(kind):
    image = ImageRef(0, "a" * 64, "b" * 64, "uploads/acme/a.png" if kind is Kind.AVATAR else None)
    sent = Request(kind, "" if kind is Kind.AVATAR else "你好", (image,), None).as_dict("clf_1")
    assert sent == {"request_id": "clf_1", "kind": kind.value, "text": sent["text"],
                    "images": [{"index": 0, "pdq": "a" * 64, "sha256": "b" * 64,
                                **({"s3_key": "uploads/acme/a.png"} if kind is Kind.AVATAR else {})}]}


def test_an_avatar_hit_has_no_span_or_index_and_one_label_counts_once():
    body = {"vendor": "tencent", "results": [{"label": "Porn", "suggestion": "Review"},
                                              {"label": "Porn", "suggestion": "Review", "image": 0},
                                              {"label": "Polity", "suggestion": "Block"}]}
    merged = merge_avatar(OURS, parse(json.dumps(body).encode(), 1, Action.REJECT), required=False)
    assert merged["decision"] == "REJECT" and merged["classifier"] == "OK"
    assert [(h["term"], h["action"]) for h in merged["hits"]] == [("Polity", "REJECT"), ("Porn", "REVIEW")]
    assert not {"span", "image"} & {k for h in merged["hits"] for k in h}


def test_an_unavailable_classifier_keeps_our_reject_and_says_why():
    merged = merge_avatar({**OURS, "decision": "REJECT"}, unavailable(CallFailure.TIMEOUT), required=True)
    assert (merged["decision"], merged["classifier"], merged["classifier_reason"]) == (
        "REJECT", "UNAVAILABLE", "TIMEOUT")
    assert [h["code"] for h in merged["hits"]] == ["CLASSIFIER_REQUIRED"] and "span" not in merged["hits"][0]


def test_the_avatar_answer_schema_lists_every_vendor_and_shares_the_post_answers_classifier_fields():
    schema = json.loads((SCHEMAS / "avatar_check.json").read_text())
    assert schema["$defs"]["ClassifierHit"]["properties"]["vendor"]["enum"] == [v.value for v in Vendor]
    assert {k: schema["properties"][k]["$ref"] for k in ("classifier", "classifier_reason")} == {
        "classifier": "content_check.json#/$defs/ClassifierStatus",
        "classifier_reason": "content_check.json#/$defs/ClassifierReason"}
