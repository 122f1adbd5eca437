"""Reviews a check opens (MB2018-12, PA2020-8, PA2020-13): what was checked, what matched, the
evidence kept, the category filed. Pure, no AWS."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chalicelib.core import policy_rules
from chalicelib.reports import review_evidence_rules, review_rules
from chalicelib.reports.review_rules import CheckKind, ReviewScene
from chalicelib.reports.rules import ReportCategory, deadline

ROOT = Path(__file__).resolve().parents[2]


def name_answer(*hits: tuple[str, str], version: str = "7") -> dict:
    return {"decision": "REVIEW", "lexicon_version": version,
            "hits": [{"code": "PROHIBITED_TERM", "category": "EXTORTION_FRAUD", "article": "BJ2011-10(11)",
                      "span": [0, 2], "term": term, "channel": "exact", "entry_id": entry, "action": action}
                     for entry, action, term in ((e, a, "代购") for e, a in hits)]}


def test_the_same_entries_matching_under_another_lexicon_version_keep_the_signature():
    # GIVEN the same hit under lexicon versions 7 and 8 THEN what matched is the same; the evidence says the version
    under_seven = review_evidence_rules.signature(CheckKind.NAME, name_answer(("t_1", "REVIEW")))
    assert under_seven == review_evidence_rules.signature(CheckKind.NAME, name_answer(("t_1", "REVIEW"), version="8"))


def test_another_entry_matching_changes_the_signature():
    one = review_evidence_rules.signature(CheckKind.NAME, name_answer(("t_1", "REVIEW")))
    assert one != review_evidence_rules.signature(CheckKind.NAME, name_answer(("t_1", "REVIEW"), ("t_2", "REVIEW")))
    assert one != review_evidence_rules.signature(CheckKind.NAME, name_answer(("t_1", "REJECT")))


def test_what_was_checked_is_the_text_with_its_field():
    body = {"text": "海外代购", "field": "account_name"}
    answer = name_answer(("t_1", "REVIEW"))
    same = review_evidence_rules.fingerprint(CheckKind.NAME, dict(body), answer)
    assert same == review_evidence_rules.fingerprint(CheckKind.NAME, dict(body), answer)
    assert same != review_evidence_rules.fingerprint(CheckKind.NAME, {**body, "text": "海外代购 "}, answer)
    assert same != review_evidence_rules.fingerprint(CheckKind.NAME, {**body, "field": "nickname"}, answer)


def test_an_image_is_the_same_image_by_its_pdq_however_it_was_sent():
    answer = {"decision": "REVIEW", "pdq": "AB" * 32, "matches": [], "reasons": [{"code": "AVATAR_LOW_QUALITY"}]}
    by_hash = review_evidence_rules.fingerprint(CheckKind.AVATAR, {"pdq": "ab" * 32}, answer)
    by_key = review_evidence_rules.fingerprint(CheckKind.AVATAR, {"s3_key": "uploads/t/a.png"}, answer)
    assert by_hash == by_key


def test_evidence_keeps_at_most_fifty_hits_and_counts_them_all():
    # GIVEN a post with 400 REVIEW spans (a hostile client's padding)
    answer = {"decision": "REVIEW", "images": [], "occurrences": [],
              "hits": [{"code": "PROHIBITED_TERM", "category": "OTHER_PROHIBITED", "article": "BJ2011-10(11)",
                        "span": [i, i + 1], "term": "x", "channel": "exact", "entry_id": "t_1", "action": "REVIEW"}
                       for i in range(400)]}
    kept = review_evidence_rules.evidence(CheckKind.POST, {"text": "x" * 400}, answer, "2026-01-01T00:00:00Z")
    # THEN the case keeps 50 and says there were 400, in well under DynamoDB's item limit
    assert (len(kept["hits"]), kept["hits_total"]) == (review_evidence_rules.EVIDENCE_HITS, 400)
    assert len(json.dumps(kept)) < 20_000


def test_a_rumour_match_is_for_a_reviewer_and_files_as_a_rumour():
    answer = {"matched": True, "matches": [{"rumour_id": "rum_1", "channel": "text", "claim": "停水" * 500,
                                            "article": "MB2018-11"}]}
    assert review_rules.decision(CheckKind.RUMOUR, answer) == "REVIEW"
    assert review_rules.decision(CheckKind.RUMOUR, {"matched": False, "matches": []}) == "PASS"
    (hit,) = review_evidence_rules.hits(CheckKind.RUMOUR, answer)
    assert len(hit["claim"]) == review_evidence_rules.CLAIM_CHARS
    assert review_rules.category(CheckKind.RUMOUR, [hit]) is ReportCategory.RUMOUR


def test_an_approved_answer_passes_and_says_why_keeping_its_hits():
    answer = name_answer(("t_1", "REVIEW"))
    cleared = review_rules.cleared(CheckKind.NAME, answer, "cas_1")
    assert cleared["decision"] == "PASS" and cleared["hits"] == answer["hits"]
    assert cleared["review"] == {"status": "CLEARED", "reason": review_rules.APPROVED_BY_REVIEW}


TERM_CATEGORIES = json.loads((ROOT / "chalicelib/schemas/common.json").read_text("utf-8"))["$defs"]["TermCategory"]


@pytest.mark.parametrize("term_category", TERM_CATEGORIES["enum"])
def test_every_lexicon_category_files_a_case_under_a_report_category(term_category):
    hit = {"category": term_category, "entry_id": "t", "action": "REVIEW"}
    assert isinstance(review_rules.category(CheckKind.NAME, [hit]), ReportCategory)


@pytest.mark.parametrize("kind", list(CheckKind))
def test_every_check_kind_has_a_content_type_and_a_scene_with_a_deadline(kind):
    body = {"field": "account_name", "text": "x"}
    assert kind in review_rules.CONTENT_TYPES
    due = deadline(__import__("datetime").datetime(2026, 1, 1), review_rules.scene(kind, body).value,
                   policy_rules.DEFAULTS["reviews"]["due_hours"])
    assert due.hours > 0


def test_every_name_field_is_a_review_scene():
    fields = json.loads((ROOT / "chalicelib/schemas/name_check_request.json").read_text("utf-8"))
    assert set(fields["properties"]["field"]["enum"]) <= {s.value for s in ReviewScene}
