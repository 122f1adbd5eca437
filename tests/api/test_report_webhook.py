"""The tenant's signed feedback webhook: decisions are POSTed, failures queued and retried by the sweep."""

from __future__ import annotations

import pytest

from tests.builders import decide, move_clock, report, sweep
from tests.receivers import webhook_receiver


@pytest.fixture
def webhook(api, tenant):
    with webhook_receiver(api, tenant) as receiver:
        yield receiver


def test_a_decision_is_posted_signed_with_every_report(api, tenant, webhook):
    receipts = [report(api, tenant.key, reporter={"account_id": f"r-{n}"}).json for n in range(2)]
    decided = decide(api, tenant.key, receipts[0]["case_id"]).json
    assert decided["webhook"]["status"] == "DELIVERED"
    (sent,) = webhook.received
    assert sent["signature_ok"] and sent["body"]["type"] == "case.decided"
    assert sorted(sent["body"]["report_ids"]) == sorted(r["report_id"] for r in receipts)
    assert sent["body"]["case"]["outcome"] == "NO_VIOLATION" and "fingerprint" not in sent["body"]["case"]


def test_a_failed_delivery_is_kept_and_the_sweep_delivers_it(api, tenant, webhook):
    webhook.script = [(500, {}, 0.0)]
    receipt = report(api, tenant.key).json
    decided = decide(api, tenant.key, receipt["case_id"]).json
    # The endpoint's own status stays out of our records: only the normalized reason.
    assert decided["webhook"]["status"] == "FAILED" and decided["webhook"]["error"] == "BAD_STATUS"
    # Its next attempt waits on the webhooks queue (tests/api/test_scheduled_fan_out.py); lost, the sweep sends it.
    move_clock(hours=1)
    assert sweep()["redelivered"] == 1
    assert [r["body"]["delivery_id"] for r in webhook.received] == [decided["webhook"]["delivery_id"]] * 2
    assert sweep()["redelivered"] == 0  # delivered once, not again


def test_a_webhook_secret_outside_the_tenants_path_is_never_used(api, tenant, webhook):
    patch = {"reports": {"webhook": {"secret_parameter": "/compliance-api/dev/tenants/other/secret"}}}
    assert api.call("PUT", "/v1/policy", key=tenant.key, body=patch).status_code == 200
    decided = decide(api, tenant.key, report(api, tenant.key).json["case_id"]).json
    assert decided["webhook"] == {**decided["webhook"], "status": "FAILED", "error": "WEBHOOK_SECRET_OUTSIDE_TENANT"}
    assert webhook.received == []
