"""How the classifier's findings join a post check's answer (BJ2011-10, MB2018-12, PA2020-18). Pure.

Each flagged label is a hit on the `classifier` channel naming the vendor label, and a row of `occurrences`
(so a reviewer's approval clears exactly what the classifier found); the decision is the strongest of our
channels' and the classifier's. A classifier that cannot answer leaves our own channels' decision, marked
UNAVAILABLE with its reason, and REVIEW at least where the tenant's policy requires the classifier.
"""

from __future__ import annotations

from typing import Any

from chalicelib.classifier.labels import Action
from chalicelib.classifier.rules import CHANNEL, STRENGTH, Finding, Status, Verdict
from chalicelib.reports.rules import ReportCategory


def merge(answer: dict[str, Any], verdict: Verdict, *, required: bool) -> dict[str, Any]:
    """The post's answer with the classifier's hits and occurrences added and the decision raised by them;
    UNAVAILABLE keeps our channels' decision, raised to REVIEW when the policy requires the classifier."""
    span = [0, int(answer.get("characters", 0))]
    hits = [_hit(f, span) for f in verdict.findings]
    if verdict.status is Status.UNAVAILABLE and required:
        hits.append({"code": "CLASSIFIER_REQUIRED", "category": ReportCategory.OTHER.value, "article": "PLATFORM_RULES",
                     "span": span, "term": Status.UNAVAILABLE.value, "channel": CHANNEL,
                     "entry_id": f"{CHANNEL}:{Status.UNAVAILABLE.value}", "action": Action.REVIEW.value})
    decision = max([answer["decision"], *(h["action"] for h in hits)], key=lambda a: STRENGTH[Action(a)])
    merged = {**answer, "decision": decision, "hits": _rejects_first([*answer["hits"], *hits]),
              "occurrences": _rejects_first([*answer["occurrences"], *_occurrences(hits)]),
              CHANNEL: verdict.status.value}
    if verdict.reason is not None:
        merged["classifier_reason"] = verdict.reason.value
    return merged


def _rejects_first(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """REJECT rows first, as the answer lists ours (a case takes its category from the first); stable otherwise."""
    return sorted(rows, key=lambda row: row["action"] != Action.REJECT.value)


def _hit(found: Finding, span: list[int]) -> dict[str, Any]:
    hit = {"code": "CLASSIFIER_LABEL", "category": found.category.value, "article": found.article,
           "span": span if found.image is None else [0, 0], "term": found.label, "channel": CHANNEL,
           "entry_id": f"{CHANNEL}:{found.vendor.value}:{found.label}", "action": found.action.value,
           "vendor": found.vendor.value}
    return hit if found.image is None else {**hit, "image": found.image}


def _occurrences(hits: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per vendor label and action, so an approval clears exactly what the classifier found."""
    counts: dict[tuple[str, str, str], int] = {}
    for hit in hits:
        key = (hit["entry_id"], hit["term"], hit["action"])
        counts[key] = counts.get(key, 0) + 1
    return [{"entry_id": e, "term": t, "action": a, "occurrences": n, "reported": n} for (e, t, a), n in counts.items()]
