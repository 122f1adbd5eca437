"""Create the stack's data resources on a local backend (moto) from infra/template.json.

The CloudFormation merge template is the one definition of the tables, bucket and key;
`make run`, the API tests and the end-to-end test all build their backend from it, so
local and deployed shapes cannot drift apart.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

TEMPLATE = Path(__file__).resolve().parent / "template.json"
_TABLE_KEYS = ("AttributeDefinitions", "KeySchema", "GlobalSecondaryIndexes", "BillingMode")


def template() -> dict[str, Any]:
    return json.loads(TEMPLATE.read_text("utf-8"))


def _name(value: Any, stage: str) -> str:
    """Resolve the template's `Fn::Sub` names for a stage (the only intrinsic names use)."""
    if isinstance(value, dict) and "Fn::Sub" in value:
        return value["Fn::Sub"].replace("${Stage}", stage).replace("${AWS::AccountId}", "123456789012")
    return str(value)


def table_definitions(stage: str = "dev") -> dict[str, dict[str, Any]]:
    """CreateTable parameters by logical id, plus the TTL attribute under "ttl_attribute"."""
    found = {}
    for logical_id, resource in template()["Resources"].items():
        if resource.get("Type") != "AWS::DynamoDB::Table":
            continue
        props = resource["Properties"]
        params = {k: props[k] for k in _TABLE_KEYS if k in props}
        params["TableName"] = _name(props["TableName"], stage)
        params["ttl_attribute"] = props["TimeToLiveSpecification"]["AttributeName"]
        found[logical_id] = params
    return found


def create_all(stage: str = "dev", region: str = "cn-north-1") -> dict[str, str]:
    """Create tables (with TTL), the filings bucket, the data key alias, the audit anchors bucket (Object
    Lock), the audit head key alias and the work queues with their dead-letter queues; return their names
    (queues: their URLs)."""
    import boto3

    dynamodb = boto3.client("dynamodb", region_name=region)
    names = {}
    for logical_id, params in table_definitions(stage).items():
        params = dict(params)
        ttl_attribute = params.pop("ttl_attribute")
        dynamodb.create_table(**params)
        dynamodb.update_time_to_live(
            TableName=params["TableName"],
            TimeToLiveSpecification={"Enabled": True, "AttributeName": ttl_attribute},
        )
        names[logical_id] = params["TableName"]
    resources = template()["Resources"]
    bucket = _name(resources["FilingsBucket"]["Properties"]["BucketName"], stage)
    s3 = boto3.client("s3", region_name=region)
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": region})
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    names["FilingsBucket"] = bucket
    kms = boto3.client("kms", region_name=region)
    key_id = kms.create_key(Description=resources["DataKey"]["Properties"]["Description"])["KeyMetadata"]["KeyId"]
    alias = _name(resources["DataKeyAlias"]["Properties"]["AliasName"], stage)
    kms.create_alias(AliasName=alias, TargetKeyId=key_id)
    names["DataKeyAlias"] = alias
    names.update(_create_audit_anchoring(resources, stage, s3, kms))
    names.update(create_queues(stage, region))
    return names


def queue_definitions(stage: str = "dev") -> dict[str, dict[str, Any]]:
    """The work queues and their dead-letter queues by logical id: name, attributes, and the DLQ a queue
    redrives to (chalicelib/core/work_queues.py)."""
    found = {}
    for logical_id, resource in template()["Resources"].items():
        if resource.get("Type") != "AWS::SQS::Queue":
            continue
        props = resource["Properties"]
        redrive = props.get("RedrivePolicy")
        found[logical_id] = {
            "name": _name(props["QueueName"], stage),
            "attributes": {k: str(props[k]) for k in ("VisibilityTimeout", "MessageRetentionPeriod") if k in props},
            "dead_letter": redrive["deadLetterTargetArn"]["Fn::GetAtt"][0] if redrive else None,
            "max_receive_count": redrive["maxReceiveCount"] if redrive else None,
        }
    return found


def point_queue_event_sources(sam: dict[str, Any]) -> int:
    """Point each SQS event source of the packaged template at its stage's queue.

    Chalice names a handler's queue when the app is imported, without the stage (compliance-api-jobs);
    the queues the template defines carry it (compliance-api-{Stage}-jobs). Returns how many were pointed."""
    by_name = {r["Properties"]["QueueName"]["Fn::Sub"].replace("-${Stage}", ""): logical_id
               for logical_id, r in template()["Resources"].items() if r.get("Type") == "AWS::SQS::Queue"}
    pointed = 0
    for resource in sam["Resources"].values():
        for event in resource.get("Properties", {}).get("Events", {}).values():
            if event.get("Type") == "SQS":
                name = event["Properties"]["Queue"]["Fn::Sub"].rsplit(":", 1)[1]
                event["Properties"]["Queue"] = {"Fn::GetAtt": [by_name[name], "Arn"]}
                pointed += 1
    return pointed


