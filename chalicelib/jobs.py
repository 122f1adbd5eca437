"""Scheduled functions: sweeps that keep stored state in step with time."""

from __future__ import annotations

from aws_lambda_powertools.metrics import MetricUnit
from chalice import Blueprint, Cron, Rate

from chalicelib.observability import metrics
from chalicelib.services import account_lifecycle, cases, metrics as counters, decisions, filings, subjects, tenants, webhooks

bp = Blueprint(__name__)


@bp.schedule(Rate(1, unit=Rate.HOURS), name="expire-lapsed-verifications")
def expire_lapsed_verifications(event: object) -> dict:
    """MB2018-7 periodic confirmation: mark verifications past their re-confirmation date EXPIRED."""
    expired = subjects.expire_lapsed([t.tenant_id for t in tenants.list_tenants()])
    metrics.add_metric(name="VerificationsExpired", unit=MetricUnit.Count, value=expired)
    metrics.flush_metrics()
    return {"expired": expired}


@bp.schedule(Rate(15, unit=Rate.MINUTES), name="sweep-report-cases")
def sweep_report_cases(event: object) -> dict:
    """PA2020-20 time limits: mark open cases past due (metric CasesBreached), finish decisions an
    interrupted request left PENDING, and retry webhook deliveries that failed."""
    breached = finished = redelivered = 0
    for tenant in tenants.list_tenants():
        breached += cases.mark_breached(tenant.tenant_id)
        finished += decisions.finish_pending(tenant.tenant_id)
        redelivered += webhooks.redeliver(tenant.tenant_id)
    metrics.add_metric(name="CasesBreached", unit=MetricUnit.Count, value=breached)
    metrics.flush_metrics()
    return {"breached": breached, "finished": finished, "redelivered": redelivered}


@bp.schedule(Cron(0, 18, "*", "*", "?", "*"), name="export-filings")
def export_filings(event: object) -> dict:
    """Every day at 02:00 China time: export each tenant's newest ended period once (policy
    filings.period), for the internet information offices (MB2018-9/10, PA2017-7, PA2020-19)."""
    exported = filings.export_due([t.tenant_id for t in tenants.list_tenants()])
    metrics.add_metric(name="FilingsExported", unit=MetricUnit.Count, value=len(exported))
    metrics.flush_metrics()
    return {"exported": exported}


@bp.schedule(Cron(30, 18, "*", "*", "?", "*"), name="suspend-inactive-accounts")
def suspend_inactive_accounts(event: object) -> dict:
    """PA2020-10: daily, suspend accounts unused for accounts.inactive_days, each with a notice."""
    suspended = sum(account_lifecycle.suspend_inactive(t.tenant_id) for t in tenants.list_tenants())
    metrics.add_metric(name="AccountsSuspendedInactive", unit=MetricUnit.Count, value=suspended)
    metrics.flush_metrics()
    return {"suspended": suspended}


@bp.schedule(Rate(1, unit=Rate.HOURS), name="evaluate-metrics")
def evaluate_metrics(event: object) -> dict:
    """PA2020-12: evaluate the counter series that received readings since the last run."""
    flagged = sum(counters.evaluate(t.tenant_id) for t in tenants.list_tenants())
    metrics.add_metric(name="MetricFlags", unit=MetricUnit.Count, value=flagged)
    metrics.flush_metrics()
    return {"flagged": flagged}
