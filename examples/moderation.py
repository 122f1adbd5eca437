"""A moderation round: a report opens a case, the case is decided with a disposition, the reporter reads the
feedback, and the disposed account's operator appeals.

    COMPLIANCE_API_URL=... COMPLIANCE_API_KEY=... python examples/moderation.py

MB2018-14, GR2017-12, PA2020-20 (reports answered in time, with feedback), GR2017-11, PA2017-13, PA2020-19
(dispositions recorded with their ground), PA2020-20 and RL2020-11 (the appeal of a disposition).
"""

from __future__ import annotations

import random
from typing import Any

import signup
from compliance_client.models import Ground
from sample_people import Client, client_from_environment

GROUND: Ground = {"article": "PA2020-19", "category": "SPAM"}


def run(api: Client, offender: dict[str, Any] | None = None, rng: random.Random | None = None,
        say: Any = print) -> dict[str, Any]:
    rng = rng or random.Random()
    offender = offender or signup.run(api, rng, say=lambda line: None)
    account_id = offender["account_id"]
    # 1. A user reports the account; the receipt carries the case, the deadline and a tracking token.
    receipt = api.file_report({"reporter": {"account_id": f"reporter-{rng.getrandbits(32):x}"},
                               "target": {"type": "ACCOUNT", "id": account_id}, "category": "SPAM",
                               "description": "该账号在多个话题下反复发布同一广告，刷屏严重。"})
    case_id = receipt["case_id"]
    say(f"1. report {receipt['report_id']} -> case {case_id}, due {receipt['due_at']}")
    # 2. The case as the moderator sees it.
    case = api.get_case(case_id)
    say(f"2. case {case['status']}, {case['reports']} report(s), overdue: {case['overdue']}")
    # 3. The decision, and a warning applied in the same transaction; every reporter gets feedback.
    decided = api.decide_case(case_id, {
        "outcome": "VIOLATION", "statement": "经核查，该账号发布垃圾广告，予以警示。", "ground": "PA2020-20",
        "dispositions": [{"target": {"type": "ACCOUNT", "id": account_id}, "type": "WARNING", "ground": GROUND,
                          "statement": "多次发布垃圾广告", "automated": False}]})
    say(f"3. decided {decided['decision']['outcome']}: dispositions {decided['decision']['disposition_ids']}")
    # 4. The reporter's view, opened with the receipt's token (records when the feedback was first seen).
    status = api.report_status(receipt["report_id"], tracking_token=receipt["tracking_token"])
    say(f"4. reporter sees: {status['status']} / {status['feedback']['outcome'] if status['feedback'] else None}")
    # 5. The account's operator appeals the disposition within the window.
    appeal = api.file_appeal(case_id, {"subject_id": offender["subject_id"],
                                       "statement": "广告为合作方误发，已删除并整改，请求撤销警示。"})
    say(f"5. appeal {appeal['appeal_id']}: {appeal['status']}, due {appeal['due_at']}")
    return {**offender, "case_id": case_id, "report_id": receipt["report_id"], "appeal_id": appeal["appeal_id"],
            "disposition_ids": decided["decision"]["disposition_ids"]}


if __name__ == "__main__":
    run(client_from_environment())
