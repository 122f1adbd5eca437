"""Scheduled functions: sweeps that keep stored state in step with time."""

from __future__ import annotations

from aws_lambda_powertools.metrics import MetricUnit
from chalice import Blueprint, Rate

from chalicelib.observability import metrics
from chalicelib.services import subjects, tenants

bp = Blueprint(__name__)


@bp.schedule(Rate(1, unit=Rate.HOURS), name="expire-lapsed-verifications")
def expire_lapsed_verifications(event: object) -> dict:
    """MB2018-7 periodic confirmation: mark verifications past their re-confirmation date EXPIRED."""
    expired = subjects.expire_lapsed([t.tenant_id for t in tenants.list_tenants()])
    metrics.add_metric(name="VerificationsExpired", unit=MetricUnit.Count, value=expired)
    metrics.flush_metrics()
    return {"expired": expired}
