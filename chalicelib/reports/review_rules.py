"""Reviews a check opens (MB2018-12, PA2020-8, PA2020-13, PA2020-20): pure rules, no AWS.

A check (name, avatar, post, rumour match) that names its object and answers REVIEW, or a
decision policy ``reviews.open_on`` lists, opens a CHECK case on that object. What the reviewer
sees is the check's evidence; what an approval clears is exactly what was checked (its
fingerprint: the same text, the same image) as long as the same entries match it (its signature:
a lexicon or bank change that makes other entries match opens a review again).
"""

from __future__ import annotations

import hashlib
import json
from enum import Enum
from typing import Any

from chalicelib.core.scenes import DEFAULT
from chalicelib.dispositions.reasons import ContentType
from chalicelib.reports.rules import ReportCategory

APPROVED_BY_REVIEW = "APPROVED_BY_REVIEW"
EVIDENCE_HITS = 50  # hits kept as a case's evidence per check; hits_total counts them all
CLAIM_CHARS = 200


class CheckKind(str, Enum):
    NAME = "NAME"
    AVATAR = "AVATAR"
    POST = "POST"
    RUMOUR = "RUMOUR"


class ReviewScene(str, Enum):
    """The keys of policy reviews.due_hours besides DEFAULT and the policy's scenes: a name check's field, or the
    check's kind (core/scenes.py REVIEW_SCENES holds the same values)."""

    ACCOUNT_NAME = "account_name"
    NICKNAME = "nickname"
    GROUP_NAME = "group_name"
    DESCRIPTION = "description"
    AVATAR = "avatar"
    POST = "post"
    RUMOUR = "rumour"


class ReviewStatus(str, Enum):
    OPENED = "OPENED"  # a CHECK case was opened for the object
    JOINED = "JOINED"  # the object's open CHECK case took this check's evidence
    CLEARED = "CLEARED"  # a reviewer approved exactly this: PASS, APPROVED_BY_REVIEW
    NOT_OPENED = "NOT_OPENED"  # the decision is not one policy reviews.open_on lists


CONTENT_TYPES = {CheckKind.NAME: ContentType.TEXT, CheckKind.AVATAR: ContentType.IMAGE,
                 CheckKind.POST: ContentType.TEXT, CheckKind.RUMOUR: ContentType.TEXT}
# Lexicon categories (BJ2011-10, PA2020-18) that are not report categories, as the case is filed.
CATEGORY_OF_TERM = {"IMPERSONATION": ReportCategory.INFRINGEMENT, "FALSE_INFORMATION": ReportCategory.RUMOUR,
                    "EXTORTION_FRAUD": ReportCategory.FRAUD, "ONLINE_VIOLENCE": ReportCategory.INSULT_DEFAMATION,
                    "FALSE_TRAFFIC": ReportCategory.SPAM}
AVATAR_CATEGORY = {"PROTECTED": ReportCategory.INFRINGEMENT, "BANNED": ReportCategory.OTHER_PROHIBITED}
_REPORT_CATEGORIES = {c.value for c in ReportCategory}


def decision(kind: CheckKind, answer: dict[str, Any]) -> str:
    """A rumour match has no decision of its own: a known rumour in a post is for a reviewer (PA2020-13)."""
    if kind is CheckKind.RUMOUR:
        return "REVIEW" if answer.get("matched") else "PASS"
    return str(answer["decision"])


def scene(kind: CheckKind, body: dict[str, Any]) -> ReviewScene:
    return ReviewScene(body["field"]) if kind is CheckKind.NAME else ReviewScene(kind.value.lower())


def named_scene(body: dict[str, Any]) -> str | None:
    """The policy scene a check ran under (core/scenes.py), None for DEFAULT."""
    named = body.get("scene")
    return None if named in (None, DEFAULT) else str(named)


def check_scene(kind: CheckKind, body: dict[str, Any]) -> str:
    """What a CHECK case records as the check's scene: the policy scene it ran under, else its field or kind."""
    return named_scene(body) or scene(kind, body).value


def due_key(kind: CheckKind, body: dict[str, Any], due_hours: dict[str, int]) -> str:
    """PA2020-20: the reviews.due_hours key a CHECK case is due by: the check's scene where the policy keys it,
    else its field or kind (rules.deadline takes DEFAULT for a key the policy does not have)."""
    named = named_scene(body)
    return named if named is not None and named in due_hours else scene(kind, body).value


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def _image_of(image: dict[str, Any]) -> str:
    return str(image.get("pdq") or hashlib.sha256(str(image.get("image", "")).encode()).hexdigest()).lower()


def fingerprint(kind: CheckKind, body: dict[str, Any], answer: dict[str, Any]) -> str:
    """What was checked: the text as written (with its field), the image as its PDQ hash, and the policy scene it
    was checked in (an approval in one scene clears nothing in another); a check without one as before."""
    named = named_scene(body)
    return _digest(_checked(kind, body, answer) + ([named] if named else []))


