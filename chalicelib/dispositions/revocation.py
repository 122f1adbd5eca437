"""Revoking dispositions (RL2020-11: an overturned appeal, or an operator): each effect a disposition caused
is reversed (its strike, the blacklist entries still its own, its name and avatar bans) by marking, never
deleting, so the record of what happened stays; all of it in one transaction with its events.
"""

from __future__ import annotations

from typing import Any

from chalicelib.avatars import store as avatar_storage
from chalicelib.core import audit_events as audit, audit_trail, clock, ids
from chalicelib.core.audit_chain import Event
from chalicelib.core.errors import Conflict
from chalicelib.dispositions import store as storage
from chalicelib.dispositions.blacklist_rules import blacklist_entries
from chalicelib.dispositions.records import view
from chalicelib.dispositions.rules import summarised
from chalicelib.names import store as names_storage
from chalicelib.names.index import BANNED


def revoke(tenant_id: str, disposition_id: str, reason: str, actor: str | None = None) -> dict[str, Any]:
    """Reverse every effect a disposition caused (an overturned appeal, RL2020-11), recorded."""
    record = storage.store().by_id(tenant_id, disposition_id)
    if record is None:
        raise ids.not_found(ids.Kind.DISPOSITION, disposition_id)
    if record["status"] != "ACTIVE":
        raise Conflict("The disposition is already revoked.", message_zh="该处置已撤销。", code="DISPOSITION_REVOKED")
    at = clock.iso()
    ops, event = revocation(tenant_id, [record], at, reason, actor)
    try:
        storage.store().commit(tenant_id, ops, event)
    except audit_trail.ConditionFailed as exc:
        raise Conflict("The disposition changed meanwhile; retry.", message_zh="处置记录已变更，请重试。",
                       code="DISPOSITION_CONTENDED") from exc
    return view({**record, "status": "REVOKED", "revoked_at": at, "revoked_reason": reason, "revoked_by": actor})


def revocation(tenant_id: str, records: list[dict[str, Any]], at: str, reason: str,
               actor: str | None = None) -> tuple[list[dict[str, Any]], list[Event]]:
    """The transaction items and events that revoke ACTIVE dispositions, reversing what each caused:
    its strike, the blacklist entries still its own, its name ban; `actor` is who revoked (RL2020-11)."""
    ops: list[dict[str, Any]] = []
    events, bans, avatar_bans = [], [], []
    ours: list[dict[str, Any]] = []
    for record in records:
        effects = record.get("effects", {})
        listed = storage.store().blacklist_records(tenant_id,
                                            [(e["list_type"], e["key"]) for e in effects.get("blacklist", [])])
        ours += [e for r in listed.values() for e in blacklist_entries(r)
                 if e["source_disposition"] == record["disposition_id"] and e.get("status") == "ACTIVE"]
        ops += storage.store().revoke_ops(tenant_id, record, at, reason, actor)
        if effects.get("name_ban"):
            bans.append(effects["name_ban"])
        if effects.get("avatar_ban"):
            avatar_bans.append(effects["avatar_ban"])
        events.append(audit.event(tenant_id, "disposition.revoke", disposition_id=record["disposition_id"],
                                  reason=reason[:200], revoked_by=actor))
    ops += storage.store().unlisting_ops(tenant_id, ours, "REVOKED", at, reason)
    ops += storage.store().summary_ops(tenant_id, [], [r for r in records if summarised(r)])
    if bans:
        ops += names_storage.store().remove_ops(tenant_id, BANNED, bans)
    if avatar_bans:
        ops += avatar_storage.store().remove_ops(tenant_id, "BANNED", avatar_bans)
    return ops, events
