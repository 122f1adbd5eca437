"""The audit chain tells expiry from deletion and cannot be rewritten undetected (GR2017-11, PA2017-11,
PA2017-13, MB2018-16): retention is monotonic along the chain, the head is sealed by a KMS HMAC key, a
missing head is a break that stops writes cleanly, and anchors under S3 Object Lock bind the history.

DynamoDB deletes expired items late and moto never does: `expire` deletes what is past its ttl, as
DynamoDB's sweeper would; reading with the clock moved and nothing deleted covers the late sweep.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import boto3
import pytest

from chalicelib import cli, jobs
from chalicelib.audit import anchors, repair
from chalicelib.core import audit_trail, aws, clock
from chalicelib.core.audit_chain import Break, digest
from chalicelib.core.config import settings
from chalicelib.core.errors import Conflict

DAY = 86400
SCHEMAS = Path(__file__).resolve().parents[2] / "chalicelib" / "schemas"


def dynamodb() -> Any:
    return boto3.client("dynamodb", region_name="cn-north-1")


def s3() -> Any:
    return boto3.client("s3", region_name="cn-north-1")


def _empty_anchors() -> None:
    """The session's anchor bucket holds locked versions (GOVERNANCE in dev): removed with the bypass
    an operator of a dev stack has, so no test sees another's anchors."""
    bucket = settings().audit_anchor_bucket
    for page in s3().get_paginator("list_object_versions").paginate(Bucket=bucket):
        for version in page.get("Versions", []) + page.get("DeleteMarkers", []):
            s3().delete_object(Bucket=bucket, Key=version["Key"], VersionId=version["VersionId"],
                               BypassGovernanceRetention=True)


@pytest.fixture(autouse=True)
def anchors_emptied(backend):
    _empty_anchors()
    anchors.forget()
    yield
    _empty_anchors()
    anchors.forget()


def at(moment: float) -> None:
    clock.set_source(lambda: moment)


def change(api, key, n: int) -> Any:
    """One audited state change (a policy change); `n` makes each one different."""
    return api.call("PUT", "/v1/policy", key=key, body={"retention": {"log_days": 180 + n}})


def verify(api, key) -> dict:
    answer = api.call("POST", "/v1/audit/verify", key=key, body={})
    assert answer.status_code == 200, answer.json
    return answer.json


def event_key(tenant_id: str, seq: int) -> dict:
    return {"PK": {"S": audit_trail.audit_pk(tenant_id)}, "SK": {"S": f"E#{seq:012d}"}}


def head_key(tenant_id: str) -> dict:
    return {"PK": {"S": audit_trail.audit_pk(tenant_id)}, "SK": {"S": "HEAD"}}


def stored(tenant_id: str) -> list[dict]:
    """Every event item of the tenant, expired or not, oldest first (plain values)."""
    return [i for i in audit_trail.trail().query(
        KeyConditionExpression="PK = :pk AND begins_with(SK, :e)",
        values={":pk": audit_trail.audit_pk(tenant_id), ":e": "E#"})]


def expire(tenant_id: str, now: float) -> list[int]:
    """What DynamoDB's TTL sweeper does, eventually: delete the events whose ttl has passed."""
    gone = [i["seq"] for i in stored(tenant_id) if i["ttl"] <= now]
    for seq in gone:
        dynamodb().delete_item(TableName=audit_trail.trail().name, Key=event_key(tenant_id, seq))
    return gone


def delete_events(tenant_id: str, *seqs: int) -> None:
    for seq in seqs:
        dynamodb().delete_item(TableName=audit_trail.trail().name, Key=event_key(tenant_id, seq))


def put_head(tenant_id: str, item: dict) -> None:
    audit_trail.trail().put({"PK": audit_trail.audit_pk(tenant_id), "SK": "HEAD", **item})


def run_anchor_job() -> dict:
    return jobs.run_now("anchor-audit-heads")


