"""Rumour sightings, the early warning (PA2020-13) and tracing back (MB2018-11) on the in-memory
stores: no AWS, milliseconds. Matching itself (the compiled index) is tested over the API."""

from __future__ import annotations

from chalicelib.core import policy
from chalicelib.logs import service as logs
from chalicelib.rumours import service as rumours

REFUTATION = {"text": "经核实，该消息为谣言。", "source_url": "https://example.gov.cn/piyao/1",
              "issuing_body": "示例部门"}


def a_rumour() -> str:
    return rumours.register("acme", {"claim": "明天起全市停水三天", "refutation": REFUTATION})["rumour_id"]


def test_a_rumour_spreading_at_the_rate_raises_one_alert_in_its_hour(fakes):
    # GIVEN an alert at 3 sightings an hour
    policy.apply_patch("acme", {"rumours": {"alert_per_hour": 3}})
    rumour_id, settings = a_rumour(), policy.current("acme").effective["rumours"]
    # WHEN five accounts are seen spreading it within the hour
    raised = [rumours.record_sighting("acme", rumour_id, {"account_id": f"acct-{n}"}, settings) for n in range(5)]
    # THEN the third raises the hour's alert, once; it is listed with its count
    assert raised == [False, False, True, False, False]
    (alert,) = rumours.alerts("acme", 10, None)["items"]
    assert (alert["rumour_id"], alert["sightings"], alert["threshold_per_hour"]) == (rumour_id, 3, 3)
    assert fakes.events(fakes.rumours) == ["rumour.register"]


def test_tracing_back_finds_the_first_publisher_through_the_logs_with_the_same_content(fakes):
    rumour_id, digest = a_rumour(), "c" * 64
    logs.ingest("acme", [
        {"account_id": "origin", "type": "PUBLISH", "at": "2026-11-20T08:00:00Z", "content_sha256": digest},
        {"account_id": "forwarder", "type": "FORWARD", "at": "2026-11-20T09:00:00Z", "content_sha256": digest}])
    settings = policy.current("acme").effective["rumours"]
    rumours.record_sighting("acme", rumour_id, {"account_id": "seen", "content_sha256": digest,
                                                "at": "2026-11-20T10:00:00Z"}, settings)
    spread = rumours.spread("acme", rumour_id, 10)
    assert [a["account_id"] for a in spread["accounts"]] == ["origin", "forwarder", "seen"]
    assert [e["source"] for e in spread["events"]] == ["log:PUBLISH", "log:FORWARD", "match"]
    assert spread["first_publisher"]["account_id"] == "origin"
