"""Retention, walked across every table: records live at least six months; only counters expire sooner."""

from __future__ import annotations

from datetime import datetime

import boto3

from chalicelib.core.config import settings
from tests.builders import decide, report

SIX_MONTHS = 180 * 86400
SHORT_LIVED = ("#ATTEMPTS#", "#VELOCITY#")  # anti-enumeration and registration-burst counters


def scan(table: str) -> list[dict]:
    client = boto3.client("dynamodb", region_name="cn-north-1")
    items, params = [], {"TableName": table}
    while True:
        page = client.scan(**params)
        items += page["Items"]
        if "LastEvaluatedKey" not in page:
            return items
        params["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def epoch(stamp: str) -> float:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()


def test_every_record_is_kept_at_least_six_months_in_every_table(api, tenant):
    # GIVEN activity across the product: logs, reports and a decision, a disposition, policy changes
    api.call("POST", "/v1/logs", key=tenant.key, body={"events": [
        {"account_id": "acct-1", "type": "LOGIN", "at": "2026-11-20T08:00:00Z"}]})
    receipt = report(api, tenant.key, reporter={"account_id": "r-1"}).json
    decide(api, tenant.key, receipt["case_id"])
    api.call("POST", "/v1/dispositions", key=tenant.key, body={
        "target": {"type": "ACCOUNT", "id": "acct-1"}, "type": "WARNING", "automated": False, "statement": "s",
        "ground": {"article": "PA2020-19", "category": "SPAM"}})
    # THEN in the records table every log and audit event expires at least six months after it happened
    records = scan(settings().records_table)
    assert {i["SK"]["S"].split("#")[0] for i in records} >= {"E", "HEAD", "2026-11-20T08:00:00Z"}
    for item in records:
        if item["SK"]["S"] == "HEAD":
            assert "ttl" not in item  # the chain's head never expires
            continue
        happened = epoch(item["at"]["S"])
        assert int(item["ttl"]["N"]) - happened >= SIX_MONTHS, item["PK"]
    # and in the main table nothing expires but short-lived counters
    for item in scan(settings().main_table):
        if "ttl" in item:
            assert any(mark in item["PK"]["S"] for mark in SHORT_LIVED) or item["SK"]["S"].startswith("WINDOW#"), item
