"""An account's life: activity, suspension for inactivity and reactivation (PA2020-10), cancellation
with the subject's identity data erased when no account needs it (PA2017-9)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import boto3

from chalicelib.core import clock
from chalicelib.core.config import settings
from tests.builders import register, subject


def sweep() -> dict:
    from chalicelib import jobs

    return jobs.run_now("suspend-inactive-accounts")


def later(days: float) -> None:
    moment = datetime.now(timezone.utc) + timedelta(days=days)
    clock.set_source(moment.timestamp)


def test_activity_moves_forward_only_and_never_into_the_future(api, tenant):
    account_id = register(api, tenant.key, subject(api, tenant.key)).json["account_id"]
    path = f"/v1/accounts/{account_id}/activity"
    first = api.call("POST", path, key=tenant.key, body={}).json["last_active_at"]
    assert api.call("POST", path, key=tenant.key, body={"at": "2026-01-01T00:00:00Z"}).json["last_active_at"] == first
    future = api.call("POST", path, key=tenant.key, body={"at": "2099-01-01T00:00:00Z"})
    assert (future.status_code, future.json["error"]["code"]) == (422, "AT_IN_FUTURE")
    assert api.call("POST", "/v1/accounts/acc_missing/activity", key=tenant.key, body={}).status_code == 404


def test_unused_accounts_are_suspended_with_a_notice_and_can_be_reactivated(api, tenant):
    subject_id = subject(api, tenant.key)
    idle = register(api, tenant.key, subject_id, name="普通用户一号").json["account_id"]
    busy = register(api, tenant.key, subject_id, name="普通用户二号").json["account_id"]
    later(days=184)
    api.call("POST", "/v1/logs", key=tenant.key, body={"events": [
        {"account_id": busy, "type": "LOGIN", "at": clock.iso()},
        {"account_id": "someone-not-registered", "type": "LOGIN", "at": "2026-01-01T00:00:00Z"}]})
    assert sweep() == {"suspended": 1}
    assert sweep() == {"suspended": 0}  # once
    suspended = api.call("GET", f"/v1/accounts/{idle}", key=tenant.key).json
    assert suspended["status"] == "SUSPENDED" and suspended["suspension"]["article"] == "PA2020-10"
    assert api.call("GET", f"/v1/accounts/{busy}", key=tenant.key).json["status"] == "ACTIVE"
    back = api.call("POST", f"/v1/accounts/{idle}/reactivation", key=tenant.key)
    assert back.status_code == 200 and back.json["status"] == "ACTIVE" and "suspension" not in back.json
    again = api.call("POST", f"/v1/accounts/{idle}/reactivation", key=tenant.key)
    assert (again.status_code, again.json["error"]["code"]) == (409, "ACCOUNT_NOT_SUSPENDED")
    events = [e["type"] for e in api.call("GET", "/v1/audit", key=tenant.key).json["items"]]
    assert "account.suspend_inactive" in events and "account.reactivate" in events


def test_cancelling_frees_the_slot_and_the_last_one_erases_the_identity_data(api, tenant):
    api.call("PUT", "/v1/policy", key=tenant.key, body={"accounts": {"max_per_subject": {"PERSON": 2}}})
    subject_id = subject(api, tenant.key)
    first = register(api, tenant.key, subject_id, name="普通用户一号", external_id="ext-1").json["account_id"]
    second = register(api, tenant.key, subject_id, name="普通用户二号").json["account_id"]
    api.call("POST", "/v1/logs", key=tenant.key, body={"events": [{"account_id": first, "type": "LOGIN",
                                                                   "at": clock.iso()}]})
    cancelled = api.call("POST", f"/v1/accounts/{first}/cancellation", key=tenant.key, body={"reason": "用户申请注销"})
    assert cancelled.status_code == 200, cancelled.json
    assert (cancelled.json["subject_pii_erased"], cancelled.json["remaining_accounts"]) == (False, 1)
    assert cancelled.json["account"]["status"] == "CANCELLED"
    # the slot and the external id are free again
    replacement = register(api, tenant.key, subject_id, name="普通用户三号", external_id="ext-1")
    assert replacement.status_code == 201, replacement.json
    twice = api.call("POST", f"/v1/accounts/{first}/cancellation", key=tenant.key, body={"reason": "x"})
    assert (twice.status_code, twice.json["error"]["code"]) == (409, "ACCOUNT_CANCELLED")
    for account_id in (second, replacement.json["account_id"]):
        last = api.call("POST", f"/v1/accounts/{account_id}/cancellation", key=tenant.key, body={"reason": "注销"}).json
    assert (last["subject_pii_erased"], last["remaining_accounts"]) == (True, 0)
    stored = boto3.client("dynamodb", region_name="cn-north-1").get_item(
        TableName=settings().main_table, Key={"PK": {"S": f"T#{tenant.tenant_id}#SUBJECT#{subject_id}"},
                                              "SK": {"S": "SUBJECT"}})["Item"]
    assert "pii" not in stored and "pii_key" not in stored and "pii_erased_at" in stored
    refused = register(api, tenant.key, subject_id, name="普通用户四号")
    assert (refused.status_code, refused.json["error"]["code"]) == (409, "SUBJECT_PII_ERASED")
    # the six-month logs stay until their TTL
    assert api.call("GET", f"/v1/logs?account_id={first}", key=tenant.key).json["items"]
