"""Filings with the internet information offices (MB2018-9/10, GR2017-7/11, PA2017-7/13, PA2020-7/10/19).

For one tenant and one ended period, per province of registration: public accounts by
category, subjects with several public accounts (business scope, account list), V-verified
accounts by category, and the dispositions and blacklistings reported to the competent
departments. Written to ``filings/{tenant}/{period}/{province}/`` as CSV and JSONL, with
``manifest.json`` (counts, SHA-256 of every file, generator version, the policy in force).
The schedule files a period as one unit per province (chalicelib/filings/fanout.py); the operator's
export here runs the same steps in one process. Queries are paginated and rows spill to disk, so
memory stays flat as records grow. Identity data is decrypted only here, and only the subject's
name: documents stay masked.
"""

from __future__ import annotations

import uuid
from typing import Any

from chalicelib.core import aws, clock, policy
from chalicelib.core.config import settings
from chalicelib.core.errors import InvalidRequest, Unprocessable
from chalicelib.filings import fanout, rules, sources
from chalicelib.filings.store import FilingStore

URL_SECONDS = 900
Progress = sources.Progress
UPFRONT_CATEGORIES = sources.UPFRONT_CATEGORIES


def _store() -> FilingStore:
    return sources.store()


def _bounds(period: str) -> tuple[str, str]:
    try:
        start, end = rules.period_bounds(period)
    except ValueError as exc:
        raise InvalidRequest(str(exc), message_zh="报送周期格式应为 2026-11 或 2026-Q4。",
                             code="PERIOD_INVALID") from exc
    if end > clock.iso():
        raise Unprocessable(f"The period {period} has not ended.", message_zh="报送周期尚未结束。",
                            code="PERIOD_NOT_ENDED")
    return start, end


def export(tenant_id: str, period: str, *, progress: Progress | None = None) -> dict[str, Any]:
    """The operator's export of one ended period: the plan and every province in this process, the filing
    recorded (again, if the period was filed before) with its audit event."""
    _bounds(period)
    tick = progress or (lambda stage, count: None)
    run = f"operator-{uuid.uuid4().hex}"
    planned = fanout.plan(tenant_id, period, run, {}, tick=tick, replace=True)
    record = planned.filed
    for code in planned.provinces:
        record = fanout.province(tenant_id, period, run, code, {}, replace=True).filed or record
        tick("upload", 1)
    assert record is not None, "every province filed, the last one records the filing"
    return view(record)


def expected(tenant_id: str, period: str) -> int:
    """How many source records an export reads (a progress bar's total)."""
    start, end = _bounds(period)
    return sources.expected(tenant_id, start, end)


def listing(tenant_id: str, limit: int, cursor: str | None) -> dict[str, Any]:
    items, next_cursor = _store().filings_page(tenant_id, limit, cursor)
    return {"items": [view(i, urls=True) for i in items], "next_cursor": next_cursor}


def _url(key: str) -> str:
    return aws.client("s3").generate_presigned_url("get_object",
                                                   Params={"Bucket": settings().filings_bucket, "Key": key},
                                                   ExpiresIn=URL_SECONDS)


def view(record: dict[str, Any], *, urls: bool = False) -> dict[str, Any]:
    found = {k: record[k] for k in ("period", "generated_at", "manifest_key", "totals", "provinces",
                                    "generator_version")}
    found["files"] = [{**f, **({"url": _url(f["key"])} if urls else {})} for f in record["files"]]
    if urls:
        found["manifest_url"] = _url(record["manifest_key"])
        found["urls_expire_in"] = URL_SECONDS
    return found


def due_period(tenant_id: str) -> str | None:
    """The tenant's newest ended period (policy filings.period) when it has no filing yet."""
    period = rules.last_complete_period(clock.now(), policy.setting(tenant_id, "filings", "period"))
    return None if is_filed(tenant_id, period) else period


def is_filed(tenant_id: str, period: str) -> bool:
    return _store().filing(tenant_id, period) is not None


def export_due(tenant_id: str) -> str | None:
    """The tenant's due period exported now in this process (the demo data), "tenant/period", or None when it
    was already filed."""
    period = due_period(tenant_id)
    if period is None:
        return None
    export(tenant_id, period)
    return f"{tenant_id}/{period}"
