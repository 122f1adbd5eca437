"""The pure parts of scheduled work: webhook backoff and deadlines, the time budget, the unit message, and
the infrastructure each queue needs (its own function's timeout, a dead-letter queue, alarms)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from chalicelib.core.work_queues import QUEUES, Unit
from chalicelib.jobs.budget import RESERVE_MS, Budget
from chalicelib.jobs.lambdas import QUEUE_NAMES, SCHEDULES, TIMEOUTS
from chalicelib.jobs.runner import QUEUE_OF, merged
from chalicelib.jobs.units import WORK
from chalicelib.reports import webhook_rules as rules

ROOT = Path(__file__).resolve().parents[2]
T0 = datetime(2026, 11, 1, tzinfo=UTC)


def template() -> dict:
    return json.loads((ROOT / "infra" / "template.json").read_text())


def test_backoff_doubles_from_30_seconds_and_never_exceeds_the_longest_sqs_delay():
    assert [rules.backoff_seconds(n) for n in range(2, 9)] == [30, 60, 120, 240, 480, 900, 900]
    assert rules.backoff_seconds(10**6) == 900 and rules.backoff_seconds(-5) == 30


@pytest.mark.parametrize(("attempts", "now", "given_up"), [
    (rules.MAX_ATTEMPTS - 1, T0, False),
    (rules.MAX_ATTEMPTS, T0, True),                                    # the last attempt was made
    (1, T0 + timedelta(seconds=rules.DEADLINE_SECONDS - 1), False),
    (1, T0 + timedelta(seconds=rules.DEADLINE_SECONDS), True),         # the deadline itself is past it
])
def test_a_delivery_is_given_up_at_its_last_attempt_or_its_deadline(attempts, now, given_up):
    assert rules.given_up(attempts, rules.deadline(T0), now) is given_up


def test_a_delivery_is_overdue_only_past_its_grace():
    due = T0
    assert not rules.overdue(due, due + timedelta(seconds=rules.OVERDUE_GRACE_SECONDS))
    assert rules.overdue(due, due + timedelta(seconds=rules.OVERDUE_GRACE_SECONDS + 1))


def test_the_budget_is_spent_once_only_the_reserve_is_left():
    left = iter([RESERVE_MS + 1, RESERVE_MS])
    budget = Budget(lambda: next(left))
    assert (budget.spent(), budget.spent()) == (False, True)


def test_without_a_lambda_context_the_budget_is_the_local_timeout():
    assert not Budget.of(None).spent() and Budget.lasting(RESERVE_MS - 1).spent()


def test_a_unit_round_trips_and_anything_else_is_refused():
    unit = Unit("sweep-report-cases", "2026-11-25T00:00:00Z", "acme", step=2, checkpoint={"next": 1},
                carried={"breached": 3})
    assert Unit.decode(unit.encode()) == unit
    for body in ('{"job": 1}', "[]", '{"job": "j", "run": "r", "tenant": "t", "unit": "u", "step": "2"}',
                 '{"job": "j", "run": "r", "tenant": "t", "unit": "u", "checkpoint": []}'):
        with pytest.raises(ValueError):
            Unit.decode(body)


def test_results_add_up_across_steps_and_units():
    assert merged({"expired": 2, "exported": ["a/1"]}, {"expired": 5, "exported": ["b/1"], "new": 1}) == {
        "expired": 7, "exported": ["a/1", "b/1"], "new": 1}


def test_every_schedule_and_queued_job_has_its_work_and_its_queue():
    assert set(SCHEDULES) <= set(WORK)
    assert set(QUEUE_OF.values()) | {"jobs"} == set(QUEUES) == set(QUEUE_NAMES) == set(TIMEOUTS)


def test_each_queue_function_has_the_timeout_the_local_consumer_uses_and_exports_get_15_minutes():
    functions = json.loads((ROOT / ".chalice" / "config.json").read_text())["lambda_functions"]
    handler_names = {"jobs": "run-unit", "exports": "run-export", "webhooks": "deliver-webhook",
                     "anchors": "run-anchor"}
    assert {q: functions[name]["lambda_timeout"] for q, name in handler_names.items()} == TIMEOUTS
    assert TIMEOUTS["exports"] == 900
    assert set(SCHEDULES) <= set(functions)


def test_every_queue_has_a_dead_letter_queue_alarms_and_outlasts_its_function():
    resources = template()["Resources"]
    timeouts = {"JobsQueue": TIMEOUTS["jobs"], "ExportsQueue": TIMEOUTS["exports"],
                "WebhooksQueue": TIMEOUTS["webhooks"], "AnchorsQueue": TIMEOUTS["anchors"]}
    for logical_id, timeout in timeouts.items():
        queue = resources[logical_id]["Properties"]
        dead_letter = queue["RedrivePolicy"]["deadLetterTargetArn"]["Fn::GetAtt"][0]
        assert resources[dead_letter]["Type"] == "AWS::SQS::Queue"
        # Lambda refuses an event source whose visibility timeout is shorter than the function's timeout
        assert queue["VisibilityTimeout"] >= 6 * timeout
        alarms = {r["Properties"]["MetricName"]: r["Properties"]["Dimensions"][0]["Value"]["Fn::GetAtt"][0]
                  for r in resources.values() if r.get("Type") == "AWS::CloudWatch::Alarm"
                  and r["Properties"]["Namespace"] == "AWS/SQS"
                  and r["Properties"]["Dimensions"][0]["Value"]["Fn::GetAtt"][0] in (logical_id, dead_letter)}
        assert alarms == {"ApproximateAgeOfOldestMessage": logical_id,
                          "ApproximateNumberOfMessagesVisible": dead_letter}


def test_the_packaged_event_sources_are_pointed_at_their_stages_queues():
    from infra import resources

    # GIVEN the event sources chalice packages, naming each queue without its stage
    sam = {"Resources": {f"Fn{n}": {"Properties": {"Events": {"Source": {"Type": "SQS", "Properties": {
        "Queue": {"Fn::Sub": f"arn:${{AWS::Partition}}:sqs:${{AWS::Region}}:${{AWS::AccountId}}:{name}"}}}}}}
        for n, name in enumerate(QUEUE_NAMES.values())}}
    # WHEN the package step points them THEN each names the template's queue of the stage deployed
    assert resources.point_queue_event_sources(sam) == 4
    assert sorted(r["Properties"]["Events"]["Source"]["Properties"]["Queue"]["Fn::GetAtt"][0]
                  for r in sam["Resources"].values()) == ["AnchorsQueue", "ExportsQueue", "JobsQueue", "WebhooksQueue"]
