"""One schedule run now, its queued work drained in this process: `make job`, the CLI and the tests.

It is the deployed path end to end (the schedule's fan-out, SQS, the handlers, the ledger), only
without waiting for EventBridge; against the `make run` stack its consumers may take some of the
units, so what the run did is read back from the ledger, not from what this process handled.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from chalicelib.core import clock, stores
from chalicelib.core.work_queues import Unit
from chalicelib.jobs.drain import drain
from chalicelib.jobs.lambdas import SCHEDULES
from chalicelib.jobs.runner import fan_out, merged
from chalicelib.jobs.store import JobStore


class TenantsFailed(RuntimeError):
    """Some tenants' units failed in a run (every other tenant's completed)."""

    def __init__(self, job: str, run: str, tenants: list[str]) -> None:
        super().__init__(f"{job}: {len(tenants)} tenant(s) failed: {', '.join(tenants[:20])}")
        self.run, self.tenants = run, tenants


def new_run(name: str) -> str:
    return f"{clock.iso()}-{name}-{uuid.uuid4().hex[:8]}"


def run_now(name: str, *, settle_seconds: float = 0.0) -> dict[str, Any]:
    """Fire schedule `name` once, drain every queue, and sum what its units did; TenantsFailed if any failed.
    `settle_seconds`: how long to wait for units another consumer took (make job beside make run)."""
    if name not in SCHEDULES:
        raise KeyError(f"no schedule named {name!r}; one of {', '.join(sorted(SCHEDULES))}")
    run = new_run(name)
    units = fan_out(name, run)
    drained = drain()
    tenants = sorted({u.tenant for u in units})
    items = _settled(tenants, run, len(units), settle_seconds)
    failed = sorted({i["tenant_id"] for i in items if i.get("status") != "DONE"}
                    | {t for t in tenants if not any(i["tenant_id"] == t for i in items)}
                    | {u.tenant for u in map(Unit.decode, drained.failed) if u.run == run})
    total: dict[str, Any] = {}
    for item in items:
        if item.get("status") == "DONE":
            total = merged(total, item.get("result", {}))
    if failed:
        raise TenantsFailed(name, run, failed)
    return total


def _settled(tenants: list[str], run: str, fanned: int, settle_seconds: float) -> list[dict[str, Any]]:
    """The run's ledger items, once its units and their follow-ups are done (or the wait is over)."""
    store, deadline = JobStore(stores.main_table()), time.monotonic() + settle_seconds
    while True:
        items = [i for t in tenants for i in store.run(t, run)]
        expected = fanned + sum(int(i.get("follow_ups", 0)) for i in items)
        if sum(1 for i in items if i.get("status") == "DONE") >= expected or time.monotonic() >= deadline:
            return items
        time.sleep(0.2)
