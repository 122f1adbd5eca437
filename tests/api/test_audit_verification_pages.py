"""Audit verification in bounded pages and from a stored checkpoint (GR2017-11, PA2017-13): every link is
checked across pages, the checkpoint only moves forward over a clean walk, and the daily schedule verifies
every chain and counts a break."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

from chalicelib import jobs
from chalicelib.audit import anchors, verification
from chalicelib.audit.store import CheckpointStore
from chalicelib.core import audit_events, audit_trail, stores


@pytest.fixture(autouse=True)
def fresh_anchors(backend):
    anchors.forget()
    yield
    anchors.forget()


def append(tenant_id: str, count: int) -> None:
    """`count` audited events, written as any use case writes them (in transactions of 50)."""
    for start in range(0, count, 50):
        events = [audit_events.event(tenant_id, "test.step", n=n) for n in range(start, min(count, start + 50))]
        audit_trail.commit(stores.main_table(), tenant_id, [], events)


def tamper(tenant_id: str, seq: int, **fields: Any) -> None:
    """An attacker with write access to the records table edits event `seq`."""
    sets = ", ".join(f"#{k} = :{k}" for k in fields)
    boto3.client("dynamodb", region_name="cn-north-1").update_item(
        TableName=audit_trail.trail().name,
        Key={"PK": {"S": audit_trail.audit_pk(tenant_id)}, "SK": {"S": f"E#{seq:012d}"}},
        UpdateExpression=f"SET {sets}", ExpressionAttributeNames={f"#{k}": k for k in fields},
        ExpressionAttributeValues={f":{k}": {"S": v} for k, v in fields.items()})


def verify(api: Any, key: str, **body: Any) -> dict[str, Any]:
    answer = api.call("POST", "/v1/audit/verify", key=key, body=body)
    assert answer.status_code == 200, answer.json
    return answer.json


def test_a_long_chain_is_verified_in_pages_that_say_how_to_continue(api, tenant):
    # GIVEN a chain of 25 events (the tenant's creation wrote the first ones)
    append("acme", 25)
    total = audit_trail.head("acme")["seq"]
    # WHEN it is verified 10 events a request, each request continuing where the last said
    pages, body = [], {"limit": 10}
    while True:
        page = verify(api, tenant.key, **body)
        pages.append(page)
        if page["complete"]:
            break
        assert page["verified"] is None and page["next"]["from_seq"] == page["through_seq"] + 1
        body = {**page["next"], "limit": 10}
    # THEN every event was checked once, no page more than 10, and the last one holds the head
    assert [p["checked"] for p in pages] == [10, 10, total - 20]
    assert pages[-1]["verified"] is True and pages[-1]["through_seq"] == total and pages[-1]["next"] is None


def test_a_link_broken_at_a_page_boundary_is_found_by_the_next_page(api, tenant):
    # GIVEN a chain whose 11th event no longer follows the 10th
    append("acme", 25)
    tamper("acme", 11, prev_hash="0" * 64)
    # WHEN the first page stops at event 10 and the second continues from 11
    first = verify(api, tenant.key, limit=10)
    second = verify(api, tenant.key, **first["next"], limit=10)
    # THEN the break is named, as a whole-chain walk names it
    assert first["through_seq"] == 10 and first["verified"] is None
    assert second["first_broken"]["seq"] == 11 and second["verified"] is False
    assert verify(api, tenant.key)["first_broken"] == second["first_broken"]


def test_the_checkpoint_moves_over_clean_walks_so_each_reads_only_what_is_new(api, tenant):
    # GIVEN a chain verified once from the checkpoint (there was none: the whole chain)
    append("acme", 12)
    first = verify(api, tenant.key, **{"from": "checkpoint"})
    head = audit_trail.head("acme")["seq"]
    assert (first["verified"], first["checked"], first["through_seq"]) == (True, head, head)
    # WHEN five more events are written and it is verified from the checkpoint again
    append("acme", 5)
    second = verify(api, tenant.key, **{"from": "checkpoint"})
    # THEN only the five new ones were read, and the checkpoint stands at the new head
    assert (second["verified"], second["checked"], second["from_seq"]) == (True, 5, head + 1)
    assert CheckpointStore(stores.main_table()).get("acme")["seq"] == head + 5
    # AND with nothing new, nothing is read and the answer still holds the head
    assert verify(api, tenant.key, **{"from": "checkpoint"})["checked"] == 0


def test_tampering_after_the_checkpoint_is_found_and_does_not_move_it(api, tenant):
    # GIVEN a chain verified from the checkpoint, then new events, one of which is edited
    append("acme", 6)
    verify(api, tenant.key, **{"from": "checkpoint"})
    mark = CheckpointStore(stores.main_table()).get("acme")["seq"]
    append("acme", 6)
    tamper("acme", mark + 3, type="forged.type")
    # WHEN it is verified from the checkpoint
    answer = verify(api, tenant.key, **{"from": "checkpoint"})
    # THEN the edit is named and the checkpoint stays where the chain was last known good
    assert answer["first_broken"] == {"seq": mark + 3, "reason": "HASH_MISMATCH"}
    assert CheckpointStore(stores.main_table()).get("acme")["seq"] == mark


def test_a_head_rolled_back_below_the_checkpoint_is_a_break(api, tenant):
    # GIVEN a chain whose head an attacker kept a copy of, then verified to a later head from the checkpoint
    append("acme", 3)
    old_head = audit_trail.head("acme")
    append("acme", 3)
    verify(api, tenant.key, **{"from": "checkpoint"})
    mark = CheckpointStore(stores.main_table()).get("acme")["seq"]
    # WHEN the newest events are deleted and the old (genuinely sealed) head is put back
    client = boto3.client("dynamodb", region_name="cn-north-1")
    for seq in range(old_head["seq"] + 1, mark + 1):
        client.delete_item(TableName=audit_trail.trail().name,
                           Key={"PK": {"S": audit_trail.audit_pk("acme")}, "SK": {"S": f"E#{seq:012d}"}})
    audit_trail.trail().put(old_head)
    # THEN the walk from the checkpoint does not pass the truncated chain off as verified
    answer = verify(api, tenant.key, **{"from": "checkpoint"})
    assert answer["verified"] is False and answer["first_broken"]["reason"] == "HEAD_MISMATCH"


@pytest.mark.parametrize("body", [{"limit": 0}, {"limit": 10_001}, {"from_seq": 10**12}, {"from": "start"},
                                  {"from": "checkpoint", "from_seq": 2}])
def test_a_verify_request_outside_its_bounds_is_a_400(api, tenant, body):
    # GIVEN a request the schema bounds WHEN it is sent THEN it is refused, never a 500
    answer = api.call("POST", "/v1/audit/verify", key=tenant.key, body=body)
    assert answer.status_code == 400, answer.json


def test_the_daily_schedule_verifies_every_chain_and_counts_a_break(api, make_tenant, capsys):
    # GIVEN two tenants, one of whose chains was edited
    for name in ("acme", "zeta"):
        make_tenant(name)
        append(name, 4)
    tamper("acme", 3, type="forged.type")
    capsys.readouterr()
    # WHEN the daily verification runs
    result = jobs.run_now("verify-audit-chains")
    # THEN both were walked, the broken one counted as a break (an AuditChainBroken metric), the other moved on
    assert result["broken"] == 1
    emitted = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith('{"_aws"')]
    broken = [m for m in emitted if "AuditChainBroken" in m]
    assert [(m["tenant_id"], m["reason"]) for m in broken] == [("acme", "HASH_MISMATCH")]
    assert CheckpointStore(stores.main_table()).get("acme") is None
    assert CheckpointStore(stores.main_table()).get("zeta")["seq"] == audit_trail.head("zeta")["seq"]


def test_a_verification_stopped_by_its_budget_continues_from_where_it_stopped(api, tenant, monkeypatch):
    # GIVEN a chain of 40 events read 10 a page, and a budget spent after the first page
    append("acme", 40)
    monkeypatch.setattr(verification, "PAGE", 10)
    calls = iter([False, True])
    # WHEN the incremental walk runs under that budget, then again without one
    first = verification.verify_incrementally("acme", stop=lambda: next(calls, True))
    second = verification.verify_incrementally("acme")
    # THEN the first stopped after its pages and moved the checkpoint; the second finished from there
    assert (first["complete"], first["checked"]) == (False, 20)
    assert CheckpointStore(stores.main_table()).get("acme") is not None
    assert second["complete"] and second["verified"] is True and second["from_seq"] == 21
