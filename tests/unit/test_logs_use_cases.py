"""Log ingestion and reading (MB2018-16, PA2020-10) on the in-memory stores: no AWS, milliseconds."""

from __future__ import annotations

from datetime import datetime, timezone

from chalicelib.core import clock
from chalicelib.logs import service as logs


def event(n: int, at: str, account: str = "acct-1", **extra: str) -> dict:
    return {"event_id": f"e{n}", "account_id": account, "type": "PUBLISH", "at": at, "ip": "203.0.113.7", **extra}


def test_a_batch_sent_again_is_stored_once_and_a_bad_event_is_reported_by_its_index(fakes):
    # GIVEN a batch with a good event, one of an unknown type, and one without an id (keyed by its digest)
    batch = [event(1, "2026-11-20T08:00:00Z"), {**event(2, "2026-11-20T08:00:00Z"), "type": "TELEPORT"},
             {"account_id": "acct-1", "type": "LOGIN", "at": "2026-11-20T09:00:00+08:00"}]
    # WHEN it is sent twice
    answers = [logs.ingest("acme", batch) for _ in range(2)]
    # THEN each time two are stored and the bad one is named by its index; the listing holds two, in UTC
    assert [(a["stored"], [r["index"] for r in a["rejected"]]) for a in answers] == [(2, [1]), (2, [1])]
    clock.set_source(datetime(2026, 11, 21, tzinfo=timezone.utc).timestamp)
    listed = logs.listing("acme", "acct-1", None, None, 10, None)["items"]
    assert [e["at"] for e in listed] == ["2026-11-20T01:00:00Z", "2026-11-20T08:00:00Z"]


def test_an_event_expires_183_days_after_it_happened_and_is_not_read_after_though_still_stored(fakes):
    logs.ingest("acme", [event(1, "2026-05-01T00:00:00Z", content_sha256="a" * 64),
                         event(2, "2026-11-20T00:00:00Z", content_sha256="a" * 64)])
    clock.set_source(datetime(2026, 11, 21, tzinfo=timezone.utc).timestamp)
    (kept,) = logs.listing("acme", "acct-1", None, None, 10, None)["items"]
    assert (kept["event_id"], kept["expires_at"]) == ("e2", "2027-05-22T00:00:00Z")
    assert [e["event_id"] for e in logs.by_content("acme", "a" * 64, 10)] == ["e2"]
    clock.set_source(datetime(2027, 6, 1, tzinfo=timezone.utc).timestamp)  # DynamoDB deletes late: reads filter
    assert logs.listing("acme", "acct-1", None, None, 10, None)["items"] == []


def test_each_batch_moves_an_accounts_last_activity_forward_never_back(fakes):
    # GIVEN an account last active at 10:00 on the 20th
    logs.ingest("acme", [event(1, "2026-11-20T10:00:00Z")])
    # WHEN a later batch carries only an older event, and another account's newer one
    logs.ingest("acme", [event(2, "2026-11-19T10:00:00Z"), event(3, "2026-11-21T10:00:00Z", account="acct-2")])
    # THEN (PA2020-10) the first account's last activity stays, the second's is set
    assert fakes.accounts.activity("acme", "acct-1")["last_active_at"] == "2026-11-20T10:00:00Z"
    assert fakes.accounts.activity("acme", "acct-2")["last_active_at"] == "2026-11-21T10:00:00Z"
