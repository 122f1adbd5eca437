"""The Lambda functions of scheduled work: schedules that only queue, and the queue handlers.

Each schedule queues one unit per tenant on its queue and returns; `jobs`, `exports`, `webhooks` and `anchors`
each have their own function (timeout and memory in .chalice/config.json; exports up to 15 minutes) taking one
message a call (chalicelib/jobs/runner.py). The run id is the schedule's own time, so EventBridge firing
one tick twice queues units the ledger already knows.
"""

from __future__ import annotations

from typing import Any

from chalice import Blueprint, Cron, Rate

from chalicelib.jobs.runner import fan_out, handle

bp = Blueprint(__name__)
# The queues' names as deployed; infra/template.json points each event source at its own stage's queue.
QUEUE_NAMES = {"jobs": "compliance-api-jobs", "exports": "compliance-api-exports",
               "webhooks": "compliance-api-webhooks", "anchors": "compliance-api-anchors"}
# Each queue's function timeout in seconds, as .chalice/config.json gives it (a test holds them equal).
TIMEOUTS = {"jobs": 120, "exports": 900, "webhooks": 60, "anchors": 60}


def _run_id(event: Any) -> str:
    return str(getattr(event, "time", None) or "now")


def _fire(name: str, event: Any) -> dict[str, Any]:
    run = _run_id(event)
    return {"job": name, "run": run, "queued": len(fan_out(name, run))}


@bp.schedule(Rate(1, unit=Rate.HOURS), name="expire-lapsed-verifications")
def expire_lapsed_verifications(event: Any) -> dict[str, Any]:
    """MB2018-7 periodic confirmation: mark verifications past their re-confirmation date EXPIRED."""
    return _fire("expire-lapsed-verifications", event)


@bp.schedule(Rate(15, unit=Rate.MINUTES), name="sweep-report-cases")
def sweep_report_cases(event: Any) -> dict[str, Any]:
    """PA2020-20 time limits: mark open cases past due, finish interrupted decisions, requeue lost deliveries."""
    return _fire("sweep-report-cases", event)


@bp.schedule(Cron(0, 18, "*", "*", "?", "*"), name="export-filings")
def export_filings(event: Any) -> dict[str, Any]:
    """Daily at 02:00 China time: each tenant's newest ended period, once (MB2018-9/10, PA2017-7, PA2020-19)."""
    return _fire("export-filings", event)


@bp.schedule(Cron(30, 18, "*", "*", "?", "*"), name="suspend-inactive-accounts")
def suspend_inactive_accounts(event: Any) -> dict[str, Any]:
    """PA2020-10: daily, suspend accounts unused for accounts.inactive_days, each with a notice."""
    return _fire("suspend-inactive-accounts", event)


@bp.schedule(Rate(1, unit=Rate.HOURS), name="evaluate-metrics")
def evaluate_metrics(event: Any) -> dict[str, Any]:
    """PA2020-12: evaluate the counter series that received readings since the last run."""
    return _fire("evaluate-metrics", event)


@bp.schedule(Rate(15, unit=Rate.MINUTES), name="anchor-audit-heads")
def anchor_audit_heads(event: Any) -> dict[str, Any]:
    """GR2017-11, PA2017-11, PA2017-13: copy each tenant's sealed audit head to the Object Lock bucket."""
    return _fire("anchor-audit-heads", event)


@bp.schedule(Cron(0, 19, "*", "*", "?", "*"), name="verify-audit-chains")
def verify_audit_chains(event: Any) -> dict[str, Any]:
    """GR2017-11, PA2017-13: daily, verify every chain from its checkpoint; a break raises AuditChainBroken."""
    return _fire("verify-audit-chains", event)


# Every schedule by name, with its rate in seconds (make run fires each on it, or every SCHEDULE_EVERY_S).
SCHEDULES: dict[str, tuple[Any, int]] = {
    "expire-lapsed-verifications": (expire_lapsed_verifications, 3600),
    "sweep-report-cases": (sweep_report_cases, 900),
    "export-filings": (export_filings, 86400),
    "suspend-inactive-accounts": (suspend_inactive_accounts, 86400),
    "evaluate-metrics": (evaluate_metrics, 3600),
    "anchor-audit-heads": (anchor_audit_heads, 900),
    "verify-audit-chains": (verify_audit_chains, 86400),
}
# Each queue's function, by queue.
HANDLERS: dict[str, Any] = {}


def _each(event: Any) -> list[dict[str, Any]]:
    return [handle(record.body, record.context) for record in event]


@bp.on_sqs_message(queue=QUEUE_NAMES["jobs"], batch_size=1, name="run-unit")
def run_unit(event: Any) -> list[dict[str, Any]]:
    return _each(event)


@bp.on_sqs_message(queue=QUEUE_NAMES["exports"], batch_size=1, name="run-export")
def run_export(event: Any) -> list[dict[str, Any]]:
    return _each(event)


@bp.on_sqs_message(queue=QUEUE_NAMES["webhooks"], batch_size=1, name="deliver-webhook")
def deliver_webhook(event: Any) -> list[dict[str, Any]]:
    return _each(event)


# Anchoring has a function of its own: its role may only verify the audit head's MAC, never make one, so the code
# that copies heads out of the table cannot also forge them (infra/template.json, GR2017-11, PA2017-13).
@bp.on_sqs_message(queue=QUEUE_NAMES["anchors"], batch_size=1, name="run-anchor")
def run_anchor(event: Any) -> list[dict[str, Any]]:
    return _each(event)


HANDLERS.update({"jobs": run_unit, "exports": run_export, "webhooks": deliver_webhook, "anchors": run_anchor})
