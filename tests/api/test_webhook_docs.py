"""The webhooks are documented for the receiving side as they are sent: the document's `webhooks` name both
events, their payload schemas hold the deliveries the API really makes, and the retry figures are the rules'."""

from __future__ import annotations

import pytest

from chalicelib.core import openapi, validation
from chalicelib.reports import webhook_rules
from tests.builders import decide, registered, report, verified_subject
from tests.receivers import webhook_receiver


@pytest.fixture
def receiver(api, tenant):
    with webhook_receiver(api, tenant) as fake:
        yield fake


def test_the_document_declares_both_webhooks_with_signature_headers_and_the_rules_figures(api):
    document = api.call("GET", "/v1/openapi.json").json  # valid 3.1 with its webhooks: tests/api/test_openapi.py
    hooks = document["webhooks"]
    assert set(hooks) == {"caseDecided", "appealDecided"}
    for hook in hooks.values():
        post = hook["post"]
        assert {p["name"] for p in post["parameters"]} == {"X-Compliance-Timestamp", "X-Compliance-Signature"}
        reference = post["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        assert reference.rsplit("/", 1)[-1] in document["components"]["schemas"]
        text = post["description"]
        # the figures a receiver plans by are the ones the delivery rules use
        for figure in (f"{webhook_rules.FIRST_BACKOFF_SECONDS} s", f"{webhook_rules.MAX_ATTEMPTS} attempts",
                       f"{webhook_rules.DEADLINE_SECONDS // 3600} hours", "delivery_id", "verify_webhook"):
            assert figure in text, figure
        assert "Regulations: PA2020-20" in text


def test_a_real_case_decision_delivery_matches_its_documented_schema(api, tenant, receiver):
    # GIVEN a tenant with a webhook WHEN a reported case is decided
    receipt = report(api, tenant.key, reporter={"account_id": "r-1"}).json
    assert decide(api, tenant.key, receipt["case_id"]).json["webhook"]["status"] == "DELIVERED"
    # THEN what arrived is signed and is what webhook_case_decided.json says
    (sent,) = receiver.received
    assert sent["signature_ok"]
    assert validation.problems("webhook_case_decided.json", sent["body"]) == []


def test_a_real_appeal_decision_delivery_matches_its_documented_schema(api, tenant, receiver):
    subject_id, _ = verified_subject(api, tenant.key)
    account_id = registered(api, tenant.key, subject_id, "小鹿的日常", account_type="USER")["account_id"]
    receipt = report(api, tenant.key, account_id, target_type="ACCOUNT").json
    warning = {"target": {"type": "ACCOUNT", "id": account_id}, "type": "WARNING", "statement": "刷屏",
               "ground": {"article": "PA2020-19", "category": "SPAM"}, "automated": False}
    assert decide(api, tenant.key, receipt["case_id"], outcome="VIOLATION", dispositions=[warning]).status_code == 200
    filed = api.call("POST", f"/v1/cases/{receipt['case_id']}/appeals", key=tenant.key,
                     body={"subject_id": subject_id, "statement": "误判，请求复核。"}).json
    decided = api.call("POST", f"/v1/appeals/{filed['appeal_id']}/decision", key=tenant.key,
                       body={"outcome": "OVERTURNED", "statement": "经复核，撤销警示。"})
    assert decided.status_code == 200, decided.json
    sent = [r for r in receiver.received if r["body"]["type"] == "appeal.decided"]
    assert len(sent) == 1 and sent[0]["signature_ok"]
    assert validation.problems("webhook_appeal_decided.json", sent[0]["body"]) == []


def test_a_payload_the_schema_does_not_describe_is_refused_by_it():
    # GIVEN a delivery with a field the receiver was never told about THEN the documented schema refuses it
    forged = {"delivery_id": "whd_0123456789abcdef", "type": "case.decided", "tenant_id": "acme",
              "sent_at": "2026-11-20T08:00:00Z", "report_ids": [], "reports_truncated": False, "extra": 1,
              "case": {"case_id": "cas_1", "target": {"type": "ACCOUNT", "id": "a"}, "outcome": "VIOLATION",
                       "statement": "s", "ground": "PA2020-20", "decided_at": "2026-11-20T08:00:00Z",
                       "disposition_ids": []}}
    assert validation.problems("webhook_case_decided.json", forged) != []
    del forged["extra"]
    assert validation.problems("webhook_case_decided.json", forged) == []
    assert openapi.document  # the document builder is importable on its own
