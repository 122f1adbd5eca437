"""Scheduled work: schedules that queue one unit per tenant, and the queue handlers that do one unit each.

    lambdas.py   the Lambda functions (schedules, queue handlers) on one Blueprint
    runner.py    fan-out, and one unit under its time budget: checkpoint, re-enqueue, ledger, metrics
    units.py     what one unit of each job does
    store.py     the ledger of units (step, checkpoint, result) that makes redelivery idempotent
    budget.py    the time a unit may still take, from the Lambda context
    drain.py     consuming the queues outside Lambda (make run, make job, tests)
    now.py       one schedule run now and drained (make job, tests)
    telemetry.py per-job and per-tenant figures
"""

from chalicelib.jobs.lambdas import SCHEDULES, bp
from chalicelib.jobs.now import TenantsFailed, run_now

__all__ = ["SCHEDULES", "TenantsFailed", "bp", "run_now"]
