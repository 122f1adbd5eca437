"""How the classifier's findings join a post or avatar check's answer (BJ2011-10, MB2018-12, PA2020-8,
PA2020-18). Pure.

Each flagged label is a hit on the `classifier` channel naming the vendor label, and in a post's answer a row of
`occurrences` (so a reviewer's approval clears exactly what the classifier found); the decision is the
strongest of our channels' and the classifier's. A classifier that cannot answer leaves our own channels'
decision, marked UNAVAILABLE with its reason, and REVIEW at least where the tenant's policy requires the
classifier. An avatar is one image seen whole: its hits carry neither span nor image index.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from chalicelib.classifier.labels import Action
from chalicelib.classifier.rules import CHANNEL, STRENGTH, Finding, Status, Verdict
from chalicelib.reports.rules import ReportCategory


def merge(answer: dict[str, Any], verdict: Verdict, *, required: bool) -> dict[str, Any]:
    """The post's answer with the classifier's hits and occurrences added and the decision raised by them;
    UNAVAILABLE keeps our channels' decision, raised to REVIEW when the policy requires the classifier."""
    hits = _hits(verdict.findings, verdict, required, [0, int(answer.get("characters", 0))])
    merged = {**answer, "hits": _rejects_first([*answer["hits"], *hits]),
              "occurrences": _rejects_first([*answer["occurrences"], *_occurrences(hits)])}
    return _marked(merged, hits, verdict)


def merge_avatar(answer: dict[str, Any], verdict: Verdict, *, required: bool) -> dict[str, Any]:
    """The avatar's answer with the classifier's hits as `hits` (REJECT first) and the decision raised by them,
    as a post's; a label found on "the image" and on "image 0" is one hit."""
    findings = tuple(dict.fromkeys(dataclasses.replace(f, image=None) for f in verdict.findings))
    hits = _hits(findings, verdict, required, None)
    return _marked({**answer, "hits": _rejects_first(hits)}, hits, verdict)


def _hits(findings: tuple[Finding, ...], verdict: Verdict, required: bool,
          span: list[int] | None) -> list[dict[str, Any]]:
    hits = [_hit(f, span) for f in findings]
    if verdict.status is Status.UNAVAILABLE and required:
        hits.append({"code": "CLASSIFIER_REQUIRED", "category": ReportCategory.OTHER.value, "article": "PLATFORM_RULES",
                     **_span(span), "term": Status.UNAVAILABLE.value, "channel": CHANNEL,
                     "entry_id": f"{CHANNEL}:{Status.UNAVAILABLE.value}", "action": Action.REVIEW.value})
    return hits


def _marked(merged: dict[str, Any], hits: list[dict[str, Any]], verdict: Verdict) -> dict[str, Any]:
    """The decision raised to the strongest hit's action, and the classifier's status (and reason) said."""
    decision = max([merged["decision"], *(h["action"] for h in hits)], key=lambda a: STRENGTH[Action(a)])
    marked = {**merged, "decision": decision, CHANNEL: verdict.status.value}
    if verdict.reason is not None:
        marked["classifier_reason"] = verdict.reason.value
    return marked


def _span(span: list[int] | None) -> dict[str, list[int]]:
    return {} if span is None else {"span": span}


def _rejects_first(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """REJECT rows first, as the answer lists ours (a case takes its category from the first); stable otherwise."""
    return sorted(rows, key=lambda row: row["action"] != Action.REJECT.value)


def _hit(found: Finding, span: list[int] | None) -> dict[str, Any]:
    """A finding as a hit: on a post, over the whole text (`span`) or on one image (`image`, span [0, 0]); on an
    avatar (`span` None), neither."""
    on_image = span is not None and found.image is not None
    hit = {"code": "CLASSIFIER_LABEL", "category": found.category.value, "article": found.article,
           **_span([0, 0] if on_image else span), "term": found.label, "channel": CHANNEL,
           "entry_id": f"{CHANNEL}:{found.vendor.value}:{found.label}", "action": found.action.value,
           "vendor": found.vendor.value}
    return {**hit, "image": found.image} if on_image else hit


def _occurrences(hits: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per vendor label and action, so an approval clears exactly what the classifier found."""
    counts: dict[tuple[str, str, str], int] = {}
    for hit in hits:
        key = (hit["entry_id"], hit["term"], hit["action"])
        counts[key] = counts.get(key, 0) + 1
    return [{"entry_id": e, "term": t, "action": a, "occurrences": n, "reported": n} for (e, t, a), n in counts.items()]