def create_queues(stage: str = "dev", region: str = "cn-north-1") -> dict[str, str]:
    """Create every queue (dead-letter queues first, then the queues that redrive to them); their URLs."""
    import boto3

    sqs = boto3.client("sqs", region_name=region)
    definitions, urls = queue_definitions(stage), dict[str, str]()
    for logical_id in sorted(definitions, key=lambda q: definitions[q]["dead_letter"] is not None):
        queue = definitions[logical_id]
        attributes = dict(queue["attributes"])
        if queue["dead_letter"]:
            target = sqs.get_queue_attributes(QueueUrl=urls[queue["dead_letter"]], AttributeNames=["QueueArn"])
            attributes["RedrivePolicy"] = json.dumps({"deadLetterTargetArn": target["Attributes"]["QueueArn"],
                                                      "maxReceiveCount": queue["max_receive_count"]})
        urls[logical_id] = sqs.create_queue(QueueName=queue["name"], Attributes=attributes)["QueueUrl"]
    return urls


def resolve(value: Any, stage: str) -> Any:
    """The template's `Fn::If` on its one condition, IsProd (Stage = prod)."""
    if isinstance(value, dict) and "Fn::If" in value:
        condition, when_true, when_false = value["Fn::If"]
        assert condition == "IsProd", condition
        return when_true if stage == "prod" else when_false
    return value


def _create_audit_anchoring(resources: dict[str, Any], stage: str, s3: Any, kms: Any) -> dict[str, str]:
    """The audit head's HMAC key and the Object Lock bucket its anchors go to (GR2017-11)."""
    bucket = resources["AuditAnchorsBucket"]["Properties"]
    name = _name(bucket["BucketName"], stage)
    s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": s3.meta.region_name},
                     ObjectLockEnabledForBucket=bucket["ObjectLockEnabled"])
    retention = bucket["ObjectLockConfiguration"]["Rule"]["DefaultRetention"]
    s3.put_object_lock_configuration(Bucket=name, ObjectLockConfiguration={
        "ObjectLockEnabled": "Enabled",
        "Rule": {"DefaultRetention": {"Mode": resolve(retention["Mode"], stage), "Days": retention["Days"]}}})
    key = resources["AuditHeadKey"]["Properties"]
    key_id = kms.create_key(Description=key["Description"], KeySpec=key["KeySpec"],
                            KeyUsage=key["KeyUsage"])["KeyMetadata"]["KeyId"]
    alias = _name(resources["AuditHeadKeyAlias"]["Properties"]["AliasName"], stage)
    kms.create_alias(AliasName=alias, TargetKeyId=key_id)
    return {"AuditAnchorsBucket": name, "AuditHeadKeyAlias": alias}


def names(stage: str = "dev") -> dict[str, str]:
    """The names create_all gives the stage's resources, without creating any (a process joining a running
    local stack); queues are found by name (core/config.queue), so they are left out."""
    resources = template()["Resources"]
    found = {logical_id: table["TableName"] for logical_id, table in table_definitions(stage).items()}
    for logical_id, path in (("FilingsBucket", "BucketName"), ("AuditAnchorsBucket", "BucketName"),
                             ("DataKeyAlias", "AliasName"), ("AuditHeadKeyAlias", "AliasName")):
        found[logical_id] = _name(resources[logical_id]["Properties"][path], stage)
    return found


def environment(names: dict[str, str]) -> dict[str, str]:
    """The environment variables the deployed stack gives every function (see Globals)."""
    found = {
        "MAIN_TABLE": names["MainTable"],
        "RECORDS_TABLE": names["RecordsTable"],
        "IDEMPOTENCY_TABLE": names["IdempotencyTable"],
        "FILINGS_BUCKET": names["FilingsBucket"],
        "KMS_KEY_ID": names["DataKeyAlias"],
        "AUDIT_ANCHOR_BUCKET": names["AuditAnchorsBucket"],
        "AUDIT_HEAD_KEY_ID": names["AuditHeadKeyAlias"],
    }
    for queue in ("Jobs", "Exports", "Webhooks"):
        if f"{queue}Queue" in names:
            found[f"{queue.upper()}_QUEUE_URL"] = names[f"{queue}Queue"]
    return found


def route_not_found_body(request_id: str) -> bytes:
    """API Gateway's answer for an unknown route, as the template configures it."""
    body = template()["Resources"]["RouteNotFound"]["Properties"]["ResponseTemplates"]["application/json"]
    return body.replace("$context.requestId", request_id).encode("utf-8")
