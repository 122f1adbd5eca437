"""Six-month user logs: per-event validation, no duplicates, TTL on every item, expiry on read."""

from __future__ import annotations

from datetime import datetime, timezone

import boto3

from chalicelib.core import aws, clock
from chalicelib.core.dynamo import Table


def event(n: int, account: str = "acct-1", at: str = "2026-11-20T08:00:00Z", **extra) -> dict:
    return {"event_id": f"e{n}", "account_id": account, "type": "PUBLISH", "at": at, "ip": "203.0.113.7",
            "content_sha256": "a" * 64, **extra}


def test_good_events_are_kept_and_bad_ones_reported_by_index(api, tenant):
    batch = [event(1), {"account_id": "acct-1", "type": "TELEPORT", "at": "2026-11-20T08:00:00Z"}, event(2),
             {"type": "LOGIN"}, "not an object"]
    answer = api.call("POST", "/v1/logs", key=tenant.key, body={"events": batch}).json
    assert (answer["received"], answer["stored"], answer["failed"]) == (5, 2, [])
    assert [r["index"] for r in answer["rejected"]] == [1, 3, 4]
    assert answer["rejected"][0]["errors"][0]["path"] == "$.type"
    listed = api.call("GET", "/v1/logs?account_id=acct-1", key=tenant.key).json["items"]
    assert [e["event_id"] for e in listed] == ["e1", "e2"]
    assert listed[0]["expires_at"] == "2027-05-22T08:00:00Z"  # 183 days after the event


def test_sending_a_batch_again_does_not_duplicate_it(api, tenant):
    batch = [event(1), {"account_id": "acct-1", "type": "LOGIN", "at": "2026-11-20T09:00:00Z"}]
    for _ in range(2):
        assert api.call("POST", "/v1/logs", key=tenant.key, body={"events": batch}).json["stored"] == 2
    assert len(api.call("GET", "/v1/logs?account_id=acct-1", key=tenant.key).json["items"]) == 2


def test_every_log_item_carries_a_ttl_of_at_least_the_policy_period(api, tenant):
    api.call("PUT", "/v1/policy", key=tenant.key, body={"retention": {"log_days": 200}})
    api.call("POST", "/v1/logs", key=tenant.key, body={"events": [event(n, account=f"a{n % 3}") for n in range(30)]})
    from chalicelib.core.config import settings

    items = boto3.client("dynamodb", region_name="cn-north-1").scan(TableName=settings().records_table)["Items"]
    logs = [i for i in items if "#LOG#" in i["PK"]["S"]]
    assert len(logs) == 30
    happened = datetime(2026, 11, 20, 8, tzinfo=timezone.utc).timestamp()
    assert all(int(i["ttl"]["N"]) == happened + 200 * 86400 for i in logs)


def test_expired_events_are_filtered_on_read_though_dynamodb_deletes_late(api, tenant):
    api.call("POST", "/v1/logs", key=tenant.key, body={"events": [event(1, at="2026-05-01T00:00:00Z"),
                                                                   event(2, at="2026-11-20T00:00:00Z")]})
    listed = api.call("GET", "/v1/logs?account_id=acct-1", key=tenant.key).json["items"]
    assert [e["event_id"] for e in listed] == ["e2"]  # e1 passed its 183 days on 2026-10-31
    later = datetime(2027, 6, 1, tzinfo=timezone.utc)
    clock.set_source(later.timestamp)
    assert api.call("GET", "/v1/logs?account_id=acct-1", key=tenant.key).json["items"] == []


def test_a_time_range_and_pages(api, tenant):
    api.call("POST", "/v1/logs", key=tenant.key, body={"events": [
        event(n, at=f"2026-11-{10 + n:02d}T00:00:00Z") for n in range(6)]})
    ranged = api.call("GET", "/v1/logs?account_id=acct-1&from=2026-11-12T00:00:00Z&to=2026-11-13T23:59:59Z&limit=1",
                      key=tenant.key).json
    assert [e["event_id"] for e in ranged["items"]] == ["e2"] and ranged["next_cursor"]
    rest = api.call("GET", "/v1/logs?account_id=acct-1&from=2026-11-12T00:00:00Z&to=2026-11-13T23:59:59Z"
                           f"&cursor={ranged['next_cursor']}", key=tenant.key).json
    assert [e["event_id"] for e in rest["items"]] == ["e3"]


def test_a_batch_of_500_takes_20_writes_and_one_the_store_will_not_take_is_a_503(api, tenant, monkeypatch):
    api.call("GET", "/v1/policy", key=tenant.key)
    calls = []
    aws.client("dynamodb").meta.events.register("before-call.dynamodb.BatchWriteItem",
                                                lambda **kw: calls.append(kw["event_name"]))
    answer = api.call("POST", "/v1/logs", key=tenant.key, body={"events": [event(n) for n in range(500)]}).json
    assert (answer["stored"], len(calls)) == (500, 20)

    original = Table._call

    def throttled(self, operation, **params):
        if operation == "batch_write_item":
            return {"UnprocessedItems": params["RequestItems"]}
        return original(self, operation, **params)

    monkeypatch.setattr(Table, "_call", throttled)
    monkeypatch.setattr("chalicelib.core.dynamo_batches.sleep", lambda seconds: None)
    answer = api.call("POST", "/v1/logs", key=tenant.key, body={"events": [event(n, account="b") for n in range(3)]})
    assert (answer.status_code, answer.json["error"]["code"]) == (503, "STORE_UNAVAILABLE")
