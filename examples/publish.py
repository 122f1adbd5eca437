"""Publish: may this person publish, is the post allowed, is it a known rumour, and what was done about it.

    COMPLIANCE_API_URL=... COMPLIANCE_API_KEY=... python examples/publish.py

MB2018-7 and PA2020-9 (the publishing gate), BJ2011-10 and MB2018-12 (prohibited content), MB2018-11 and
PA2020-13 (rumours: the refutation is attached and the sighting recorded), MB2018-12 and PA2020-19 (the
action on the content is kept for the log retention).
"""

from __future__ import annotations

import random
from typing import Any

import signup
from compliance_client.models import RumourRefutation
from sample_people import Client, client_from_environment

CLAIM = "自来水中检出大量致癌物，全市停水三天"
REFUTATION: RumourRefutation = {"text": "经市水务局检测，本市自来水各项指标均符合国家标准，不存在停水安排。",
                              "source_url": "https://example.gov.cn/notice/2026-11-01", "issuing_body": "市水务局"}


def known_rumour(api: Client) -> str:
    """The platform's rumour desk registers a refuted rumour once (here, for the example, if it is not known)."""
    known = api.match_rumours({"text": CLAIM})["matches"]
    if known:
        return str(known[0]["rumour_id"])
    return str(api.register_rumour({"claim": CLAIM, "samples": [CLAIM], "refutation": REFUTATION})["rumour_id"])


def run(api: Client, author: dict[str, Any] | None = None, rng: random.Random | None = None,
        say: Any = print) -> dict[str, Any]:
    rng = rng or random.Random()
    author = author or signup.run(api, rng, say=lambda line: None)
    subject_id, account_id = author["subject_id"], author["account_id"]
    rumour_id = known_rumour(api)
    # 1. The gate: verified and not lapsed, no disposition in force that stops publishing.
    gate = api.can_publish(subject_id)
    say(f"1. can publish: {gate['allowed']}")
    if not gate["allowed"]:
        raise SystemExit(f"refused: {[reason['code'] for reason in gate['reasons']]}")
    post_id = f"post-{rng.getrandbits(40):x}"
    text = f"转发：{CLAIM}，大家赶紧囤水！"
    # 2. Prohibited content, with every hit's span.
    content = api.check_content({"text": text, "account_id": account_id})
    say(f"2. content check: {content['decision']}")
    # 3. Known rumours in the post; with account_id a sighting is recorded for tracing back (MB2018-11).
    matched = api.match_rumours({"text": text, "account_id": account_id, "content_id": post_id})
    found = [m["rumour_id"] for m in matched["matches"]]
    say(f"3. rumours matched: {found}")
    # 4. What the platform did: a rumour is labelled with its refutation; kept with the logs.
    action = api.record_action({"content_id": post_id, "account_id": account_id,
                                "action": "LABEL" if found else "LIMIT_VISIBILITY", "category": "RUMOUR",
                                "article": "MB2018-11", "statement": "已附辟谣信息：" + REFUTATION["text"]})
    say(f"4. recorded {action['action']} on {post_id}")
    return {**author, "post_id": post_id, "rumour_id": rumour_id, "matched": found,
            "action_id": action.get("action_id")}


if __name__ == "__main__":
    run(client_from_environment())
