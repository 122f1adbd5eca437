"""Reviews a check opens (MB2018-12, PA2020-8, PA2020-13, PA2020-20): pure rules, no AWS.

A check (name, avatar, post, rumour match) that names its object and answers REVIEW, or a
decision policy ``reviews.open_on`` lists, opens a CHECK case on that object. What the reviewer
sees is the check's evidence; what an approval clears is exactly what was checked (its
fingerprint: the same text, the same image) as long as the same entries match it (its signature:
a lexicon or bank change that makes other entries match opens a review again); those are in
`review_evidence_rules`.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from chalicelib.core.scenes import DEFAULT
from chalicelib.dispositions.reasons import ContentType
from chalicelib.reports.rules import ReportCategory

APPROVED_BY_REVIEW = "APPROVED_BY_REVIEW"


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


def category(kind: CheckKind, found: list[dict[str, Any]]) -> ReportCategory:
    """The case's category, from its first hit (REJECT ones come first in a post's answer)."""
    if kind is CheckKind.RUMOUR:
        return ReportCategory.RUMOUR
    for hit in found:
        if "category" not in hit and (kind is CheckKind.AVATAR or "bank" in hit):  # a bank match, not a label
            return AVATAR_CATEGORY.get(str(hit.get("bank")), ReportCategory.OTHER)
        name = str(hit.get("category", ""))
        if name in _REPORT_CATEGORIES:
            return ReportCategory(name)
        return CATEGORY_OF_TERM.get(name, ReportCategory.OTHER)
    return ReportCategory.OTHER


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
