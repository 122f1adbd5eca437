"""Fan-out and the unit handler: schedules queue units, queue handlers run one unit each.

A unit runs under the invocation's budget (jobs/budget.py). Unfinished, it is sent again at its next
step with its checkpoint before the ledger moves it on (a crash in between repeats a step, never loses
one); done, its follow-up units are sent, then its result is recorded. A message whose step the ledger
has passed is a duplicate and is dropped. A unit that raises is recorded as failed and raised again, so
SQS delivers it again and, after the queue's maxReceiveCount, moves it to the dead-letter queue: one
tenant's failure never holds another's message.
"""

from __future__ import annotations

import time
from typing import Any

import chalicelib.jobs.telemetry as telemetry
from chalicelib.core import clock, stores, work_queues
from chalicelib.core.work_queues import Unit
from chalicelib.jobs.budget import Budget
from chalicelib.jobs.store import KEEP_SECONDS, JobStore
from chalicelib.jobs.units import WORK, Done, Unfinished
from chalicelib.tenants import service as tenants

QUEUE_OF = {"export-filing": "exports", "export-filing-province": "exports", "webhook-delivery": "webhooks",
            "anchor-audit-heads": "anchors"}


def queue_of(job: str) -> str:
    return QUEUE_OF.get(job, "jobs")


def _store() -> JobStore:
    return JobStore(stores.main_table())


def fan_out(job: str, run: str) -> list[Unit]:
    """One unit per tenant on the job's queue; the schedule's whole work."""
    units = [Unit(job, run, t.tenant_id) for t in tenants.list_tenants()]
    work_queues.send(queue_of(job), units)
    telemetry.queued(job, len(units), work_queues.backlog(queue_of(job)))
    return units


def merged(carried: dict[str, Any], result: dict[str, Any]) -> dict[str, Any]:
    """Counts add up and lists join across a unit's steps (and across the units of a run)."""
    total = dict(carried)
    for key, value in result.items():
        total[key] = total[key] + value if key in total else value
    return total


def handle(body: str, context: Any) -> dict[str, Any]:
    """Run the unit of one message; what it did."""
    unit = Unit.decode(body)
    answer: dict[str, Any] = {"job": unit.job, "run": unit.run, "tenant": unit.tenant, "unit": unit.unit}
    work = WORK.get(unit.job)
    if work is None:
        raise ValueError(f"no job named {unit.job!r}")
    store = _store()
    found = store.item(unit)
    if found is not None and (found.get("status") == "DONE" or int(found.get("step", 0)) > unit.step):
        telemetry.duplicate(unit)
        return {**answer, "duplicate": True}
    budget, started = Budget.of(context), time.monotonic()
    try:
        outcome = work(unit, budget)
    except Exception as error:
        elapsed = int((time.monotonic() - started) * 1000)
        telemetry.failed(unit, elapsed)
        store.failed(unit, type(error).__name__, clock.iso(), int(clock.now_epoch()) + KEEP_SECONDS)
        raise
    elapsed = int((time.monotonic() - started) * 1000)
    expires = int(clock.now_epoch()) + KEEP_SECONDS
    carried = merged(unit.carried, outcome.result)
    if isinstance(outcome, Unfinished):
        work_queues.send(queue_of(unit.job), [unit.next_step(outcome.checkpoint, carried)], outcome.delay_seconds)
        store.advance(unit, "RUNNING", {"checkpoint": outcome.checkpoint, "result": carried}, clock.iso(), expires)
        telemetry.continued(unit, elapsed)
        return {**answer, "continued": unit.step + 1, "so_far": carried}
    assert isinstance(outcome, Done)
    for queue, follow_up in outcome.follow_ups:
        work_queues.send(queue, [follow_up])
    if store.advance(unit, "DONE", {"result": carried, "duration_ms": elapsed, "follow_ups": len(outcome.follow_ups)},
                     clock.iso(), expires):
        telemetry.finished(unit, elapsed, carried)
    return {**answer, "done": carried, "follow_ups": len(outcome.follow_ups)}
