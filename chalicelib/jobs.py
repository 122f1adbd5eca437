"""Scheduled functions: sweeps that keep stored state in step with time."""

from __future__ import annotations

from aws_lambda_powertools.metrics import MetricUnit
from chalice import Blueprint, Rate

from chalicelib.observability import metrics
from chalicelib.services import cases, decisions, subjects, tenants, webhooks

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
