"""Prohibited content in posts (BJ2011-10, MB2018-12) and the record of what the platform did about it.

The text goes through the names engine (one normalizer, one lexicon, one allow-list); images
through the avatar banks: a banned image (an account closed for violations) is REJECT, a
protected emblem or logo is REVIEW (a post may show one lawfully). Actions taken — stopping
transmission, deleting, labelling, limiting visibility — are records kept at least the log
retention (MB2018-12 "keep relevant records", MB2018-16), read back by period for the filings.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from chalicelib.avatars import checks as avatars
from chalicelib.classifier import service as classifier
from chalicelib.content import store as storage
from chalicelib.core import audit_events as audit, clock, policy, scenes
from chalicelib.core.errors import ComplianceError, InvalidRequest
from chalicelib.names import service as names
from chalicelib.names.index import Matches, NameIndex
from chalicelib.names.post import check_text
from chalicelib.names.scene_hits import post_filter

IMAGE_RULES = {avatars.BANNED: ("REJECT", "IMAGE_OF_CLOSED_ACCOUNT", "PA2017-13"),
               avatars.PROTECTED: ("REVIEW", "IMAGE_PROTECTED_EMBLEM", "PA2020-8")}


def check_many(tenant_id: str, items: list[dict[str, Any]]) -> dict[str, Any]:
    """Up to 20 posts against one read of the lexicon version, each answered or refused by its index."""
    index, effective = names.compiled(tenant_id), policy.current(tenant_id).effective  # one policy for the batch
    answers: list[dict[str, Any]] = []
    for number, body in enumerate(items):
        try:
            answers.append({"index": number, "result": check(tenant_id, body, index, effective)})
        except ComplianceError as exc:
            answers.append(names.refused(number, exc))
    return {"items": answers}


def check(tenant_id: str, body: dict[str, Any], index: NameIndex | None = None,
          effective: dict[str, Any] | None = None) -> dict[str, Any]:
    """One post, under the policy scene `body["scene"]` (none: DEFAULT, the policy as it is); `index` and the
    effective policy when the caller has read them already (a batch)."""
    effective = policy.current(tenant_id).effective if effective is None else effective
    content = effective["content"]
    scene = scenes.resolve(effective["scenes"], body.get("scene"))
    text = body.get("text", "")
    limit = content["max_chars"]
    if len(text) > limit:
        raise InvalidRequest(f"The text is over {limit} characters.", message_zh="文本超过长度上限。",
                             code="TEXT_TOO_LONG", details={"max_chars": limit, "length": len(text)})
    # The decision weighs every occurrence; the answer lists the first few spans of each term and action,
    # a bounded number in all, and counts them, so a hostile post stays a small answer (Lambda's 6 MB).
    index = index or names.compiled(tenant_id)
    result = check_text(index, text, content["max_spans_per_term"], content["max_spans"],
                        scene.contact_action(content["contact_diversion"]), _scene_kept(scene, index, text), scene)
    decision, images = result.decision, []
    if "images" in body:
        images = [_image(tenant_id, n, image, scene) for n, image in enumerate(body["images"])]
        actions = [decision] * (decision != "PASS") + [m["action"] for i in images for m in i["matches"]]
        decision = "REJECT" if "REJECT" in actions else "REVIEW" if actions else "PASS"
    answer = {"decision": decision, "hits": [h.as_dict() for h in result.hits],
              "occurrences": [o.as_dict() for o in result.occurrences], "truncated": result.truncated,
              "images": images, "characters": len(text), "normalization": {"steps": list(result.normalized.steps)}}
    if "scene" in body:  # a post naming no scene answers as before
        answer["scene"] = scene.view()
    if not content["classifier"].get("url"):  # the policy read for this post (for the batch) names no classifier
        return answer
    return classifier.merged(tenant_id, body, answer, scene)  # the tenant's vendor classifier (BJ2011-10)


def _scene_kept(scene: scenes.Scene, index: NameIndex, text: str) -> Callable[[Matches, str], Matches]:
    """The scene's filter of a post's matches (names/scene_hits.py), made when the post first has some: most
    posts meet no entry."""
    made: list[Callable[[Matches, str], Matches]] = []

    def kept(found: Matches, channel: str) -> Matches:
        if not made:
            made.append(post_filter(scene, index, text))
        return made[0](found, channel)

    return kept


def _image(tenant_id: str, position: int, image: dict[str, Any], scene: scenes.Scene) -> dict[str, Any]:
    query = avatars.hashed(tenant_id, image, insets=True)  # insets: cropped copies match as for avatars
    found = query.found
    distance = scene.distance(policy.setting(tenant_id, "avatars", "match_distance"))
    _, found_entries = avatars.bank_matches(tenant_id, query.variants, distance, query.insets)
    matches = []
    for entry, distance, transform in found_entries:
        action, code, article = IMAGE_RULES[entry["bank"]]
        matches.append({"bank": entry["bank"], "entry_id": entry["entry_id"], "label": entry.get("label"),
                        "distance": distance, "transform": transform, "code": code, "article": article,
                        "action": action})
    return {"index": position, "pdq": found.to_hex(), "quality": found.quality, "matches": matches}


def record_action(tenant_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """MB2018-12: keep what was done to prohibited content; the same action sent again is stored once."""
    at = body.get("at") or clock.iso()
    action_id = "act_" + hashlib.sha256(f"{body['content_id']}|{body['action']}|{at}".encode()).hexdigest()[:20]
    days = policy.setting(tenant_id, "retention", "log_days")
    happened = clock.parse(at)
    record = {"action_id": action_id, "content_id": body["content_id"], "content_sha256": body.get("content_sha256"),
              "account_id": body["account_id"], "action": body["action"], "category": body["category"],
              "article": body["article"], "statement": body.get("statement"), "at": at,
              "reportable": body.get("reportable", True), "recorded_at": clock.iso()}
    store = storage.store()
    op = store.action_op(tenant_id, record, int(happened.timestamp()) + 86400 * days)
    store.commit(tenant_id, [op], audit.event(
        tenant_id, "content.action", action_id=action_id, action=body["action"], account_id=body["account_id"],
        category=body["category"], article=body["article"]))
    return {k: v for k, v in record.items() if v is not None}


def actions(tenant_id: str, account_id: str | None, start: str, end: str, limit: int,
            cursor: str | None) -> dict[str, Any]:
    """Actions in [start, end], oldest first, by account when given; expired ones filtered."""
    items, next_cursor = storage.store().actions_page(tenant_id, account_id, start, end, limit, cursor,
                                                      int(clock.now_epoch()))
    fields = ("action_id", "content_id", "content_sha256", "account_id", "action", "category", "article", "statement",
              "at", "reportable", "recorded_at")
    return {"items": [{k: i[k] for k in fields if i.get(k) is not None} for i in items], "next_cursor": next_cursor}
