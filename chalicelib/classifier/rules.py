"""Pure rules of the classifier: read a gateway's answer and map its labels to findings.

The gateway answers its vendor's own verdict, one row per label and target::

    {"vendor": "aliyun", "results": [{"label": "political_content", "suggestion": "high"},
                                     {"label": "sexual_content", "suggestion": "medium", "image": 0}]}

`suggestion` is the vendor's own value (Alibaba riskLevel, Tencent Suggestion, Yidun suggestion, Shumei
riskLevel), `image` the index of a post's image (absent: the text). Anything else — not JSON, another
shape, a type out of place, an unknown vendor or suggestion, an image the post does not have, more than
MAX_RESULTS rows — is BAD_ANSWER: the answer is not used at all, never half of it.

How findings join a post's decision is classifier/decision.py.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeAlias

from chalicelib.classifier.labels import ARTICLES, FAMILIES, LABELS, NORMAL, SUGGESTIONS, UNKNOWN, Action, Vendor
from chalicelib.core.outbound_reasons import Reason as CallFailure
from chalicelib.reports.rules import ReportCategory

MAX_RESULTS = 50
CHANNEL = "classifier"
_LABEL = re.compile(r"[A-Za-z0-9_.:-]{1,64}")
STRENGTH = {Action.PASS: 0, Action.REVIEW: 1, Action.REJECT: 2}


class Status(StrEnum):
    OK = "OK"
    UNAVAILABLE = "UNAVAILABLE"


class Unusable(StrEnum):
    """Why the classifier gave no usable answer when no call failed (a failed call is core/outbound's reason)."""

    CIRCUIT_OPEN = "CIRCUIT_OPEN"
    NOT_CONFIGURED = "NOT_CONFIGURED"
    BUDGET_SPENT = "BUDGET_SPENT"  # the request's classifier calls have used their time (a batch)
    SECRET_OUTSIDE_TENANT = "SECRET_OUTSIDE_TENANT"
    SECRET_UNAVAILABLE = "SECRET_UNAVAILABLE"


# A post or avatar check's classifier_reason: the call's failure, as core/outbound raises it, or the classifier's own.
Reason: TypeAlias = CallFailure | Unusable
REASONS: tuple[Reason, ...] = (*CallFailure, *Unusable)  # in the order content_check.json's ClassifierReason lists them


@dataclass(frozen=True)
class Finding:
    vendor: Vendor
    label: str  # as the vendor wrote it; Yidun's numbers as their digits
    category: ReportCategory
    action: Action  # REVIEW or REJECT
    image: int | None  # None: the text

    @property
    def article(self) -> str:
        return ARTICLES[self.category]


@dataclass(frozen=True)
class Verdict:
    status: Status
    findings: tuple[Finding, ...] = ()
    reason: Reason | None = None


def unavailable(reason: Reason) -> Verdict:
    return Verdict(Status.UNAVAILABLE, reason=reason)


def category_of(vendor: Vendor, label: str) -> ReportCategory:
    key = label.lower()
    found = LABELS[vendor].get(key) or FAMILIES.get(vendor, {}).get(key.split("_", 1)[0])
    return found or UNKNOWN


def finding(vendor: Vendor, label: str, suggestion: Action, image: int | None, max_action: Action) -> Finding | None:
    """A flagged label as a finding; an unknown label is REVIEW at most: we do not know what it stops."""
    if suggestion is Action.PASS or label.lower() in NORMAL[vendor]:
        return None
    category = category_of(vendor, label)
    known = category is not UNKNOWN or label.lower() in LABELS[vendor]
    ceiling = max_action if known else Action.REVIEW
    action = suggestion if STRENGTH[suggestion] <= STRENGTH[ceiling] else ceiling
    return Finding(vendor, label, category, action, image)


def parse(body: bytes, images: int, max_action: Action) -> Verdict:
    """The gateway's answer, type by type, or BAD_ANSWER; the same label on the same target counts once."""
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError):  # not JSON, not UTF-8, or nested past the parser's depth
        return unavailable(CallFailure.BAD_ANSWER)
    rows = _rows(payload, images)
    if rows is None:
        return unavailable(CallFailure.BAD_ANSWER)
    vendor, read = rows
    found = (finding(vendor, label, suggestion, image, max_action) for label, suggestion, image in read)
    return Verdict(Status.OK, tuple(dict.fromkeys(f for f in found if f is not None)))


def _rows(payload: Any, images: int) -> tuple[Vendor, list[tuple[str, Action, int | None]]] | None:
    if not isinstance(payload, dict) or not isinstance(payload.get("vendor"), str):
        return None
    if payload["vendor"] not in {v.value for v in Vendor}:
        return None
    vendor, results = Vendor(payload["vendor"]), payload.get("results")
    if not isinstance(results, list) or len(results) > MAX_RESULTS:
        return None
    read = [_row(vendor, row, images) for row in results]
    return None if any(r is None for r in read) else (vendor, [r for r in read if r is not None])


def _row(vendor: Vendor, row: Any, images: int) -> tuple[str, Action, int | None] | None:
    if not isinstance(row, dict) or not set(row) <= {"label", "suggestion", "image", "score"}:
        return None
    label, suggestion, image = _text(row.get("label")), _text(row.get("suggestion")), row.get("image")
    if label is None or not _LABEL.fullmatch(label) or suggestion is None:
        return None
    action = SUGGESTIONS[vendor].get(suggestion.lower())
    if action is None:
        return None
    if image is not None and (type(image) is not int or not 0 <= image < images):
        return None
    return label, action, image


def _text(value: Any) -> str | None:
    """A string, or a whole number written as its digits (Yidun's labels and suggestions); never a bool."""
    if isinstance(value, str):
        return value
    if type(value) is int and 0 <= value < 10**6:
        return str(value)
    return None
