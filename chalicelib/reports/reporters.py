"""Reporters: feedback on every report, and screening for malicious reporting (PA2017-15, PA2020-20).

When a case is decided, every report on it gets the feedback (on the report, where the tracking
token shows it, and in the reporter's feedback list), and every account reporter's record counts
the report as founded or unfounded. A reporter whose reports are mostly unfounded is warned, then
restricted for a time: their reports are still taken, flagged LOW priority (never dropped).
"""

from __future__ import annotations

from typing import Any

from chalicelib.core import audit_events as audit, audit_trail, clock, policy
from chalicelib.reports import intake as reports, reporter_rules, rules

CHUNK = 30  # reports per transaction: report, feedback record and reporter record stay under 100 items


def record_feedback(tenant_id: str, links: list[dict[str, Any]], feedback: dict[str, Any]) -> dict[str, int]:
    """Give every report on the case (`links`: its report items) its feedback, exactly once each
    (a retry skips what is done)."""
    founded = rules.is_violation(feedback["outcome"])
    recorded = 0
    for start in range(0, len(links), CHUNK):
        chunk = links[start:start + CHUNK]
        store = reports.store()
        if store.apply(store.feedback_ops(tenant_id, chunk, feedback, founded)):
            recorded += len(chunk)
            continue
        for link in chunk:  # some were given feedback by an earlier, interrupted run: one by one
            recorded += store.apply(store.feedback_ops(tenant_id, [link], feedback, founded))
    if not founded:
        for rkey in {link["reporter_key"] for link in links if not link["reporter_key"].startswith("anon-")}:
            escalate(tenant_id, rkey)
    return {"reports": len(links), "recorded_now": recorded}


def escalate(tenant_id: str, rkey: str) -> str | None:
    """PA2017-15: warn, then restrict, a reporter whose reports are mostly unfounded; told in their feedback."""
    settings = policy.setting(tenant_id, "reports", "misuse")
    item = reports.store().reporter(tenant_id, rkey)
    record = reporter_rules.ReporterRecord.of(item)
    step = reporter_rules.escalation(record, clock.now(), min_decided=settings["min_decided"],
                            unfounded_share=settings["unfounded_share"], restriction_days=settings["restriction_days"])
    if step is None:
        return None
    action, until = step
    now = clock.iso()
    if action is reporter_rules.Escalation.WARN:
        changes: dict[str, Any] = {"warned_at": now}
        message, message_zh = ("Most of your reports were found unfounded; malicious reporting leads to restrictions.",
                               "您的举报多数经核查不实，恶意举报将被限制举报功能。")
    else:
        changes = {"restricted_until": until}
        message, message_zh = (f"Your reports are taken with low priority until {until}: most were found unfounded.",
                               f"因多数举报经核查不实，{until} 前您的举报将列为低优先级处理。")
    notice = {"kind": action.value, "decided_at": now, "message": message, "message_zh": message_zh,
              "article": "PA2017-15", "restricted_until": until, "decided": record.decided,
              "unfounded": record.unfounded}
    ops = reports.store().escalation_ops(tenant_id, rkey, record.decided, changes, notice)
    try:
        reports.store().commit(tenant_id, ops, audit.event(
            tenant_id, f"reporter.{action.value.lower()}", reporter=rkey, restricted_until=until,
            decided=record.decided, unfounded=record.unfounded))
    except audit_trail.ConditionFailed:
        return None  # another decision counted meanwhile; it escalates on its own reading
    return action.value


def feedback(tenant_id: str, account_id: str, limit: int, cursor: str | None) -> dict[str, Any]:
    items, next_cursor = reports.store().feedback_page(tenant_id, account_id, limit, cursor)
    record = reporter_rules.ReporterRecord.of(reports.store().reporter(tenant_id, account_id))
    return {"account_id": account_id,
            "record": {"decided": record.decided, "unfounded": record.unfounded, "warned_at": record.warned_at,
                       "restricted_until": record.restricted_until},
            "items": [{k: v for k, v in i.items() if k not in ("PK", "SK")} for i in items], "next_cursor": next_cursor}