# -- retention is monotonic, and expiry is told from deletion ------------------------------------------


def test_lowering_then_raising_retention_never_lets_an_older_event_expire_first(api, tenant):
    # GIVEN a chain written while retention.audit_days went 1095 (default) -> 180 -> 2000
    t0 = time.time()
    at(t0)
    api.call("PUT", "/v1/policy", key=tenant.key, body={"retention": {"audit_days": 180}})  # 2: kept 1095 days
    change(api, tenant.key, 1)                                                               # 3: 180 days of its own
    at(t0 + 10 * DAY)
    api.call("PUT", "/v1/policy", key=tenant.key, body={"retention": {"audit_days": 2000}})  # 4: 180 days of its own
    at(t0 + 20 * DAY)
    change(api, tenant.key, 2)                                                               # 5: 2000 days
    ttls = [item["ttl"] for item in stored("acme")]
    assert ttls == sorted(ttls)  # no event expires before the one before it

    # WHEN 200 days pass (events 3 and 4's own 180 days are over) and the TTL sweeper runs
    at(t0 + 200 * DAY)
    assert expire("acme", t0 + 200 * DAY) == []
    # THEN nothing has expired out of order, and the chain verifies whole
    verdict = verify(api, tenant.key)
    assert (verdict["verified"], verdict["checked"], verdict["expired_through"]) == (True, 5, None)

    # WHEN 1100 days pass: events 1-4 are past the chain's retention, event 5 is not
    at(t0 + 1100 * DAY)
    # THEN before the sweeper runs (DynamoDB deletes late) and after it, 1-4 are expired, not deleted
    for sweep in (False, True):
        if sweep:
            assert expire("acme", t0 + 1100 * DAY) == [1, 2, 3, 4]
        verdict = verify(api, tenant.key)
        assert verdict["verified"] is True, verdict
        assert (verdict["from_seq"], verdict["checked"], verdict["expired_through"]) == (5, 1, 4)


def test_events_deleted_at_the_start_before_their_time_are_a_break(api, tenant):
    # GIVEN five live events, none anywhere near its retention
    for n in range(4):
        change(api, tenant.key, n)
    # WHEN the oldest two are deleted (as if they had expired)
    delete_events("acme", 1, 2)
    # THEN verification names the youngest missing one as deleted: its recorded expiry is in the future
    verdict = verify(api, tenant.key)
    assert (verdict["verified"], verdict["first_broken"]) == (False, {"seq": 2, "reason": "DELETED"})


def test_a_middle_event_given_a_past_ttl_to_pass_for_expired_is_deleted(api, tenant):
    # GIVEN five events
    for n in range(4):
        change(api, tenant.key, n)
    # WHEN an attacker backdates event 3's ttl so it reads as expired (and the sweeper then removes it)
    dynamodb().update_item(TableName=audit_trail.trail().name, Key=event_key("acme", 3),
                           UpdateExpression="SET #t = :past", ExpressionAttributeNames={"#t": "ttl"},
                           ExpressionAttributeValues={":past": {"N": str(int(time.time()) - 60)}})
    # THEN only a prefix may expire: a gap after a live event is a deletion, swept or not
    assert verify(api, tenant.key)["first_broken"] == {"seq": 3, "reason": "DELETED"}
    expire("acme", time.time())
    assert verify(api, tenant.key)["first_broken"] == {"seq": 3, "reason": "DELETED"}


def test_rewriting_the_recorded_expiry_to_pass_a_deletion_off_as_expiry_is_detected(api, tenant):
    # GIVEN five events; the attacker deletes 1-2 and rewrites event 3 to say its predecessor expired long ago
    for n in range(4):
        change(api, tenant.key, n)
    delete_events("acme", 1, 2)
    third = next(i for i in stored("acme") if i["seq"] == 3)
    audit_trail.trail().put({**third, "prev_expires": 1})
    # WHEN the chain is verified THEN the recorded expiry is part of the event's hash
    assert verify(api, tenant.key)["first_broken"] == {"seq": 3, "reason": "HASH_MISMATCH"}
    # AND with the hash recomputed, the event no longer is the one event 4 links to
    audit_trail.trail().put({**third, "prev_expires": 1, "hash": digest({**third, "prev_expires": 1})})
    assert verify(api, tenant.key)["first_broken"] == {"seq": 4, "reason": "LINK_BROKEN"}


