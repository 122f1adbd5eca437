"""The audit head key and the anchor bucket as deployed: only the functions that record changes may seal a
head, the anchor schedule may only verify, and anchors are locked for longer than the six-month minimum
(GR2017-11, PA2017-13, MB2018-16)."""

from __future__ import annotations

import json
from pathlib import Path

from chalice.package import to_cfn_resource_name

from infra import resources

ROOT = Path(__file__).resolve().parents[2]
ANCHOR_FUNCTION = "run-anchor"  # the anchors queue's handler: it copies heads out, so it may only verify


def key_policy() -> dict[str, set[str]]:
    """Actions of the audit head key's policy -> the function roles (logical ids) granted them."""
    granted: dict[str, set[str]] = {}
    for statement in resources.template()["Resources"]["AuditHeadKey"]["Properties"]["KeyPolicy"]["Statement"]:
        principals = statement["Principal"]["AWS"]
        roles = {p["Fn::GetAtt"][0] for p in (principals if isinstance(principals, list) else [principals])
                 if isinstance(p, dict) and "Fn::GetAtt" in p}
        for action in [statement["Action"]] if isinstance(statement["Action"], str) else statement["Action"]:
            granted.setdefault(action, set()).update(roles)
    return granted


def test_every_function_that_records_changes_may_seal_and_the_anchor_function_may_not():
    from chalice.app import SQSEventConfig

    import app

    # GIVEN the app's functions: the schedules only queue units, the queue handlers do the work
    handlers = {to_cfn_resource_name(source.name) for source in app.app.event_sources
                if isinstance(source, SQSEventConfig)}
    schedules = {to_cfn_resource_name(source.name) for source in app.app.event_sources} - handlers
    writers = {"ApiHandlerRole"} | {f"{name}Role" for name in handlers - {to_cfn_resource_name(ANCHOR_FUNCTION)}}
    granted = key_policy()
    # THEN the API and every handler that records changes may seal; the anchor function may only verify
    assert granted["kms:GenerateMac"] == writers
    assert granted["kms:VerifyMac"] == writers | {"RunAnchorRole"}
    # AND a schedule, which only queues, may do neither
    assert not {f"{name}Role" for name in schedules} & (granted["kms:GenerateMac"] | granted["kms:VerifyMac"])
    assert {"RunUnitRole", "RunExportRole", "DeliverWebhookRole"} <= writers  # the queue handlers exist


def test_anchor_units_go_to_the_anchor_functions_queue_and_no_other_job_does():
    from chalicelib.jobs.lambdas import SCHEDULES
    from chalicelib.jobs.runner import queue_of

    assert queue_of("anchor-audit-heads") == "anchors"
    assert [job for job in SCHEDULES if queue_of(job) == "anchors"] == ["anchor-audit-heads"]


def test_the_account_administers_the_key_but_cannot_seal_with_it():
    statements = resources.template()["Resources"]["AuditHeadKey"]["Properties"]["KeyPolicy"]["Statement"]
    (account,) = [s for s in statements if "Fn::Sub" in str(s["Principal"]["AWS"])]
    assert not any(action in ("kms:*", "kms:GenerateMac", "kms:Generate*") for action in account["Action"])


def test_anchors_are_locked_compliance_in_prod_governance_in_dev_longer_than_six_months():
    bucket = resources.template()["Resources"]["AuditAnchorsBucket"]["Properties"]
    retention = bucket["ObjectLockConfiguration"]["Rule"]["DefaultRetention"]
    assert bucket["ObjectLockEnabled"] is True and bucket["VersioningConfiguration"]["Status"] == "Enabled"
    assert [resources.resolve(retention["Mode"], stage) for stage in ("prod", "dev")] == ["COMPLIANCE", "GOVERNANCE"]
    assert retention["Days"] > 183


def test_the_functions_may_write_and_read_anchors_and_use_the_head_key_in_both_stages():
    for stage in ("dev", "prod"):
        policy = json.loads((ROOT / ".chalice" / f"policy-{stage}.json").read_text("utf-8"))
        by_sid = {s["Sid"]: s for s in policy["Statement"]}
        assert set(by_sid["AuditAnchors"]["Action"]) == {"s3:PutObject", "s3:GetObject", "s3:GetObjectVersion"}
        assert by_sid["AuditAnchors"]["Resource"].endswith(f"{stage}-audit-anchors-*/audit-anchors/*")
        assert by_sid["AuditAnchorsList"]["Action"] == ["s3:ListBucketVersions"]
        aliases = by_sid["AuditHeadKey"]["Condition"]["ForAnyValue:StringEquals"]["kms:ResourceAliases"]
        assert aliases == f"alias/compliance-api-{stage}-audit-head"
