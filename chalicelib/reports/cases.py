"""Cases: the one open case per target that reports join, listed by deadline, swept for breaches,
and counted the way a regulator asks (MB2018-14, GR2017-12, PA2017-15, PA2020-20).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from chalicelib.core import clock, ids
from chalicelib.core.errors import InvalidRequest
from chalicelib.dispositions import reasons
from chalicelib.reports import intake as reports, report_views, rules, stats_rules

STATS_MAX_DAYS = 366


def require(tenant_id: str, case_id: str) -> dict[str, Any]:
    return ids.require(ids.Kind.CASE, case_id, lambda i: reports.store().case(tenant_id, i))


def get(tenant_id: str, case_id: str) -> dict[str, Any]:
    return view(require(tenant_id, case_id), clock.iso())


def listing(tenant_id: str, status: str, due_before: str | None, category: str | None, limit: int,
            cursor: str | None, source: str | None = None) -> dict[str, Any]:
    """Cases sorted by deadline, earliest first. BREACHED = open and past due now."""
    now = clock.iso()
    if status == "BREACHED":
        status, due_before = "OPEN", min(due_before or now, now)
    items, next_cursor = reports.store().cases_page(tenant_id, status, due_before, category, limit, cursor, source)
    return {"items": [view(i, now) for i in items], "next_cursor": next_cursor}


def reports_of(tenant_id: str, case_id: str, limit: int, cursor: str | None) -> dict[str, Any]:
    """Every report on a case with its feedback state: the proof that each reporter was answered."""
    require(tenant_id, case_id)
    links, next_cursor = reports.store().case_reports(tenant_id, case_id, limit, cursor)
    found = reports.store().reports_by_id(tenant_id, [link["report_id"] for link in links])
    return {"case_id": case_id, "items": [report_views.view(found[link["report_id"]]) for link in links
                                          if link["report_id"] in found], "next_cursor": next_cursor}


def stats(tenant_id: str, start: str | None, end: str | None) -> dict[str, Any]:
    """Per category, for decisions in [from, to] and cases open now: counts, lateness, median hours."""
    now = clock.now()
    end = end or clock.iso(now)
    start = start or clock.iso(now - timedelta(days=30))
    if start > end:
        raise InvalidRequest("from must not be after to.", message_zh="起始时间不能晚于结束时间。",
                             code="RANGE_INVALID")
    if stats_rules.hours_between(start, end) > STATS_MAX_DAYS * 24:
        raise InvalidRequest(f"The range may span at most {STATS_MAX_DAYS} days.",
                             message_zh=f"统计区间最长 {STATS_MAX_DAYS} 天。", code="RANGE_TOO_LONG")
    decided = reports.store().decisions(tenant_id, start, end)
    open_cases = reports.store().open_cases(tenant_id)
    now_iso = clock.iso(now)
    return {"from": start, "to": end, "generated_at": now_iso, "article": "PA2020-20",
            "totals": stats_rules.total_stats(decided, open_cases, now_iso),
            "categories": stats_rules.case_stats(decided, open_cases, now_iso),
            "sources": stats_rules.case_stats(decided, open_cases, now_iso, group=lambda i: rules.source_of(i).value),
            "statement_of_reasons": reasons.breakdown([reasons.read(d, rules.source_of(d).value) for d in decided])}


def mark_breached(tenant_id: str) -> int:
    """Mark open cases past their deadline (once each); the count feeds the CasesBreached metric."""
    now = clock.iso()
    marked = 0
    for case in reports.store().open_cases(tenant_id, due_before=rules.overdue_sort_key_bound(now)):
        if case.get("breached_at"):
            continue
        reports.store().mark_breached(tenant_id, case, now)
        marked += 1
    return marked


_VIEW = ("case_id", "status", "category", "opened_at", "due_at", "reports", "priority",
         "breached_at", "decision", "effects_status", "feedback", "webhook", "pending_appeal", "appeals",
         "target_account_id", "checks", "description", "attachments", "opened_by", "order", "deadline_rule")


def view(case: dict[str, Any], now: str) -> dict[str, Any]:
    found = {k: case[k] for k in _VIEW if case.get(k) is not None}
    source = rules.source_of(case)
    found["source"] = source.value
    found["target"] = {"type": case["target_type"], "id": case["target_id"]}
    found["categories"] = {k: int(v) for k, v in sorted(case.get("categories", {}).items())}
    if "checks" in found:
        found["checks"] = int(found["checks"])
    if case.get("evidence"):  # a CHECK case: what each check of the object found, by kind and scene
        found["evidence"] = [{**e, "hits_total": int(e["hits_total"])} for _, e in sorted(case["evidence"].items())]
    if "decision" in found:
        decision = {k: v for k, v in found["decision"].items() if k != "fingerprint"}
        found["decision"] = {**decision, **reasons.read(decision, source.value)}
    decided_at = case.get("decision", {}).get("decided_at")
    found["overdue"] = rules.is_overdue(case["due_at"], decided_at or now)
    return found
