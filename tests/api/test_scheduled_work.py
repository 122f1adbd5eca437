"""Scheduled work on SQS: schedules only queue, one unit per tenant; handlers do one unit each under the
invocation's budget, checkpoint and continue; a message delivered twice does its work once; one tenant's
failure or slow endpoint never holds another's work (moto's SQS, in process)."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

from chalicelib import jobs
from chalicelib.core import clock, keys, stores, work_queues
from chalicelib.core.work_queues import Unit
from chalicelib.identity import store as identity_store, subjects
from chalicelib.jobs import drain, runner
from chalicelib.jobs.store import JobStore
from chalicelib.reports import cases, webhooks
from tests.factories import Countdown, scheduled_event

PAST = "2025-01-01T00:00:00Z"


def sqs() -> Any:
    return boto3.client("sqs", region_name="cn-north-1")


def waiting(queue: str) -> list[Unit]:
    """The units visible on `queue`, left there: received, then made visible again."""
    found, url = [], work_queues.url(queue)
    while messages := sqs().receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
        found.extend(messages)
    for message in found:
        sqs().change_message_visibility(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0)
    return [Unit.decode(m["Body"]) for m in found]


def take(queue: str) -> list[str]:
    """Every visible message of `queue`, received and deleted: their bodies."""
    bodies, url = [], work_queues.url(queue)
    while messages := sqs().receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
        for message in messages:
            bodies.append(message["Body"])
            sqs().delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    return bodies


def lapsed_subjects(tenant_id: str, count: int, start: int = 0) -> None:
    """`count` VERIFIED subjects whose re-confirmation date has passed, written as verification leaves them."""
    items = []
    for n in range(start, start + count):
        sid = f"sub_{n:06d}"
        items.append({**keys.subject_item(tenant_id, sid), "subject_id": sid, "tenant_id": tenant_id,
                      "status": "VERIFIED", "subject_type": "PERSON", "document_type": "RESIDENT_ID",
                      "document_masked": "1****************1", "reconfirm_by": PAST, "created_at": PAST,
                      "GSI1PK": keys.reconfirm_index(tenant_id), "GSI1SK": f"{PAST}#{sid}"})
    stores.main_table().batch_put(items)


# -- schedules only queue ----------------------------------------------------------------------------------

def test_a_schedule_queues_one_unit_per_tenant_and_does_none_of_the_work_itself(make_tenant):
    # GIVEN three tenants, each with a lapsed subject
    for name in ("acme", "beta", "zeta"):
        make_tenant(name)
        lapsed_subjects(name, 1)
    # WHEN the hourly schedule fires, as EventBridge calls it
    answer = jobs.SCHEDULES["expire-lapsed-verifications"][0](scheduled_event(), None)
    # THEN it queued one unit per tenant on the jobs queue and expired nobody yet
    assert answer["queued"] == 3
    queued = waiting("jobs")
    assert sorted(u.tenant for u in queued) == ["acme", "beta", "zeta"]
    assert {u.job for u in queued} == {"expire-lapsed-verifications"}
    assert subjects.require("acme", "sub_000000")["status"] == "VERIFIED"
    # AND the queue's own function then does each tenant's unit
    for body in take("jobs"):
        runner.handle(body, None)
    assert all(subjects.require(t, "sub_000000")["status"] == "EXPIRED" for t in ("acme", "beta", "zeta"))


def test_the_same_schedule_tick_fired_twice_does_its_work_once(make_tenant, monkeypatch):
    # GIVEN a tenant with two open cases past their deadline, and the breach step counted
    make_tenant("acme")
    calls: list[str] = []
    monkeypatch.setattr(cases, "mark_breached", lambda tenant_id: calls.append(tenant_id) or 2)
    # WHEN EventBridge delivers the same tick twice (same event time)
    event = scheduled_event()
    jobs.SCHEDULES["sweep-report-cases"][0](event, None)
    jobs.SCHEDULES["sweep-report-cases"][0](event, None)
    results = [runner.handle(body, None) for body in take("jobs")]
    # THEN both units ran through the ledger, and the tenant's sweep was done once
    assert calls == ["acme"]
    assert sorted("duplicate" in r for r in results) == [False, True]


# -- duplicate delivery, budget, checkpoint ----------------------------------------------------------------

def test_a_message_delivered_twice_expires_each_subject_once(make_tenant):
    # GIVEN a tenant with five lapsed subjects and its unit on the queue
    make_tenant("acme")
    lapsed_subjects("acme", 5)
    runner.fan_out("expire-lapsed-verifications", "run-1")
    (body,) = take("jobs")
    # WHEN SQS delivers the message twice (at-least-once)
    first, second = runner.handle(body, None), runner.handle(body, None)
    # THEN the first expired all five, the second was recognised as done
    assert first["done"] == {"expired": 5}
    assert second == {**second, "duplicate": True}
    (item,) = JobStore(stores.main_table()).run("acme", "run-1")
    assert (item["status"], item["result"]) == ("DONE", {"expired": 5})


def test_a_unit_out_of_time_checkpoints_re_enqueues_itself_and_finishes(make_tenant, monkeypatch):
    # GIVEN a tenant with 7 lapsed subjects read 2 a page, and an invocation that runs out of time after one page
    make_tenant("acme")
    lapsed_subjects("acme", 7)
    monkeypatch.setattr(subjects, "SWEEP_PAGE", 2)
    runner.fan_out("expire-lapsed-verifications", "run-1")
    (body,) = take("jobs")
    dying = Countdown(start_ms=6_500, step_ms=1_000)  # the reserve (5 s) is reached at the second reading
    # WHEN the handler runs with that budget
    answer = runner.handle(body, dying)
    # THEN it stopped, recorded where it was, and queued itself at the next step with what it did so far
    assert answer["continued"] == 1 and answer["so_far"] == {"expired": 2}
    (again,) = waiting("jobs")
    assert (again.step, again.carried) == (1, {"expired": 2})
    # AND the stale first message, delivered again, is dropped; the continuation finishes the unit
    assert runner.handle(body, None)["duplicate"] is True
    drained = drain.drain()
    assert drained.failed == [] and drained.results[-1]["done"] == {"expired": 7}
    assert all(subjects.require("acme", f"sub_{n:06d}")["status"] == "EXPIRED" for n in range(7))


def test_a_message_that_is_not_a_unit_of_work_fails_so_it_ends_in_the_dead_letter_queue(backend):
    # GIVEN messages someone else put on the queue WHEN the handler reads them THEN it raises, never guesses
    for body in ("not json", json.dumps([1]), json.dumps({"job": "x", "run": 1, "tenant": "t", "unit": "u"}),
                 json.dumps({"job": "no-such-job", "run": "r", "tenant": "t", "unit": "u"})):
        with pytest.raises(ValueError):
            runner.handle(body, None)


# -- one tenant never holds another ------------------------------------------------------------------------

def test_one_tenant_failing_never_stops_the_others_and_its_message_stays_for_redelivery(make_tenant, monkeypatch):
    # GIVEN three tenants, the sweep of one of which fails
    for name in ("acme", "bad", "zeta"):
        make_tenant(name)
    real = cases.mark_breached

    def breach(tenant_id: str) -> int:
        if tenant_id == "bad":
            raise RuntimeError("the store said no")
        return real(tenant_id)

    monkeypatch.setattr(cases, "mark_breached", breach)
    # WHEN the schedule runs and its queue is drained
    with pytest.raises(jobs.TenantsFailed, match="bad") as failed:
        jobs.run_now("sweep-report-cases")
    # THEN every other tenant's unit is done, and the failed one is still on the queue (in flight)
    ledger, run = JobStore(stores.main_table()), failed.value.run
    assert failed.value.tenants == ["bad"]
    assert {t: [i["status"] for i in ledger.run(t, run)] for t in ("acme", "zeta")} == {"acme": ["DONE"],
                                                                                        "zeta": ["DONE"]}
    assert work_queues.backlog("jobs")["in_flight"] == 1


def test_a_tenant_with_a_hundred_undelivered_webhooks_only_queues_them_its_sweep_posts_nothing(make_tenant,
                                                                                               monkeypatch):
    # GIVEN a tenant whose outbox holds 100 deliveries long overdue (its endpoint never answers), and another
    make_tenant("slow")
    make_tenant("fast")
    store = webhooks._store()
    for n in range(100):
        store.queue_delivery("slow", PAST, f"whd_{n:04d}", {"n": n}, "TIMEOUT", next_attempt_at=PAST,
                             deadline_at="2099-01-01T00:00:00Z")
    posted: list[str] = []
    monkeypatch.setattr(webhooks, "_post", lambda tenant_id, settings, body: posted.append(tenant_id) or
                        {"status": "FAILED", "error": "TIMEOUT"})
    runner.fan_out("sweep-report-cases", "run-1")
    # WHEN both tenants' sweep units run
    results = {r["tenant"]: r for r in (runner.handle(b, None) for b in take("jobs"))}
    # THEN neither sweep posted anything: the slow tenant's deliveries are 100 units of their own
    assert posted == []
    assert results["slow"]["done"]["requeued"] == 100 and results["fast"]["done"]["requeued"] == 0
    deliveries = [Unit.decode(b) for b in take("webhooks")]
    assert len(deliveries) == 100 and {(d.job, d.tenant) for d in deliveries} == {("webhook-delivery", "slow")}


def test_a_run_whose_deliveries_wait_out_their_backoff_names_the_tenant_waiting_not_failed(make_tenant, monkeypatch):
    # GIVEN a tenant whose feedback endpoint never answers, two overdue deliveries in its outbox, and another tenant
    make_tenant("slow")
    make_tenant("fast")
    for n in range(2):
        webhooks._store().queue_delivery("slow", PAST, f"whd_{n:04d}", {"n": n}, "TIMEOUT", next_attempt_at=PAST,
                                         deadline_at="2099-01-01T00:00:00Z")
    monkeypatch.setattr(webhooks.policy, "setting", lambda *a: {"url": "https://hooks.example.com/x"})
    monkeypatch.setattr(webhooks, "_post", lambda *a: {"status": "FAILED", "error": "TIMEOUT"})
    # WHEN the sweep runs now and its queues are drained
    report = jobs.now.run_and_report("sweep-report-cases")
    # THEN no unit failed: the slow tenant's deliveries wait for their next attempt (delayed on the queue), and
    # the run says so; run_now does not call that a failure
    assert (report["failed"], report["waiting"]) == ([], ["slow"])
    assert work_queues.backlog("webhooks")["delayed"] == 2
    jobs.run_now("sweep-report-cases")


# -- webhook redelivery on its own queue -------------------------------------------------------------------

def webhook_unit(tenant_id: str, step: int = 1) -> tuple[Unit, str]:
    key = webhooks._store().queue_delivery(tenant_id, clock.iso(), "whd_0001", {"n": 1}, "TIMEOUT",
                                           next_attempt_at=clock.iso(), deadline_at="2099-01-01T00:00:00Z")
    return Unit("webhook-delivery", "whd_0001", tenant_id, key, step=step), key


def test_a_failed_attempt_is_sent_again_delayed_by_its_backoff(tenant, monkeypatch):
    # GIVEN a queued delivery whose endpoint fails, with a webhook configured
    monkeypatch.setattr(webhooks.policy, "setting", lambda *a: {"url": "https://hooks.example.com/x"})
    monkeypatch.setattr(webhooks, "_post", lambda *a: {"status": "FAILED", "error": "TIMEOUT"})
    unit, key = webhook_unit("acme")
    # WHEN its message is handled
    answer = runner.handle(unit.encode(), None)
    # THEN the attempt is counted and the next one waits on the queue for its backoff (not visible yet)
    assert answer["continued"] == 2
    assert int(webhooks._store().queued_delivery("acme", key)["attempts"]) == 2
    assert work_queues.backlog("webhooks") == {"waiting": 0, "in_flight": 0, "delayed": 1}


def test_a_delivery_past_its_deadline_or_last_attempt_is_abandoned_without_posting(tenant, monkeypatch):
    # GIVEN two queued deliveries: one past its deadline, one at its last attempt
    monkeypatch.setattr(webhooks.policy, "setting", lambda *a: {"url": "https://hooks.example.com/x"})
    posted: list[Any] = []
    monkeypatch.setattr(webhooks, "_post", lambda *a: posted.append(a) or {"status": "DELIVERED"})
    store = webhooks._store()
    late = store.queue_delivery("acme", PAST, "whd_late", {}, "TIMEOUT", next_attempt_at=PAST,
                                deadline_at="2025-01-02T00:00:00Z")
    spent = store.queue_delivery("acme", clock.iso(), "whd_spent", {}, "TIMEOUT", next_attempt_at=clock.iso(),
                                 deadline_at="2099-01-01T00:00:00Z")
    stores.main_table().update({"PK": keys.outbox_pk("acme"), "SK": spent}, UpdateExpression="SET attempts = :n",
                               values={":n": webhooks.MAX_ATTEMPTS})
    # WHEN their messages are handled
    answers = [runner.handle(Unit("webhook-delivery", "r", "acme", k).encode(), None)["done"] for k in (late, spent)]
    # THEN neither is posted, both are kept as ABANDONED, and nothing is queued again
    assert posted == [] and answers == [{"redelivered": 0, "abandoned": 1}] * 2
    assert {store.queued_delivery("acme", k)["status"] for k in (late, spent)} == {"ABANDONED"}
    assert work_queues.backlog("webhooks")["delayed"] == 0


def test_a_delivery_message_delivered_twice_posts_once(tenant, monkeypatch):
    # GIVEN a queued delivery whose endpoint now answers
    monkeypatch.setattr(webhooks.policy, "setting", lambda *a: {"url": "https://hooks.example.com/x"})
    posted: list[Any] = []
    monkeypatch.setattr(webhooks, "_post", lambda *a: posted.append(a) or {"status": "DELIVERED"})
    unit, key = webhook_unit("acme")
    # WHEN SQS delivers its message twice
    first, second = runner.handle(unit.encode(), None), runner.handle(unit.encode(), None)
    # THEN it is posted once and leaves the outbox
    assert len(posted) == 1 and first["done"]["redelivered"] == 1 and second["duplicate"] is True
    assert webhooks._store().queued_delivery("acme", key) is None


# -- expired subjects leave the re-confirmation index ------------------------------------------------------

@pytest.mark.parametrize("already_expired", [10, 200])
def test_each_sweep_reads_only_what_lapsed_since_the_last(make_tenant, monkeypatch, already_expired):
    # GIVEN a tenant whose earlier sweeps expired many subjects, and 3 that lapsed since
    make_tenant("acme")
    lapsed_subjects("acme", already_expired)
    assert subjects.expire_lapsed("acme") == (already_expired, True)
    lapsed_subjects("acme", 3, start=already_expired)
    read: list[int] = []
    real = identity_store.IdentityStore.due_for_reconfirmation

    def counted(self: Any, *args: Any) -> Any:
        items, cursor = real(self, *args)
        read.append(len(items))
        return items, cursor

    monkeypatch.setattr(identity_store.IdentityStore, "due_for_reconfirmation", counted)
    # WHEN the next sweep runs
    expired, finished = subjects.expire_lapsed("acme")
    # THEN it read the 3 new ones only, however many expired before, and they stay findable as lapsed
    assert (expired, finished, sum(read)) == (3, True, 3)
    lapsed = list(stores.main_table().query(index="GSI1", KeyConditionExpression="GSI1PK = :pk",
                                            values={":pk": keys.lapsed_index("acme")}))
    assert len(lapsed) == already_expired + 3


def test_a_subject_left_in_the_index_unverified_leaves_it_once(make_tenant):
    # GIVEN a subject stored EXPIRED in the re-confirmation index (as sweeps before this change left them)
    make_tenant("acme")
    lapsed_subjects("acme", 1)
    stores.main_table().update(keys.subject_item("acme", "sub_000000"), UpdateExpression="SET #s = :e",
                               ExpressionAttributeNames={"#s": "status"}, values={":e": "EXPIRED"})
    # WHEN two sweeps run THEN the first takes it out of the index and the second reads nothing
    assert subjects.expire_lapsed("acme") == (0, True)
    assert identity_store.IdentityStore(stores.main_table()).due_for_reconfirmation("acme", clock.iso(), 10,
                                                                                      None) == ([], None)


# -- per-job and per-tenant figures ------------------------------------------------------------------------

def emitted(out: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.splitlines() if line.startswith('{"_aws"')]


def test_each_unit_is_counted_per_job_with_its_tenant_its_duration_and_its_failures(make_tenant, monkeypatch,
                                                                                   capsys):
    # GIVEN two tenants, the sweep of one of which fails
    make_tenant("acme")
    make_tenant("bad")
    real = cases.mark_breached
    monkeypatch.setattr(cases, "mark_breached",
                        lambda t: (_ for _ in ()).throw(RuntimeError("no")) if t == "bad" else real(t))
    capsys.readouterr()
    # WHEN the schedule fires and its units are handled
    runner.fan_out("sweep-report-cases", "run-1")
    drain.drain()
    metrics = emitted(capsys.readouterr().out)
    # THEN the fan-out counted what it queued and the queue's backlog, each unit its outcome and duration,
    # with the job as the dimension and the tenant on the record
    def named(name: str) -> list[dict[str, Any]]:
        return [m for m in metrics if name in m]

    assert [m["JobUnitsQueued"] for m in named("JobUnitsQueued")] == [[2.0]]
    assert named("JobBacklog")[0]["waiting"] == 2
    assert [(m["job"], m["tenant_id"]) for m in named("JobUnitsDone")] == [("sweep-report-cases", "acme")]
    assert [(m["job"], m["tenant_id"]) for m in named("JobUnitFailures")] == [("sweep-report-cases", "bad")]
    assert {m["tenant_id"] for m in named("JobUnitDurationMs")} == {"acme"}
    assert all(m["_aws"]["CloudWatchMetrics"][0]["Dimensions"] == [["job", "service"]] for m in metrics)


def test_a_run_drained_in_process_reads_its_ledger_a_bounded_number_of_times(make_tenant, monkeypatch):
    # GIVEN twenty tenants, and the reads of the runs' ledger counted
    for n in range(20):
        make_tenant(f"tenant-{n:02d}")
    reads: list[str] = []
    real = JobStore.run
    monkeypatch.setattr(JobStore, "run", lambda self, tenant_id, run: reads.append(tenant_id) or real(self, tenant_id,
                                                                                                        run))
    # WHEN one schedule is run now and its twenty units drained
    assert jobs.run_now("suspend-inactive-accounts") == {"suspended": 0}
    # THEN the ledger was read when the queues were empty, not once per tenant after every unit (20 x 21)
    assert len(reads) <= 3 * 20
