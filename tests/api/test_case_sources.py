"""Cases by source (PA2020-20, GR2017-11, PA2020-19): a moderator's own, an authority's order, a
rumour match; the statement of reasons end to end into the dispositions filing; data written
before sources and statements of reasons read with their defaults."""

from __future__ import annotations

import csv
import io
import json
import random
from datetime import datetime, timedelta, timezone

from chalicelib.core import keys, stores
from tests import factories
from tests.api.test_appeals import appeal, disposed_case
from tests.api.test_filings import next_month, objects
from tests.api.test_identity_upfront import verified
from tests.api.test_rumours import CLAIM, known_rumour
from tests.builders import decide, report, verified_subject

ORDER = {"reference": "京网信令〔2026〕12号", "authority": "示例市互联网信息办公室",
         "due_at": "2026-12-31T00:00:00Z"}


def open_case(api, key, **body):
    base = {"source": "PROACTIVE", "target": {"type": "CONTENT", "id": "post-9"}, "category": "RUMOUR",
            "description": "巡查发现疑似谣言"}
    return api.call("POST", "/v1/cases", key=key, body={**base, **body}, headers={"X-Actor": "mod-li"})


def test_a_moderator_opens_a_case_nobody_reported_and_decides_it_as_a_report(api, tenant):
    # GIVEN a moderator's own case WHEN it is opened
    opened = open_case(api, tenant.key, evidence=[{"sha256": "a" * 64}])
    assert opened.status_code == 201, opened.json
    case = opened.json
    # THEN it is PROACTIVE, opened by the moderator, due as a rumour report (24 h), and no report joins it
    assert (case["source"], case["opened_by"], case["deadline_rule"], case["reports"]) == (
        "PROACTIVE", "mod-li", "RUMOUR", 0)
    assert case["attachments"] == [{"sha256": "a" * 64}]
    joined = report(api, tenant.key, "post-9", category="RUMOUR").json
    assert joined["case_id"] != case["case_id"] and joined["joined_open_case"] is False
    # AND it is decided NO_VIOLATION or VIOLATION, never as a check case
    wrong = decide(api, tenant.key, case["case_id"], outcome="APPROVE")
    assert (wrong.status_code, wrong.json["error"]["code"]) == (422, "OUTCOME_NOT_FOR_SOURCE")
    decided = decide(api, tenant.key, case["case_id"], outcome="VIOLATION", statement="已删除谣言",
                     dispositions=[{"target": {"type": "ACCOUNT", "id": "acct-9"}, "type": "WARNING",
                                    "automated": True, "ground": {"article": "MB2018-11", "category": "RUMOUR"},
                                    "statement": "发布谣言"}])
    assert decided.status_code == 200, decided.json
    (disposition_id,) = decided.json["decision"]["disposition_ids"]
    disposition = api.call("GET", f"/v1/dispositions/{disposition_id}", key=tenant.key).json
    assert (disposition["source_type"], disposition["automated_decision"]) == ("PROACTIVE", "FULLY")
    assert decided.json["decision"]["automated_decision"] == "NOT"  # the decision's own, not its disposition's


def test_an_authority_order_carries_its_reference_and_its_time_limit(api, tenant):
    # GIVEN an order case without the order, or an order on a moderator's case THEN 422, nothing opened
    missing = open_case(api, tenant.key, source="AUTHORITY_ORDER")
    assert (missing.status_code, missing.json["error"]["code"]) == (422, "ORDER_MISMATCH")
    stray = open_case(api, tenant.key, order=ORDER)
    assert (stray.status_code, stray.json["error"]["code"]) == (422, "ORDER_MISMATCH")
    assert api.call("GET", "/v1/cases?source=AUTHORITY_ORDER", key=tenant.key).json["items"] == []
    # WHEN the order is given THEN the case is due at the order's own time limit
    ordered = open_case(api, tenant.key, source="AUTHORITY_ORDER", order=ORDER)
    assert ordered.status_code == 201, ordered.json
    case = ordered.json
    assert (case["due_at"], case["deadline_rule"], case["order"]["reference"]) == (
        ORDER["due_at"], "ORDER", ORDER["reference"])
    listed = api.call("GET", "/v1/cases?source=AUTHORITY_ORDER", key=tenant.key).json["items"]
    assert [c["case_id"] for c in listed] == [case["case_id"]]
    decided = decide(api, tenant.key, case["case_id"], outcome="VIOLATION")
    assert decided.json["decision"]["source_type"] == "AUTHORITY_ORDER"
    stats = api.call("GET", "/v1/cases/stats", key=tenant.key).json
    assert stats["sources"]["AUTHORITY_ORDER"]["violations"] == 1


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


def test_a_case_stored_before_cases_had_a_source_reads_as_a_report(api, tenant):
    receipt = report(api, tenant.key, "post-old", category="SPAM").json
    decide(api, tenant.key, receipt["case_id"], outcome="VIOLATION")
    table = stores.main_table()
    # GIVEN the case and its decision record as an earlier version wrote them
    case = table.get(keys.case_item(tenant.tenant_id, receipt["case_id"]))
    table.put({**{k: v for k, v in case.items() if k != "source"},
               "decision": {k: v for k, v in case["decision"].items() if k not in (
                   "decision_ground", "automated_detection", "automated_decision", "source_type", "content_type",
                   "decided_by")}})
    start = (datetime.now(timezone.utc) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    for item in table.query(KeyConditionExpression="PK = :pk", values={":pk": keys.decisions_pk(tenant.tenant_id)}):
        table.put({k: v for k, v in item.items() if k not in ("source", "source_type", "decision_ground")})
    # WHEN it is read, listed and counted THEN it is a REPORT case, decided on its article by a person
    read = api.call("GET", f"/v1/cases/{receipt['case_id']}", key=tenant.key).json
    assert read["source"] == "REPORT" and read["decision"]["source_type"] == "REPORT"
    assert (read["decision"]["decision_ground"], read["decision"]["automated_decision"]) == ("LEGAL", "NOT")
    listed = api.call("GET", "/v1/cases?status=DECIDED&source=REPORT", key=tenant.key).json["items"]
    assert [c["case_id"] for c in listed] == [receipt["case_id"]]
    stats = api.call("GET", f"/v1/cases/stats?from={start}", key=tenant.key).json
    assert stats["sources"]["REPORT"]["decided"] == 1 and stats["statement_of_reasons"]["source_type"]["REPORT"] == 1


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
