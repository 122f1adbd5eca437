"""The alarms of scheduled work reach someone: every alarm in infra/template.json (queue age, dead-letter depth,
a broken audit chain) notifies one SNS topic, and the audit-chain alarm watches the metric exactly as the
daily verification emits it (GR2017-11, PA2017-13)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from chalicelib.audit import verification
from chalicelib.core.audit_chain import Break, Finding

ROOT = Path(__file__).resolve().parents[2]


def template() -> dict[str, Any]:
    return json.loads((ROOT / "infra" / "template.json").read_text())


def alarms() -> dict[str, dict[str, Any]]:
    return {k: r["Properties"] for k, r in template()["Resources"].items() if r.get("Type") == "AWS::CloudWatch::Alarm"}


def test_every_alarm_notifies_the_alarm_topic_when_it_fires_and_when_it_clears():
    found = alarms()
    # GIVEN the template's alarms: age and dead letters of each of the four queues, and the broken chain
    assert len(found) == 9
    # THEN each one names the topic for both transitions, and the topic is an SNS topic of the stack
    for name, alarm in found.items():
        assert alarm.get("AlarmActions") == [{"Ref": "AlarmTopic"}] == alarm.get("OKActions"), name
    assert template()["Resources"]["AlarmTopic"]["Type"] == "AWS::SNS::Topic"


def test_the_e_mail_subscription_exists_only_when_an_address_is_given():
    tree = template()
    subscription = tree["Resources"]["AlarmEmailSubscription"]
    assert subscription["Condition"] == "HasAlarmEmail"
    assert subscription["Properties"]["Endpoint"] == {"Ref": "AlarmEmail"}
    assert tree["Conditions"]["HasAlarmEmail"] == {"Fn::Not": [{"Fn::Equals": [{"Ref": "AlarmEmail"}, ""]}]}
    assert tree["Parameters"]["AlarmEmail"]["Default"] == ""


def test_the_audit_chain_alarm_watches_the_metric_the_verification_emits(monkeypatch, capsys):
    # GIVEN the deployed functions' service name (their metrics' one dimension), metrics switched on
    service = json.loads((ROOT / ".chalice" / "config.json").read_text())["environment_variables"][
        "POWERTOOLS_SERVICE_NAME"]
    monkeypatch.setenv("POWERTOOLS_SERVICE_NAME", service)
    monkeypatch.delenv("POWERTOOLS_METRICS_DISABLED", raising=False)
    capsys.readouterr()
    # WHEN the verification finds a break
    verification._broken("acme", Finding(7, Break.LINK_BROKEN))
    (record,) = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith('{"_aws"')]
    declared = record["_aws"]["CloudWatchMetrics"][0]
    # THEN the alarm's namespace, metric and dimensions are exactly those of the record, so a break fires it
    alarm = alarms()["AuditChainBrokenAlarm"]
    assert alarm["Namespace"] == declared["Namespace"]
    assert [m["Name"] for m in declared["Metrics"]] == [alarm["MetricName"]]
    assert declared["Dimensions"] == [[d["Name"] for d in alarm["Dimensions"]]]
    assert {d["Name"]: d["Value"] for d in alarm["Dimensions"]} == {k: record[k] for k in declared["Dimensions"][0]}
    # AND one break in a day is enough: any count above zero
    assert (alarm["Statistic"], alarm["Threshold"], alarm["ComparisonOperator"]) == ("Sum", 0,
                                                                                     "GreaterThanThreshold")


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_the_local_backend_is_still_built_from_the_template(stage: str):
    # GIVEN the alarm topic and its conditional subscription WHEN the local backend reads the template
    from infra import resources

    # THEN the queues it creates are unchanged by them (alarms and topics are not created locally)
    assert sorted(resources.queue_definitions(stage)) == sorted(
        f"{q}{kind}" for q in ("Jobs", "Exports", "Webhooks", "Anchors") for kind in ("Queue", "DeadLetterQueue"))
