"""What one unit of each scheduled job does: a tenant's turn, a filing, a delivery.

A unit's work returns Done (its result) or Unfinished (a checkpoint to continue from) when its budget is
spent; the runner records either and sends an unfinished unit again. Every unit is safe to run twice: the
work below skips what is done (conditional writes, filings recorded once, deliveries marked delivered).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from chalicelib.accounts import lifecycle as account_lifecycle
from chalicelib.audit import anchors as audit_anchors, verification as audit_verification
from chalicelib.core.work_queues import Unit
from chalicelib.filings import export as filings, fanout
from chalicelib.identity import subjects
from chalicelib.jobs.budget import Budget
from chalicelib.metrics import service as counters
from chalicelib.reports import cases, decisions, webhooks


@dataclass(frozen=True)
class Done:
    result: dict[str, Any]
    follow_ups: list[tuple[str, Unit]] = field(default_factory=list)  # (queue, unit) to send once this one is done


@dataclass(frozen=True)
class Unfinished:
    checkpoint: dict[str, Any]
    result: dict[str, Any]
    delay_seconds: int = 0  # how long SQS holds the next step (a webhook's backoff)


Outcome = Done | Unfinished
Work = Callable[[Unit, Budget], Outcome]


def whole(name: str, work: Callable[[str], int]) -> Work:
    """A tenant's turn done in one call (the work is bounded by the tenant's own data)."""
    def run(unit: Unit, budget: Budget) -> Outcome:
        return Done({name: work(unit.tenant)})

    return run


def expire_lapsed(unit: Unit, budget: Budget) -> Outcome:
    """MB2018-7: expired subjects leave the index, so a run continued later starts again at the front."""
    expired, finished = subjects.expire_lapsed(unit.tenant, stop=budget.spent)
    if not finished:
        return Unfinished({}, {"expired": expired})
    return Done({"expired": expired})


_SWEEP_STEPS: tuple[tuple[str, Callable[[str], int]], ...] = (
    ("breached", lambda tenant_id: cases.mark_breached(tenant_id)),        # PA2020-20 time limits
    ("finished", lambda tenant_id: decisions.finish_pending(tenant_id)),   # interrupted decisions
)


def sweep_report_cases(unit: Unit, budget: Budget) -> Outcome:
    """The steps in order, each done whole, the checkpoint naming the next; then every queued delivery whose
    own message is overdue (lost, or never sent) is queued again as its own unit."""
    done: dict[str, Any] = {}
    for index in range(int(unit.checkpoint.get("next", 0)), len(_SWEEP_STEPS)):
        if budget.spent():
            return Unfinished({"next": index}, done)
        name, step = _SWEEP_STEPS[index]
        done[name] = step(unit.tenant)
    stale = webhooks.overdue(unit.tenant)
    deliveries = [("webhooks", Unit("webhook-delivery", unit.run, unit.tenant, key)) for key in stale]
    return Done({**done, "requeued": len(stale), "redelivered": 0}, deliveries)


def export_due(unit: Unit, budget: Budget) -> Outcome:
    """The tenant's newest ended period, if it has no filing yet, becomes its own unit on the exports queue."""
    period = filings.due_period(unit.tenant)
    if period is None:
        return Done({"exported": []})
    return Done({"exported": []}, [("exports", Unit("export-filing", unit.run, unit.tenant, period))])


def export_filing(unit: Unit, budget: Budget) -> Outcome:
    """MB2018-9/10, PA2017-7, PA2020-19: one period's plan, in the 15-minute exports function: its source records
    read a group a step and staged per province, then one unit per province of registration."""
    if filings.is_filed(unit.tenant, unit.unit):
        return Done({"exported": []})
    step = fanout.plan(unit.tenant, unit.unit, unit.run, unit.checkpoint, stop=budget.spent)
    if not step.finished:
        return Unfinished(step.checkpoint, {})
    provinces = [("exports", Unit("export-filing-province", unit.run, unit.tenant, f"{unit.unit}/{code}"))
                 for code in step.provinces]
    return Done(_exported(unit.tenant, unit.unit, step), provinces)


def export_province(unit: Unit, budget: Budget) -> Outcome:
    """One province's part of a period's filing; the province that completes the plan records the filing."""
    period, _, code = unit.unit.partition("/")
    if not code:
        raise ValueError(f"not a period/province unit: {unit.unit!r}")
    if filings.is_filed(unit.tenant, period):
        return Done({"exported": []})
    step = fanout.province(unit.tenant, period, unit.run, code, unit.checkpoint, stop=budget.spent)
    if not step.finished:
        return Unfinished(step.checkpoint, {})
    return Done(_exported(unit.tenant, period, step))


def _exported(tenant_id: str, period: str, step: fanout.Step) -> dict[str, Any]:
    return {"exported": [f"{tenant_id}/{period}"] if step.filed is not None else []}


def verify_audit_chain(unit: Unit, budget: Budget) -> Outcome:
    """GR2017-11, PA2017-13: from the stored checkpoint to the head, a page at a time."""
    report = audit_verification.verify_incrementally(unit.tenant, stop=budget.spent)
    counts = {"checked": report["checked"], "broken": 0 if report["verified"] is not False else 1}
    if report["complete"]:
        return Done(counts)
    return Unfinished({}, counts)


def deliver_webhook(unit: Unit, budget: Budget) -> Outcome:
    """PA2020-20 feedback: one attempt at one queued delivery a step; a failure is sent again after its backoff,
    until the delivery's deadline or its last attempt."""
    state = webhooks.attempt(unit.tenant, unit.unit)
    if state is webhooks.Attempt.RETRY:
        return Unfinished({}, {}, webhooks.backoff_seconds(unit.step + 1))
    return Done({"redelivered": int(state is webhooks.Attempt.DELIVERED),
                 "abandoned": int(state is webhooks.Attempt.ABANDONED)})


WORK: dict[str, Work] = {
    "expire-lapsed-verifications": expire_lapsed,
    "sweep-report-cases": sweep_report_cases,
    "export-filings": export_due,
    "export-filing": export_filing,
    "export-filing-province": export_province,
    "suspend-inactive-accounts": whole("suspended", account_lifecycle.suspend_inactive),
    "evaluate-metrics": whole("flagged", counters.evaluate),
    "anchor-audit-heads": whole("anchored", audit_anchors.anchor),
    "verify-audit-chains": verify_audit_chain,
    "webhook-delivery": deliver_webhook,
}
