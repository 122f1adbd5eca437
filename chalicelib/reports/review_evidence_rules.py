"""A check as a CHECK case keeps it (MB2018-12, PA2020-20): pure rules, no AWS.

The evidence is bounded; its fingerprint says what was checked (the same text, the same image, in
the same policy scene) and its signature what matched (the entries and how they acted), so an
approval clears exactly that and a lexicon or bank change that makes other entries match opens a
review again.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from chalicelib.reports.review_rules import CheckKind, check_scene, decision, named_scene

EVIDENCE_HITS = 50  # hits kept as a case's evidence per check; hits_total counts them all
CLAIM_CHARS = 200


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
    elif kind is CheckKind.AVATAR:  # with the vendor classifier's labels, as a post's occurrences carry them
        found = sorted({(m["bank"], m["entry_id"], m["code"]) for m in answer.get("matches", [])}
                       | {("REASON", str(r.get("code")), "") for r in answer.get("reasons", [])}
                       | {("HIT", h["entry_id"], h["action"]) for h in answer.get("hits", [])})
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
        found = ("code", "category", "article", "term", "entry_id", "action", "channel", "vendor")
        return ([{k: m[k] for k in keep if k in m} for m in answer.get("matches", [])]
                + [{k: h[k] for k in found if k in h} for h in answer.get("hits", [])])  # the classifier's
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


def evidence(kind: CheckKind, body: dict[str, Any], answer: dict[str, Any], at: str) -> dict[str, Any]:
    """A check as a case keeps it: bounded, with what an approval would clear."""
    found = hits(kind, answer)
    return {"kind": kind.value, "scene": check_scene(kind, body), "decision": decision(kind, answer),
            "fingerprint": fingerprint(kind, body, answer), "signature": signature(kind, answer),
            "version": version(kind, answer), "hits": found[:EVIDENCE_HITS], "hits_total": len(found),
            "checked_at": at}
