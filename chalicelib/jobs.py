"""Scheduled functions: sweeps that keep stored state in step with time.

Each runs tenant by tenant; a tenant whose work fails is logged and counted (metric
ScheduledTenantFailures) and the others still run. The run then fails, so the scheduler
retries it: every job is safe to run again (finished work is skipped or repeated harmlessly).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from aws_lambda_powertools.metrics import MetricUnit
from chalice import Blueprint, Cron, Rate

from chalicelib.accounts import lifecycle as account_lifecycle
from chalicelib.audit import anchors as audit_anchors
from chalicelib.core.observability import logger, metrics
from chalicelib.filings import export as filings
from chalicelib.identity import subjects
from chalicelib.metrics import service as counters
from chalicelib.reports import cases, decisions, webhooks
from chalicelib.tenants import service as tenants

bp = Blueprint(__name__)
T = TypeVar("T")


class TenantsFailed(RuntimeError):
    """Some tenants' work failed in a scheduled run (the others completed)."""


def _each_tenant(job: str, work: Callable[[str], T], results: Callable[[list[T]], dict]) -> dict:
    """`work` for every tenant, one failure not stopping the rest; the job's metrics are flushed either
    way, then the run fails if a tenant did."""
    done: list[T] = []
    failed: list[str] = []
    for tenant in tenants.list_tenants():
        try:
            done.append(work(tenant.tenant_id))
        except Exception:  # noqa: BLE001 - one tenant's failure, whatever it is, must not stop the others
            logger.exception("scheduled work failed for a tenant", extra={"job": job, "tenant_id": tenant.tenant_id})
            failed.append(tenant.tenant_id)
    summary = results(done)
    if failed:
        metrics.add_metric(name="ScheduledTenantFailures", unit=MetricUnit.Count, value=len(failed))
    metrics.flush_metrics()
    if failed:
        raise TenantsFailed(f"{job}: {len(failed)} tenant(s) failed: {', '.join(failed[:20])}")
    return summary


def _counted(name: str, key: str) -> Callable[[list[int]], dict]:
    def results(counts: list[int]) -> dict:
        metrics.add_metric(name=name, unit=MetricUnit.Count, value=sum(counts))
        return {key: sum(counts)}

    return results


@bp.schedule(Rate(1, unit=Rate.HOURS), name="expire-lapsed-verifications")
def expire_lapsed_verifications(event: object) -> dict:
    """MB2018-7 periodic confirmation: mark verifications past their re-confirmation date EXPIRED."""
    return _each_tenant("expire-lapsed-verifications", subjects.expire_lapsed,
                        _counted("VerificationsExpired", "expired"))


@bp.schedule(Rate(15, unit=Rate.MINUTES), name="sweep-report-cases")
def sweep_report_cases(event: object) -> dict:
    """PA2020-20 time limits: mark open cases past due (metric CasesBreached), finish decisions an
    interrupted request left PENDING, and retry webhook deliveries that failed."""
    def sweep(tenant_id: str) -> tuple[int, int, int]:
        return cases.mark_breached(tenant_id), decisions.finish_pending(tenant_id), webhooks.redeliver(tenant_id)

    def results(done: list[tuple[int, int, int]]) -> dict:
        breached, finished, redelivered = (sum(column) for column in zip(*done, strict=True)) if done else (0, 0, 0)
        metrics.add_metric(name="CasesBreached", unit=MetricUnit.Count, value=breached)
        return {"breached": breached, "finished": finished, "redelivered": redelivered}

    return _each_tenant("sweep-report-cases", sweep, results)


@bp.schedule(Cron(0, 18, "*", "*", "?", "*"), name="export-filings")
def export_filings(event: object) -> dict:
    """Every day at 02:00 China time: export each tenant's newest ended period once (policy
    filings.period), for the internet information offices (MB2018-9/10, PA2017-7, PA2020-19)."""
    def results(done: list[str | None]) -> dict:
        exported = [item for item in done if item]
        metrics.add_metric(name="FilingsExported", unit=MetricUnit.Count, value=len(exported))
        return {"exported": exported}

    return _each_tenant("export-filings", filings.export_due, results)


@bp.schedule(Cron(30, 18, "*", "*", "?", "*"), name="suspend-inactive-accounts")
def suspend_inactive_accounts(event: object) -> dict:
    """PA2020-10: daily, suspend accounts unused for accounts.inactive_days, each with a notice."""
    return _each_tenant("suspend-inactive-accounts", account_lifecycle.suspend_inactive,
                        _counted("AccountsSuspendedInactive", "suspended"))


@bp.schedule(Rate(1, unit=Rate.HOURS), name="evaluate-metrics")
def evaluate_metrics(event: object) -> dict:
    """PA2020-12: evaluate the counter series that received readings since the last run."""
    return _each_tenant("evaluate-metrics", counters.evaluate, _counted("MetricFlags", "flagged"))


@bp.schedule(Rate(15, unit=Rate.MINUTES), name="anchor-audit-heads")
def anchor_audit_heads(event: object) -> dict:
    """GR2017-11, PA2017-11, PA2017-13: copy each tenant's sealed audit head (seq, hash, mac, at) to the
    Object Lock bucket, so no one can cut the chain below it undetected; a missing, forged or rolled-back
    head fails the tenant's turn (and the run) instead of being anchored."""
    return _each_tenant("anchor-audit-heads", audit_anchors.anchor, _counted("AuditAnchorsWritten", "anchored"))