# -- the head is sealed --------------------------------------------------------------------------------


@pytest.mark.parametrize("forgery", ["plain", "old_mac", "garbage_mac", "wrong_types"])
def test_cutting_the_tail_and_rewriting_the_head_is_detected_and_nothing_is_chained_onto_it(api, tenant, forgery):
    # GIVEN six events; the attacker deletes the last two and writes a head naming event 4, recomputed plainly
    for n in range(5):
        change(api, tenant.key, n)
    genuine = audit_trail.head("acme")
    delete_events("acme", 5, 6)
    fourth = next(i for i in stored("acme") if i["seq"] == 4)
    forged = {"seq": 4, "hash": fourth["hash"], "expires": fourth["ttl"]}
    forged.update({"plain": {}, "old_mac": {"mac": genuine["mac"]}, "garbage_mac": {"mac": "bm90IGEgbWFj"},
                   "wrong_types": {"seq": "4", "expires": "soon", "mac": 7}}[forgery])
    put_head("acme", forged)
    # WHEN the chain is verified THEN the head's MAC gives it away
    verdict = verify(api, tenant.key)
    assert verdict["verified"] is False
    assert verdict["first_broken"]["reason"] == Break.HEAD_MAC_INVALID
    # AND the next change is refused cleanly rather than sealing the forged history
    refused = change(api, tenant.key, 9)
    assert refused.status_code == 503
    assert (refused.json["error"]["code"], refused.json["error"]["details"]["reason"]) == (
        "AUDIT_TRAIL_UNAVAILABLE", "HEAD_INVALID")
    assert int(refused.headers["Retry-After"]) > 0
    assert [i["seq"] for i in stored("acme")] == [1, 2, 3, 4]


def test_a_head_moved_from_another_tenant_does_not_verify(api, make_tenant):
    # GIVEN two tenants with chains of the same length
    acme, zeta = make_tenant("acme"), make_tenant("zeta")
    # WHEN zeta's genuine head is copied over acme's
    put_head("acme", {k: v for k, v in audit_trail.head("zeta").items() if k not in ("PK", "SK")})
    # THEN the MAC, which covers the tenant, does not hold for acme
    assert verify(api, acme.key)["first_broken"] == {"seq": 1, "reason": "HEAD_MAC_INVALID"}
    assert verify(api, zeta.key)["verified"] is True


# -- a missing head --------------------------------------------------------------------------------------


def test_a_deleted_head_is_a_break_and_writes_are_refused_at_once_not_retried(api, tenant, capsys):
    # GIVEN three events, then the head deleted
    for n in range(2):
        change(api, tenant.key, n)
    dynamodb().delete_item(TableName=audit_trail.trail().name, Key=head_key("acme"))
    # WHEN the chain is verified THEN the missing head is the break
    assert verify(api, tenant.key)["first_broken"] == {"seq": 3, "reason": "HEAD_MISSING"}
    # AND a change is refused at once with a clear 503, without a transaction attempted
    calls: list[str] = []
    aws.client("dynamodb").meta.events.register("before-call", lambda model, **_: calls.append(model.name))
    started = time.monotonic()
    refused = change(api, tenant.key, 5)
    assert time.monotonic() - started < 2
    assert (refused.status_code, refused.json["error"]["code"]) == (503, "AUDIT_TRAIL_UNAVAILABLE")
    assert refused.json["error"]["details"] == {"reason": "HEAD_MISSING", "seq": 3, "article": "GR2017-11"}
    assert "TransactWriteItems" not in calls
    # WHEN an operator restores the head THEN the restoration is the chain's next event and writes resume
    capsys.readouterr()
    assert cli.run(["audit", "restore-head", "--tenant", "acme"]) == 0
    assert json.loads(capsys.readouterr().out) == {"tenant_id": "acme", "restored_after_seq": 3, "head_seq": 4,
                                                   "accepted_loss": None}
    assert change(api, tenant.key, 6).status_code == 200
    events = api.call("GET", "/v1/audit", key=tenant.key).json["items"]
    assert [e["type"] for e in events][3:] == ["audit.head_restored", "policy.change"]
    assert (events[3]["actor"], events[3]["data"]["previous_head"]) == ("operator", "MISSING")
    assert verify(api, tenant.key)["verified"] is True


