"""Filings: a full run per province with its manifest checked, the schedule, the CLI, the listing."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import random
import re
from datetime import datetime, timedelta, timezone

import boto3
import pytest

from chalicelib.core import clock
from chalicelib.core.config import settings
from tests import factories
from tests.api.test_identity_upfront import COMPANY, apply, enterprise, verified
from tests.builders import registered

PLAIN_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dX](?![0-9A-Za-z])")  # not inside hex ids and digests
GROUND = {"article": "PA2020-19", "category": "SPAM"}


def new_account(api, key, subject_id, name, account_type="PUBLIC_ACCOUNT", **extra):
    return registered(api, key, subject_id, name, account_type, **extra)["account_id"]


def next_month() -> str:
    """Move the clock into next month; the period just ended is this month."""
    now = datetime.now(timezone.utc)
    clock.set_source((now.replace(day=1) + timedelta(days=32)).replace(day=2).timestamp)
    return now.strftime("%Y-%m")


@pytest.fixture
def filed(api, tenant):
    """Two subjects in two provinces: one enterprise (Beijing USCC) with two public accounts and a V-verification,
    one person (Shanghai) with one public account, blacklisted."""
    uscc = factories.uscc(random.Random(1), region="110105")
    company = enterprise(api, tenant.key, uscc)
    licence = {"type": "BUSINESS_LICENCE", "number": uscc, "name": COMPANY, "sha256": "a" * 64}
    assert apply(api, tenant.key, company, COMPANY, [licence]).status_code == 201
    news = new_account(api, tenant.key, company, "示例资讯", category="NEWS", business_scope="信息技术服务")
    new_account(api, tenant.key, company, "示例生活", category="LIFESTYLE", business_scope="广告设计")
    number = factories.resident_id(random.Random(2), region="310104")
    person = verified(api, tenant.key, {"subject_type": "PERSON", "real_name": "张三",
                                        "document": {"type": "RESIDENT_ID", "number": number}})
    new_account(api, tenant.key, person, "张三的日常", category="LIFESTYLE")
    new_account(api, tenant.key, person, "普通用户甲", account_type="USER")
    common = {"ground": GROUND, "statement": "多次发布违规信息", "automated": False}
    api.call("POST", "/v1/dispositions", key=tenant.key, body={**common, "type": "WARNING",
                                                                "target": {"type": "ACCOUNT", "id": news}})
    api.call("POST", "/v1/dispositions", key=tenant.key, body={**common, "type": "BLACKLIST",
                                                                "target": {"type": "SUBJECT", "id": person}})
    api.call("POST", "/v1/content/actions", key=tenant.key, body={
        "content_id": "post-1", "account_id": news, "action": "DELETE", "category": "RUMOUR", "article": "MB2018-12"})
    return {"company": company, "person": person, "number": number, "uscc": uscc, "period": next_month()}


def objects(prefix: str) -> dict[str, bytes]:
    s3 = boto3.client("s3", region_name="cn-north-1")
    listed = s3.list_objects_v2(Bucket=settings().filings_bucket, Prefix=prefix).get("Contents", [])
    return {o["Key"]: s3.get_object(Bucket=settings().filings_bucket, Key=o["Key"])["Body"].read() for o in listed}


def rows(blob: bytes) -> list[dict[str, str]]:
    assert blob.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(blob.decode("utf-8-sig"))))


def test_a_full_filing_run_per_province_with_its_manifest(api, tenant, filed):
    from chalicelib.filings import export as filings

    answer = filings.export(tenant.tenant_id, filed["period"])
    prefix = f"filings/{tenant.tenant_id}/{filed['period']}/"
    stored = objects(prefix)
    manifest = json.loads(stored[prefix + "manifest.json"])
    # THEN every file the manifest lists is there, with its SHA-256 and count
    assert {f["key"] for f in manifest["files"]} | {prefix + "manifest.json"} == set(stored)
    for entry in manifest["files"]:
        blob = stored[entry["key"]]
        assert hashlib.sha256(blob).hexdigest() == entry["sha256"] and len(blob) == entry["bytes"]
        if entry["format"] == "json":
            assert len(json.loads(blob)["grades"]) == entry["records"]  # the grading rule set (PA2020-7)
            continue
        lines = len(rows(blob)) if entry["format"] == "csv" else len(blob.splitlines())
        assert lines == entry["records"]
    assert manifest["totals"] == {"public_accounts": 3, "multi_account_subjects": 1, "upfront_verified": 1,
                                  "dispositions": 2, "blacklistings": 1, "content_actions": 1} == answer["totals"]
    assert rows(stored[prefix + "11/content_actions.csv"])[0]["处置方式"] == "DELETE"
    assert manifest["generator"]["version"] and manifest["policy"]["retention"]["log_days"] == 183
    assert manifest["provinces"]["11"]["name"] == "北京市" and manifest["provinces"]["31"]["name"] == "上海市"
    # per province of registration, with Chinese headers
    beijing = rows(stored[prefix + "11/public_accounts.csv"])
    assert {r["账号名称"] for r in beijing} == {"示例资讯", "示例生活"} and beijing[0]["主体名称"] == COMPANY
    multi = rows(stored[prefix + "11/multi_account_subjects.csv"])
    assert multi[0]["公众账号数量"] == "2" and multi[0]["经营范围"] == "信息技术服务；广告设计"
    assert {a["name"] for a in json.loads(multi[0]["账号清单"])} == {"示例资讯", "示例生活"}
    assert rows(stored[prefix + "11/upfront_verified.csv"])[0]["认证名称"] == COMPANY
    shanghai = rows(stored[prefix + "31/public_accounts.csv"])
    assert [r["主体名称"] for r in shanghai] == ["张三"] and "*" in shanghai[0]["证件号码（脱敏）"]
    assert rows(stored[prefix + "31/blacklistings.csv"])[0]["名单类型"] == "REGISTRATION_SUBJECT"
    assert rows(stored[prefix + "11/dispositions.csv"])[0]["处置类型"] == "WARNING"  # found through the account
    # only masked documents leave: no plain ID or USCC in any file
    everything = b"".join(stored.values()).decode("utf-8-sig")
    assert filed["number"] not in everything and filed["uscc"] not in everything
    assert not PLAIN_ID.search(everything)
    events = [e for e in api.call("GET", "/v1/audit", key=tenant.key).json["items"] if e["type"] == "filing.export"]
    assert events[0]["data"]["period"] == filed["period"]


def test_the_listing_gives_presigned_links(api, tenant, filed):
    from chalicelib.filings import export as filings

    filings.export(tenant.tenant_id, filed["period"])
    listed = api.call("GET", "/v1/filings", key=tenant.key)
    assert listed.status_code == 200, listed.json
    (item,) = listed.json["items"]
    assert item["period"] == filed["period"] and "manifest.json" in item["manifest_url"]
    assert all("X-Amz-Signature" in f["url"] for f in item["files"])


def test_the_schedule_exports_each_ended_period_once(api, tenant, filed):
    from chalicelib import jobs

    first = jobs.run_now("export-filings")
    assert first == {"exported": [f"{tenant.tenant_id}/{filed['period']}"]}
    assert jobs.run_now("export-filings") == {"exported": []}


def test_periods_are_checked(api, tenant):
    from chalicelib.core.errors import InvalidRequest, Unprocessable
    from chalicelib.filings import export as filings

    with pytest.raises(InvalidRequest):
        filings.export(tenant.tenant_id, "2026-13")
    with pytest.raises(Unprocessable):
        filings.export(tenant.tenant_id, "2099-01")
    assert filings.export(tenant.tenant_id, "2025-Q4")["totals"]["public_accounts"] == 0


def test_the_cli_exports_with_a_progress_bar(api, tenant, filed, capsys):
    from chalicelib import cli

    assert cli.run(["filings", "export", "--tenant", tenant.tenant_id, "--period", filed["period"]]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["totals"]["public_accounts"] == 3
    assert "[" + "#" * cli.Progress.WIDTH + "] 7/7 records" in captured.err


def test_a_run_failing_at_any_step_leaves_no_filing_and_the_next_run_files_each_tenant_once(api, make_tenant, tenant,
                                                                                             filed):
    from chalicelib import jobs
    from chalicelib.core import keys, stores
    from tests.api.test_faults import Faults

    other = make_tenant("other-platform")
    table, tenant_ids = stores.main_table(), (tenant.tenant_id, other.tenant_id)

    def filings() -> dict[str, dict]:
        return {t: table.get(keys.filing_item(t, filed["period"]), consistent=True) for t in tenant_ids}

    def forget() -> None:
        for tenant_id in tenant_ids:
            key = keys.filing_item(tenant_id, filed["period"])
            boto3.client("dynamodb", region_name="cn-north-1").delete_item(
                TableName=settings().main_table, Key={name: {"S": value} for name, value in key.items()})

    faults = Faults()
    steps = faults.write_steps(lambda k: (forget(), jobs.run_now("export-filings")))
    for n in steps:
        forget()
        faults.fail_at(n)
        with pytest.raises(Exception) as failed:
            jobs.run_now("export-filings")
        assert type(failed.value).__name__ in ("TenantsFailed", "ProviderUnavailable"), (n, failed.value)
        before = filings()
        # the failed tenant has no filing record, or (the run failed after it) a complete one
        assert all(f is None or objects(f["manifest_key"]) for f in before.values()), n
        rerun = jobs.run_now("export-filings")
        assert sorted(rerun["exported"]) == sorted(f"{t}/{filed['period']}" for t, f in before.items() if f is None), n
        for tenant_id, record in filings().items():
            assert record is not None and objects(record["manifest_key"]), (n, tenant_id)
    assert {"PutObject", "Query", "TransactWriteItems"} <= set(faults.failed), faults.failed
