"""Per-job and per-tenant figures of scheduled work, as CloudWatch embedded metrics and one log line a unit.

Metrics carry the job as their dimension (JobUnitsDone, JobUnitFailures, JobUnitDurationMs,
JobUnitsContinued, JobUnitsDuplicate, JobBacklog); the tenant, run and unit ride along as properties of
the same record, so Logs Insights answers per tenant without a custom metric per tenant (1,000 tenants x
six metrics x nine jobs would be 54,000 billed series).
"""

from __future__ import annotations

import os
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit, single_metric

from chalicelib.core.observability import NAMESPACE, logger
from chalicelib.core.work_queues import Unit


def _emit(name: str, unit: MetricUnit, value: float, job: str, properties: dict[str, Any]) -> None:
    if os.environ.get("POWERTOOLS_METRICS_DISABLED", "").lower() in {"1", "true"}:
        return  # single_metric does not read the switch Metrics honours (make job prints its answer instead)
    with single_metric(name=name, unit=unit, value=value, namespace=NAMESPACE,
                       default_dimensions={"job": job}) as metric:
        for key, item in properties.items():
            metric.add_metadata(key=key, value=item)


def _properties(work: Unit) -> dict[str, Any]:
    return {"tenant_id": work.tenant, "run": work.run, "unit": work.unit, "step": work.step}


def finished(work: Unit, duration_ms: int, result: dict[str, Any]) -> None:
    _emit("JobUnitsDone", MetricUnit.Count, 1, work.job, _properties(work))
    _emit("JobUnitDurationMs", MetricUnit.Milliseconds, duration_ms, work.job, _properties(work))
    logger.info("unit done", extra={"job": work.job, **_properties(work), "duration_ms": duration_ms,
                                    "result": result})


def continued(work: Unit, duration_ms: int) -> None:
    _emit("JobUnitsContinued", MetricUnit.Count, 1, work.job, _properties(work))
    _emit("JobUnitDurationMs", MetricUnit.Milliseconds, duration_ms, work.job, _properties(work))
    logger.info("unit continues", extra={"job": work.job, **_properties(work), "duration_ms": duration_ms})


def failed(work: Unit, duration_ms: int) -> None:
    _emit("JobUnitFailures", MetricUnit.Count, 1, work.job, _properties(work))
    logger.exception("unit failed", extra={"job": work.job, **_properties(work), "duration_ms": duration_ms})


def duplicate(work: Unit) -> None:
    _emit("JobUnitsDuplicate", MetricUnit.Count, 1, work.job, _properties(work))
    logger.info("unit already done", extra={"job": work.job, **_properties(work)})


def queued(job: str, count: int, backlog: dict[str, int]) -> None:
    _emit("JobUnitsQueued", MetricUnit.Count, count, job, {})
    _emit("JobBacklog", MetricUnit.Count, backlog["waiting"] + backlog["delayed"], job, backlog)
    logger.info("units queued", extra={"job": job, "queued": count, "backlog": backlog})