def _checked(kind: CheckKind, body: dict[str, Any], answer: dict[str, Any]) -> list[Any]:
    if kind is CheckKind.NAME:
        return [body["field"], body["text"]]
    if kind is CheckKind.AVATAR:
        return [str(answer["pdq"]).lower()]
    if kind is CheckKind.POST:
        return [body.get("text", ""), [str(i["pdq"]).lower() for i in answer.get("images", [])]]
    return [body.get("text", ""), [_image_of(i) for i in body.get("images", [])]]


def signature(kind: CheckKind, answer: dict[str, Any]) -> str:
    """What matched: the entries (and how they acted), never the versions that hold them."""
    if kind is CheckKind.NAME:
        found: list[Any] = sorted({(h["entry_id"], h["action"], h["code"]) for h in answer.get("hits", [])})
    elif kind is CheckKind.AVATAR:
        found = sorted({(m["bank"], m["entry_id"], m["code"]) for m in answer.get("matches", [])}
                       | {("REASON", str(r.get("code")), "") for r in answer.get("reasons", [])})
    elif kind is CheckKind.POST:
        found = sorted({(o["entry_id"], o["action"]) for o in answer.get("occurrences", [])}
                       | {(m["entry_id"], m["action"]) for i in answer.get("images", []) for m in i["matches"]})
    else:
        found = sorted({m["rumour_id"] for m in answer.get("matches", [])})
    return _digest(found)


def hits(kind: CheckKind, answer: dict[str, Any]) -> list[dict[str, Any]]:
    """Every hit of the check as evidence, compact: what matched, where, on what article."""
    if kind is CheckKind.NAME:
        keep: tuple[str, ...] = ("code", "category", "article", "term", "entry_id", "action", "span", "channel")
        return [{k: h[k] for k in keep if k in h} for h in answer.get("hits", [])]
    if kind is CheckKind.AVATAR:
        keep = ("bank", "entry_id", "label", "distance", "code", "article")
        return [{k: m[k] for k in keep if k in m} for m in answer.get("matches", [])]
    if kind is CheckKind.POST:
        keep = ("code", "category", "article", "term", "entry_id", "action", "span")
        text = [{k: h[k] for k in keep if k in h} for h in answer.get("hits", [])]
        return text + [{"image": i["index"], "bank": m["bank"], "entry_id": m["entry_id"], "code": m["code"],
                        "action": m["action"], "article": m["article"]}
                       for i in answer.get("images", []) for m in i["matches"]]
    return [{"rumour_id": m["rumour_id"], "channel": m["channel"], "claim": str(m.get("claim", ""))[:CLAIM_CHARS],
             "article": m.get("article")} for m in answer.get("matches", [])]


def version(kind: CheckKind, answer: dict[str, Any]) -> str | None:
    names = {CheckKind.NAME: "lexicon_version", CheckKind.AVATAR: "bank_version", CheckKind.RUMOUR:
             "rumour_set_version"}
    return answer.get(names.get(kind, ""))


def category(kind: CheckKind, found: list[dict[str, Any]]) -> ReportCategory:
    """The case's category, from its first hit (REJECT ones come first in a post's answer)."""
    if kind is CheckKind.RUMOUR:
        return ReportCategory.RUMOUR
    for hit in found:
        if kind is CheckKind.AVATAR or "bank" in hit and "category" not in hit:
            return AVATAR_CATEGORY.get(str(hit.get("bank")), ReportCategory.OTHER)
        name = str(hit.get("category", ""))
        if name in _REPORT_CATEGORIES:
            return ReportCategory(name)
        return CATEGORY_OF_TERM.get(name, ReportCategory.OTHER)
    return ReportCategory.OTHER


def evidence(kind: CheckKind, body: dict[str, Any], answer: dict[str, Any], at: str) -> dict[str, Any]:
    """A check as a case keeps it: bounded, with what an approval would clear."""
    found = hits(kind, answer)
    return {"kind": kind.value, "scene": check_scene(kind, body), "decision": decision(kind, answer),
            "fingerprint": fingerprint(kind, body, answer), "signature": signature(kind, answer),
            "version": version(kind, answer), "hits": found[:EVIDENCE_HITS], "hits_total": len(found),
            "checked_at": at}


def slot(kind: CheckKind, body: dict[str, Any]) -> str:
    """One evidence entry per kind of check and scene: a name and an avatar of one account are both kept."""
    return f"{kind.value}_{check_scene(kind, body)}"


def cleared(kind: CheckKind, answer: dict[str, Any], case_id: str) -> dict[str, Any]:
    """The answer once a reviewer approved exactly this: PASS, saying why, the hits still shown."""
    passed = answer if kind is CheckKind.RUMOUR else {**answer, "decision": "PASS"}
    return {**passed, "case_id": case_id,
            "review": {"status": ReviewStatus.CLEARED.value, "reason": APPROVED_BY_REVIEW}}


def content_type(evidence_by_slot: dict[str, Any]) -> ContentType:
    kinds = {CheckKind(e["kind"]) for e in evidence_by_slot.values()}
    types = {CONTENT_TYPES[k] for k in kinds}
    return types.pop() if len(types) == 1 else ContentType.OTHER