def test_the_operator_cannot_restore_a_head_over_a_truncated_chain_without_accepting_the_loss(api, tenant):
    # GIVEN an anchored chain of four events, then the last two and the head deleted
    for n in range(3):
        change(api, tenant.key, n)
    assert run_anchor_job() == {"anchored": 1}
    delete_events("acme", 3, 4)
    dynamodb().delete_item(TableName=audit_trail.trail().name, Key=head_key("acme"))
    # WHEN the operator restores THEN it is refused: the chain no longer reaches its anchor
    with pytest.raises(Conflict) as refused:
        repair.restore_head("acme")
    assert refused.value.error_code == "AUDIT_CHAIN_BROKEN"
    # AND accepting the loss lets writes resume while verification keeps reporting it
    assert repair.restore_head("acme", accept_loss=True)["accepted_loss"] == {"seq": 4, "reason": "ANCHOR_MISMATCH"}
    assert change(api, tenant.key, 7).status_code == 200
    assert verify(api, tenant.key)["first_broken"]["reason"] == Break.ANCHOR_MISMATCH


def test_a_chain_deleted_whole_and_restarted_is_caught_by_its_anchor(api, tenant):
    # GIVEN an anchored chain, then every event and the head deleted (nothing left for a writer to notice)
    change(api, tenant.key, 1)
    assert run_anchor_job() == {"anchored": 1}
    delete_events("acme", 1, 2)
    dynamodb().delete_item(TableName=audit_trail.trail().name, Key=head_key("acme"))
    # WHEN the chain starts again from seq 1
    assert change(api, tenant.key, 2).status_code == 200
    # THEN the anchor says it once reached seq 2 with another hash
    assert verify(api, tenant.key)["first_broken"] == {"seq": 2, "reason": "ANCHOR_MISMATCH"}


# -- anchors outside the table ---------------------------------------------------------------------------


def anchor_versions(tenant_id: str) -> list[dict]:
    listed = s3().list_object_versions(Bucket=settings().audit_anchor_bucket, Prefix=f"audit-anchors/{tenant_id}/")
    return listed.get("Versions", [])


