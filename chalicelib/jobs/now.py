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
from chalicelib.core.work_queues import QUEUES, Unit
from chalicelib.jobs.drain import Drained, consume_one
from chalicelib.jobs.lambdas import SCHEDULES
from chalicelib.jobs.runner import fan_out, merged
from chalicelib.jobs.store import JobStore

CHECK_EVERY = 50


class TenantsFailed(RuntimeError):
    """Some tenants' units failed in a run (every other tenant's completed)."""

    def __init__(self, job: str, run: str, tenants: list[str]) -> None:
        super().__init__(f"{job}: {len(tenants)} tenant(s) failed: {', '.join(tenants[:20])}")
        self.run, self.tenants = run, tenants


def new_run(name: str) -> str:
    return f"{clock.iso()}-{name}-{uuid.uuid4().hex[:8]}"


def run_and_report(name: str, *, settle_seconds: float = 0.0) -> dict[str, Any]:
    """Fire schedule `name` once, drain every queue, and say what the run did: in all, per tenant that did
    something, which tenants' units failed (a handler raised: the message stays for SQS to deliver again) and
    which still wait (continued later, or held by another consumer). `settle_seconds`: how long to wait for units
    another consumer took (make job beside make run's own consumers)."""
    if name not in SCHEDULES:
        raise KeyError(f"no schedule named {name!r}; one of {', '.join(sorted(SCHEDULES))}")
    run = new_run(name)
    units = fan_out(name, run)
    tenants = sorted({u.tenant for u in units})
    items, failed_bodies = _drain_until_done(tenants, run, len(units), settle_seconds)
    failed = sorted({u.tenant for u in map(Unit.decode, failed_bodies) if u.run == run})
    # Not failed, not finished: a unit that checkpointed and continues later (a webhook's next attempt waits out
    # its backoff as a delayed message), or one another consumer holds. It is still owed, and said so.
    waiting = sorted(({i["tenant_id"] for i in items if i.get("status") != "DONE"}
                      | {t for t in tenants if not any(i["tenant_id"] == t for i in items)}) - set(failed))
    total: dict[str, Any] = {}
    by_tenant: dict[str, dict[str, Any]] = {}
    for item in items:
        if item.get("status") == "DONE":
            total = merged(total, item.get("result", {}))
            by_tenant[item["tenant_id"]] = merged(by_tenant.get(item["tenant_id"], {}), item.get("result", {}))
    return {"job": name, "run": run, "tenants": len(tenants), "units": len(items), "did": total,
            "by_tenant": {t: r for t, r in sorted(by_tenant.items()) if any(r.values())}, "failed": failed,
            "waiting": waiting}


def run_now(name: str, *, settle_seconds: float = 0.0) -> dict[str, Any]:
    """What the run did in all; TenantsFailed (after every other tenant's units ran) if any failed."""
    report = run_and_report(name, settle_seconds=settle_seconds)
    if report["failed"]:
        raise TenantsFailed(name, report["run"], report["failed"])
    return dict(report["did"])


def _drain_until_done(tenants: list[str], run: str, fanned: int,
                      settle_seconds: float) -> tuple[list[dict[str, Any]], list[str]]:
    """Handle queued units (this run's, and any others before them) until every unit of the run and its
    follow-ups is done; when the queues are empty first, wait up to `settle_seconds` for units another
    consumer took. The run's ledger items, and the bodies of the messages that failed here.

    The ledger (a query per tenant) is read when the queues are empty and every CHECK_EVERY units handled
    (at least once per tenant count), not after each unit: a run of 1,000 tenants would otherwise read it
    a million times."""
    store, deadline = JobStore(stores.main_table()), time.monotonic() + settle_seconds
    failed: list[str] = []
    every = max(CHECK_EVERY, len(tenants))
    while True:
        items = [i for t in tenants for i in store.run(t, run)]
        expected = fanned + sum(int(i.get("follow_ups", 0)) for i in items)
        if sum(1 for i in items if i.get("status") == "DONE") >= expected:
            return items, failed
        drained = Drained()
        while drained.handled + len(drained.failed) < every and any([consume_one(queue, drained)
                                                                     for queue in QUEUES]):
            pass
        failed.extend(drained.failed)
        if not drained.handled and not drained.failed:
            if time.monotonic() >= deadline:
                return items, failed
            time.sleep(0.2)
