"""The audit trail: every state change appends to a per-tenant hash chain; tampering is found."""

from __future__ import annotations

import random

import boto3

from chalicelib.core import audit_trail
from tests import factories


def some_changes(api, key) -> None:
    api.call("PUT", "/v1/policy", key=key, body={"retention": {"log_days": 200}})
    api.call("POST", "/v1/identity/verifications", key=key, body={
        "subject_type": "PERSON", "real_name": "甲",
        "document": {"type": "RESIDENT_ID", "number": factories.resident_id(random.Random(1))}})
    api.call("POST", "/v1/names/terms", key=key, body={"items": [
        {"term": "高仿", "category": "OTHER_PROHIBITED", "action": "REJECT"}]})
    api.call("POST", "/v1/dispositions", key=key, body={
        "target": {"type": "ACCOUNT", "id": "a-1"}, "type": "BLACKLIST", "statement": "s", "automated": False,
        "ground": {"article": "GR2017-11", "category": "FRAUD"}})


def test_each_state_change_appends_one_linked_event_with_its_actor(api, tenant):
    some_changes(api, tenant.key)
    events = api.call("GET", "/v1/audit", key=tenant.key).json["items"]
    assert [e["type"] for e in events] == ["api_key.create", "policy.change", "identity.verification",
                                           "names.terms.add", "disposition.create"]
    assert [e["seq"] for e in events] == [1, 2, 3, 4, 5]
    assert all(b["prev_hash"] == a["hash"] for a, b in zip(events, events[1:], strict=False))
    assert {e["actor"] for e in events[1:]} == {tenant.key_id}
    assert events[2]["data"]["outcome"] == "MATCH"
    verdict = api.call("POST", "/v1/audit/verify", key=tenant.key, body={}).json
    assert (verdict["verified"], verdict["checked"], verdict["first_broken"]) == (True, 5, None)


def test_editing_or_removing_a_stored_event_is_detected(api, tenant):
    some_changes(api, tenant.key)
    table = boto3.client("dynamodb", region_name="cn-north-1")
    name = audit_trail.trail().name
    key = {"PK": {"S": audit_trail.audit_pk("acme")}, "SK": {"S": "E#000000000003"}}
    table.update_item(TableName=name, Key=key, UpdateExpression="SET #d.outcome = :o",
                      ExpressionAttributeNames={"#d": "data"}, ExpressionAttributeValues={":o": {"S": "MISMATCH"}})
    verdict = api.call("POST", "/v1/audit/verify", key=tenant.key, body={}).json
    assert verdict["verified"] is False and verdict["first_broken"] == {"seq": 3, "reason": "HASH_MISMATCH"}

    table.delete_item(TableName=name, Key=key)
    verdict = api.call("POST", "/v1/audit/verify", key=tenant.key, body={}).json
    assert verdict["first_broken"] == {"seq": 3, "reason": "DELETED"}  # a missing event is named as deleted


def test_a_refused_change_records_nothing(api, tenant):
    before = api.call("GET", "/v1/audit", key=tenant.key).json["items"]
    refused = api.call("DELETE", "/v1/names/terms/tm_missing", key=tenant.key)
    assert refused.status_code == 404
    assert api.call("GET", "/v1/audit", key=tenant.key).json["items"] == before


def test_a_writer_that_read_a_stale_head_retries_instead_of_forking(api, tenant, monkeypatch):
    stale = audit_trail.head("acme")
    real_head = audit_trail.head
    calls = []

    def head_once_stale(tenant_id):
        calls.append(tenant_id)
        return stale if len(calls) == 1 else real_head(tenant_id)

    api.call("PUT", "/v1/policy", key=tenant.key, body={"retention": {"log_days": 190}})
    monkeypatch.setattr(audit_trail, "head", head_once_stale)
    assert api.call("PUT", "/v1/policy", key=tenant.key, body={"retention": {"log_days": 191}}).status_code == 200
    events = api.call("GET", "/v1/audit", key=tenant.key).json["items"]
    assert [e["seq"] for e in events] == [1, 2, 3]
    assert len(calls) == 2  # the stale read lost the race and the writer read the head again
    assert api.call("POST", "/v1/audit/verify", key=tenant.key, body={}).json["verified"] is True


def test_one_tenants_trail_is_its_own(api, make_tenant):
    acme, zeta = make_tenant("acme"), make_tenant("zeta")
    some_changes(api, acme.key)
    assert [e["type"] for e in api.call("GET", "/v1/audit", key=zeta.key).json["items"]] == ["api_key.create"]