def test_the_schedule_anchors_each_sealed_head_under_object_lock(api, make_tenant):
    # GIVEN two tenants with chains
    acme, zeta = make_tenant("acme"), make_tenant("zeta")
    change(api, acme.key, 1)
    # WHEN the anchor schedule runs
    assert run_anchor_job() == {"anchored": 2}
    # THEN each head is copied, with its MAC, under the tenant's prefix
    (version,) = anchor_versions("acme")
    assert version["Key"] == anchors.key("acme", 2)
    body = json.loads(s3().get_object(Bucket=settings().audit_anchor_bucket, Key=version["Key"])["Body"].read())
    head = audit_trail.head("acme")
    assert {k: body[k] for k in ("tenant", "seq", "hash", "expires", "mac")} == {
        "tenant": "acme", **{k: head[k] for k in ("seq", "hash", "expires", "mac")}}
    assert clock.parse(body["at"])
    # AND the version is locked: GOVERNANCE in dev (COMPLIANCE in prod), for 400 days
    locked = s3().head_object(Bucket=settings().audit_anchor_bucket, Key=version["Key"], VersionId=version["VersionId"])
    assert locked["ObjectLockMode"] == "GOVERNANCE"
    assert locked["ObjectLockRetainUntilDate"].timestamp() > time.time() + 399 * DAY
    with pytest.raises(s3().exceptions.ClientError):
        s3().delete_object(Bucket=settings().audit_anchor_bucket, Key=version["Key"], VersionId=version["VersionId"])
    # AND verification is held to it
    assert verify(api, acme.key)["anchor"] == {"seq": 2, "at": body["at"]}
    # WHEN the schedule runs again with nothing changed THEN nothing is written; after a change, one anchor
    assert run_anchor_job() == {"anchored": 0}
    change(api, zeta.key, 2)
    assert run_anchor_job() == {"anchored": 1}
    # AND an idle chain is anchored again after a day, so its newest anchor stays under retention
    at(time.time() + DAY + 60)
    assert run_anchor_job() == {"anchored": 2}


def test_rolling_the_head_back_below_its_anchor_is_detected_even_with_the_anchor_hidden(api, make_tenant):
    # GIVEN a chain whose genuine head at seq 3 was kept by an attacker, then extended to 5 and anchored
    acme, zeta = make_tenant("acme"), make_tenant("zeta")
    for n in range(2):
        change(api, acme.key, n)
    old_head = {k: v for k, v in audit_trail.head("acme").items() if k not in ("PK", "SK")}
    for n in range(2, 4):
        change(api, acme.key, n)
    assert run_anchor_job() == {"anchored": 2}
    # WHEN the attacker deletes events 4-5, puts the old genuine head back and hides the anchor behind a
    # delete marker
    delete_events("acme", 4, 5)
    put_head("acme", old_head)
    s3().delete_object(Bucket=settings().audit_anchor_bucket, Key=anchors.key("acme", 5))
    # THEN the chain and its (authentic) head agree, but not with the anchor
    verdict = verify(api, acme.key)
    assert verdict["first_broken"] == {"seq": 5, "reason": "ANCHOR_MISMATCH"}
    assert verdict["anchor"]["seq"] == 5
    # AND the schedule refuses to anchor the rolled-back head, still anchors the others, and fails the run
    change(api, zeta.key, 1)
    with pytest.raises(jobs.TenantsFailed, match="acme"):
        run_anchor_job()
    assert [v["Key"] for v in anchor_versions("zeta")][0] == anchors.key("zeta", 2)


def test_an_anchor_the_product_did_not_write_is_named_and_not_trusted(api, tenant):
    # GIVEN an anchored chain, and an anchor object planted with a higher seq and no valid MAC
    change(api, tenant.key, 1)
    run_anchor_job()
    planted = {"tenant": "acme", "seq": 9, "hash": "0" * 64, "expires": 1, "mac": "Zm9yZ2Vk", "at": clock.iso()}
    s3().put_object(Bucket=settings().audit_anchor_bucket, Key=anchors.key("acme", 9), Body=json.dumps(planted))
    # WHEN the chain is verified THEN it is held to the genuine anchor, and the planted one is reported
    verdict = verify(api, tenant.key)
    assert verdict["anchor"]["seq"] == 2
    assert verdict["first_broken"] == {"seq": 9, "reason": "ANCHOR_INVALID"}
    # AND the schedule keeps anchoring past it
    change(api, tenant.key, 2)
    assert run_anchor_job() == {"anchored": 1}


def test_the_break_reasons_in_the_schema_are_the_enum():
    schema = json.loads((SCHEMAS / "audit_verification.json").read_text("utf-8"))
    listed = schema["properties"]["first_broken"]["oneOf"][1]["properties"]["reason"]["enum"]
    assert listed == [member.value for member in Break]
