"""A period's filing as units on the exports queue: a plan, one unit per (period, province) with its own
checkpoint, and the manifest once every province is in (MB2018-9/10, PA2017-7, PA2020-19); a unit delivered
twice, or killed and delivered again, files once (moto's SQS, in process)."""

from __future__ import annotations

import json
from typing import Any

import boto3

from chalicelib import jobs
from chalicelib.core import keys, stores, work_queues
from chalicelib.core.work_queues import Unit
from chalicelib.filings import fanout, sources
from chalicelib.jobs import runner
from chalicelib.jobs.store import JobStore
from tests.api import test_filings
from tests.factories import Countdown

filed = test_filings.filed  # two subjects: an enterprise in Beijing (11), a person in Shanghai (31)
objects = test_filings.objects


def take(queue: str) -> list[str]:
    sqs, url, bodies = boto3.client("sqs", region_name="cn-north-1"), work_queues.url(queue), []
    while messages := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
        for message in messages:
            bodies.append(message["Body"])
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    return bodies


def planned(tenant_id: str) -> list[str]:
    """Fire the schedule, run the tenant's due-period unit and its plan; the province units' bodies queued."""
    runner.fan_out("export-filings", "run-1")
    for body in take("jobs"):
        runner.handle(body, None)
    (plan,) = take("exports")
    assert Unit.decode(plan).job == "export-filing"
    runner.handle(plan, None)
    return take("exports")


def filing_events(api: Any, key: str) -> list[dict[str, Any]]:
    return [e for e in api.call("GET", "/v1/audit", key=key).json["items"] if e["type"] == "filing.export"]


def test_the_plan_queues_one_unit_per_province_and_the_last_province_records_the_filing(api, tenant, filed):
    # GIVEN a tenant whose period has records in Beijing and Shanghai WHEN the schedule's plan has run
    bodies = planned(tenant.tenant_id)
    # THEN one unit per (period, province) waits on the exports queue, and nothing is filed yet
    units = sorted(Unit.decode(b).unit for b in bodies)
    assert units == [f"{filed['period']}/11", f"{filed['period']}/31"]
    assert stores.main_table().get(keys.filing_item(tenant.tenant_id, filed["period"]), consistent=True) is None
    # WHEN the first province is done THEN its files are there, still no filing record
    first, second = (runner.handle(b, None) for b in sorted(bodies))
    assert first["done"] == {"exported": []}
    # AND the second, finding every part in, records the filing with the manifest of both provinces
    assert second["done"] == {"exported": [f"{tenant.tenant_id}/{filed['period']}"]}
    prefix = f"filings/{tenant.tenant_id}/{filed['period']}/"
    stored = objects(prefix)
    manifest = json.loads(stored[prefix + "manifest.json"])
    assert sorted(manifest["provinces"]) == ["11", "31"]
    assert manifest["totals"] == {"public_accounts": 3, "multi_account_subjects": 1, "upfront_verified": 1,
                                  "dispositions": 2, "blacklistings": 1, "content_actions": 1}
    assert {f["key"] for f in manifest["files"]} | {prefix + "manifest.json"} == set(stored)
    assert len(filing_events(api, tenant.key)) == 1


def test_a_province_unit_delivered_twice_files_once(api, tenant, filed):
    # GIVEN the period's province units
    bodies = planned(tenant.tenant_id)
    # WHEN SQS delivers every one of them twice, the copies interleaved
    answers = [runner.handle(b, None) for b in sorted(bodies) + sorted(bodies)]
    # THEN the copies are recognised, the filing is recorded once with one audit event
    assert [a.get("duplicate", False) for a in answers] == [False, False, True, True]
    assert sum(len(a.get("done", {}).get("exported", [])) for a in answers) == 1
    assert len(filing_events(api, tenant.key)) == 1


def test_a_province_unit_out_of_time_checkpoints_and_its_stale_message_is_dropped(api, tenant, filed):
    # GIVEN Beijing's unit, whose records span three groups (accounts, upfront, dispositions and content)
    bodies = {Unit.decode(b).unit.rpartition("/")[2]: b for b in planned(tenant.tenant_id)}
    # WHEN it runs with a budget spent after its first group
    answer = runner.handle(bodies["11"], Countdown(start_ms=5_500, step_ms=1_000))
    # THEN it stopped at the next group, carrying the files it listed, and queued itself there
    assert answer["continued"] == 1
    (again,) = [Unit.decode(b) for b in take("exports")]
    assert again.checkpoint["next"] == 1 and {f["record_set"] for f in again.checkpoint["files"]} == {
        "public_accounts", "multi_account_subjects"}
    # AND the first message delivered again is dropped; the continuation and Shanghai finish the filing
    assert runner.handle(bodies["11"], None)["duplicate"] is True
    runner.handle(again.encode(), None)
    runner.handle(bodies["31"], None)
    record = stores.main_table().get(keys.filing_item(tenant.tenant_id, filed["period"]), consistent=True)
    assert record["totals"]["content_actions"] == 1 and record["totals"]["public_accounts"] == 3
    assert sorted({f["province"] for f in record["files"]} - {"00"}) == ["11", "31"]


