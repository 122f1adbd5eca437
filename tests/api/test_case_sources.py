"""Cases by source (PA2020-20, GR2017-11, PA2020-19) over HTTP: a rumour match opening a case; the statement of
reasons end to end into the dispositions filing, with older dispositions' defaults; the actor header recorded.
A moderator's own case, an authority's order and a case stored before sources are tested on the in-memory
stores in tests/unit/test_case_sources_use_cases.py."""

from __future__ import annotations

import csv
import io
import json
import random

from chalicelib.core import keys, stores
from tests import factories
from tests.api.test_appeals import appeal, disposed_case
from tests.api.test_filings import next_month, objects
from tests.api.test_identity_upfront import verified
from tests.api.test_rumours import CLAIM, known_rumour
from tests.builders import verified_subject


def test_a_rumour_match_on_a_named_post_opens_a_rumour_case_due_in_a_day(api, tenant):
    known_rumour(api, tenant.key)
    post = {"object_type": "CONTENT", "object_id": "post-3"}
    matched = api.call("POST", "/v1/rumours/match", key=tenant.key, body={"text": CLAIM, "review": post}).json
    assert matched["matched"] is True and matched["review"]["status"] == "OPENED"
    case = api.call("GET", f"/v1/cases/{matched['case_id']}", key=tenant.key).json
    assert (case["category"], case["deadline_rule"], case["evidence"][0]["kind"]) == ("RUMOUR", "rumour", "RUMOUR")
    unrelated = api.call("POST", "/v1/rumours/match", key=tenant.key, body={"text": "今天天气很好", "review": post})
    assert unrelated.json["review"] == {"status": "NOT_OPENED"} and "case_id" not in unrelated.json


def filed_dispositions(tenant_id: str, period: str) -> list[dict]:
    from chalicelib.filings import export as filings

    filings.export(tenant_id, period)
    stored = objects(f"filings/{tenant_id}/{period}/")
    lines = [json.loads(line) for name, blob in stored.items() if name.endswith("/dispositions.jsonl")
             for line in blob.splitlines()]
    csv_rows = [row for name, blob in stored.items() if name.endswith("/dispositions.csv")
                for row in csv.DictReader(io.StringIO(blob.decode("utf-8-sig")))]
    assert len(csv_rows) == len(lines)
    return lines + [{"csv": row} for row in csv_rows]


def test_the_statement_of_reasons_reaches_the_filing_and_older_dispositions_file_with_defaults(api, tenant):
    number = factories.resident_id(random.Random(5), region="310104")
    person = verified(api, tenant.key, {"subject_type": "PERSON", "real_name": "李四",
                                        "document": {"type": "RESIDENT_ID", "number": number}})
    ground = {"article": "PA2020-19", "category": "SPAM"}
    new = api.call("POST", "/v1/dispositions", key=tenant.key, headers={"X-Actor": "mod-wang"},
                   body={"target": {"type": "SUBJECT", "id": person}, "type": "WARNING", "ground": ground,
                         "statement": "刷屏", "automated": True, "automated_decision": "PARTIALLY",
                         "decision_ground": "PLATFORM_RULES", "platform_rule_id": "spam/1"}).json
    old = api.call("POST", "/v1/dispositions", key=tenant.key,
                   body={"target": {"type": "SUBJECT", "id": person}, "type": "WARNING", "ground": ground,
                         "statement": "刷屏", "automated": True, "case_id": "cas_legacy"}).json
    # GIVEN the second disposition as an earlier version stored it: no statement-of-reasons fields
    table = stores.main_table()
    item_key = {"PK": keys.target_pk(tenant.tenant_id, "SUBJECT", person), "SK": f"DISP#{old['disposition_id']}"}
    item = table.get(item_key)
    table.put({k: v for k, v in item.items() if k not in (
        "decision_ground", "automated_detection", "automated_decision", "source_type", "content_type")})
    # WHEN it is read and the period is filed
    read = api.call("GET", f"/v1/dispositions/{old['disposition_id']}", key=tenant.key).json
    assert (read["source_type"], read["automated_decision"], read["decision_ground"], read["decided_by"]) == (
        "REPORT", "FULLY", "LEGAL", None)
    filed = filed_dispositions(tenant.tenant_id, next_month())
    by_id = {r["disposition_id"]: r for r in filed if "csv" not in r}
    # THEN both are filed with every column: the new one as recorded, the old one with its defaults
    assert {k: by_id[new["disposition_id"]][k] for k in ("decision_ground", "platform_rule_id", "automated_detection",
                                                         "automated_decision", "source_type", "decided_by")} == {
        "decision_ground": "PLATFORM_RULES", "platform_rule_id": "spam/1", "automated_detection": True,
        "automated_decision": "PARTIALLY", "source_type": "PROACTIVE", "decided_by": "mod-wang"}
    assert (by_id[old["disposition_id"]]["source_type"], by_id[old["disposition_id"]]["automated_decision"]) == (
        "REPORT", "FULLY")
    rows = {r["csv"]["处置编号"]: r["csv"] for r in filed if "csv" in r}
    assert rows[new["disposition_id"]]["决定依据类型"] == "PLATFORM_RULES"
    assert rows[new["disposition_id"]]["决定人"] == "mod-wang" and rows[new["disposition_id"]]["是否自动发现"] == "True"


def test_who_revoked_and_who_decided_an_appeal_are_recorded(api, tenant):
    subject_id, _ = verified_subject(api, tenant.key)
    case = disposed_case(api, tenant.key, subject_id, "acct-r")
    filed = appeal(api, tenant.key, case["case_id"], subject_id).json
    # WHEN a named reviewer overturns the appeal
    overturned = api.call("POST", f"/v1/appeals/{filed['appeal_id']}/decision", key=tenant.key,
                          headers={"X-Actor": "reviewer-9"}, body={"outcome": "OVERTURNED", "statement": "撤销"})
    assert overturned.status_code == 200, overturned.json
    # THEN the appeal says who decided it, and every disposition it reversed says who revoked it
    assert overturned.json["decided_by"] == "reviewer-9"
    for disposition_id in case["decision"]["disposition_ids"]:
        revoked = api.call("GET", f"/v1/dispositions/{disposition_id}", key=tenant.key).json
        assert (revoked["status"], revoked["revoked_by"]) == ("REVOKED", "reviewer-9")
    # AND a revocation on its own records its actor too
    made = api.call("POST", "/v1/dispositions", key=tenant.key, body={
        "target": {"type": "ACCOUNT", "id": "acct-s"}, "type": "WARNING", "automated": False,
        "ground": {"article": "PA2020-19", "category": "SPAM"}, "statement": "刷屏"}).json
    revoked = api.call("POST", f"/v1/dispositions/{made['disposition_id']}/revocation", key=tenant.key,
                       headers={"X-Actor": "mod-2"}, body={"reason": "误判"})
    assert revoked.status_code == 200 and revoked.json["revoked_by"] == "mod-2"