def test_two_units_finishing_the_same_period_record_it_once_with_the_same_manifest(api, tenant, filed):
    # GIVEN every province of the period filed
    for body in planned(tenant.tenant_id):
        runner.handle(body, None)
    prefix = f"filings/{tenant.tenant_id}/{filed['period']}/"
    manifest = objects(prefix)[prefix + "manifest.json"]
    # WHEN another unit of the same run (a redelivery that lost its ledger write) finishes the plan again
    work = fanout.staging.work_prefix(tenant.tenant_id, filed["period"], "run-1")
    again = fanout.finish(tenant.tenant_id, filed["period"], "run-1", fanout.staging.get_json(work + "plan.json"))
    # THEN it records nothing, and the manifest it wrote is byte for byte the one recorded
    assert again is None
    assert objects(prefix)[prefix + "manifest.json"] == manifest
    assert len(filing_events(api, tenant.key)) == 1


def test_one_province_failing_leaves_no_filing_and_the_next_run_files_the_period_once(api, tenant, filed,
                                                                                      monkeypatch):
    # GIVEN Shanghai's staged rows cannot be read this run
    real = fanout.staging.staged

    def broken(key: str) -> Any:
        if key.endswith("/31.jsonl"):
            raise RuntimeError("S3 said no")
        return real(key)

    monkeypatch.setattr(fanout.staging, "staged", broken)
    # WHEN the schedule runs THEN the tenant's filing fails, Beijing's part is done, nothing is recorded
    try:
        jobs.run_now("export-filings")
        raise AssertionError("the run should have failed")
    except jobs.TenantsFailed as failed:
        ledger = JobStore(stores.main_table()).run(tenant.tenant_id, failed.run)
        assert {i["unit"]: i.get("status") for i in ledger if i["job"] == "export-filing-province"} == {
            f"{filed['period']}/11": "DONE", f"{filed['period']}/31": None}
    assert stores.main_table().get(keys.filing_item(tenant.tenant_id, filed["period"]), consistent=True) is None
    # AND the next run, with S3 back, files the period once
    monkeypatch.setattr(fanout.staging, "staged", real)
    assert jobs.run_now("export-filings") == {"exported": [f"{tenant.tenant_id}/{filed['period']}"]}
    assert jobs.run_now("export-filings") == {"exported": []}
    assert len(filing_events(api, tenant.key)) == 1


def test_a_province_reads_only_its_own_staged_rows_and_decrypts_only_its_own_subjects(api, tenant, filed,
                                                                                     monkeypatch):
    # GIVEN the period's province units, and the subjects whose names are decrypted counted
    bodies = {Unit.decode(b).unit.rpartition("/")[2]: b for b in planned(tenant.tenant_id)}
    unsealed: list[str] = []
    real = sources.crypto.unseal
    monkeypatch.setattr(sources.crypto, "unseal", lambda t, s, sealed: unsealed.append(s) or real(t, s, sealed))
    # WHEN Shanghai's unit runs THEN only the Shanghai subject's name was decrypted
    runner.handle(bodies["31"], None)
    assert set(unsealed) == {filed["person"]}


def test_a_plan_out_of_time_continues_at_its_next_group_and_queues_each_province_once(api, tenant, filed):
    # GIVEN the tenant's due-period unit has queued its plan
    runner.fan_out("export-filings", "run-1")
    for body in take("jobs"):
        runner.handle(body, None)
    (plan,) = take("exports")
    # WHEN the plan runs with a budget spent after its first group (the public accounts)
    answer = runner.handle(plan, Countdown(start_ms=5_500, step_ms=1_000))
    # THEN it continues at the next group, knowing which provinces that group staged
    assert answer["continued"] == 1
    (again,) = [Unit.decode(b) for b in take("exports")]
    assert again.checkpoint == {"next": 1, "staged": {"accounts": ["11", "31"]}}
    # AND the continuation, delivered twice, queues one unit per province once
    first, second = runner.handle(again.encode(), None), runner.handle(again.encode(), None)
    assert first["follow_ups"] == 2 and second["duplicate"] is True
    assert sorted(Unit.decode(b).unit for b in take("exports")) == [f"{filed['period']}/11", f"{filed['period']}/31"]
