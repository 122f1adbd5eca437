"""Dispositions and their effects (GR2017-11, PA2017-13, PA2020-19), reversible on appeal.

A disposition is kept as a record and takes effect in the same transaction: a credit strike
on the subject (GR2017-7), blacklist entries for BLACKLIST (GR2017-11, RL2020-23), a
re-registration ban on the account's name for CLOSE_ACCOUNT and PROHIBIT_REREGISTRATION
(PA2020-8, PA2017-13). Revoking it (an overturned appeal) reverses each effect it caused, by
marking, never deleting, so the record of what happened stays.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from chalicelib.avatars import store as avatar_storage
from chalicelib.avatars.banks import entry_id
from chalicelib.core import audit_events as audit, audit_trail, clock, crypto, idempotency, ids, policy, stores
from chalicelib.core.audit_chain import Event
from chalicelib.core.auth import Principal
from chalicelib.core.errors import Conflict, Unprocessable
from chalicelib.dispositions import reasons, store as storage
from chalicelib.dispositions.reasons import CaseSource
from chalicelib.dispositions.rules import DEFAULT_BLACKLIST, RESTRICTS, DispositionType, blacklist_entries, in_force
from chalicelib.dispositions.store import DispositionsStore, summarised
from chalicelib.identity import subjects
from chalicelib.identity.documents import canonical_mobile
from chalicelib.names import store as names_storage
from chalicelib.names.index import BANNED

NAME_BANNING = {DispositionType.CLOSE_ACCOUNT, DispositionType.PROHIBIT_REREGISTRATION}


def _store() -> DispositionsStore:
    return storage.store()


def create(principal: Principal, body: dict[str, Any], idempotency_key: str | None,
           lambda_context: Any = None, actor: str | None = None) -> dict[str, Any]:
    if not idempotency_key:
        return _create(principal.tenant_id, body, actor)
    key = crypto.index_key(principal.tenant_id, stores.main_table())
    return idempotency.run_once(principal.tenant_id, "dispositions.create", idempotency_key,
                                idempotency.fingerprint(key, body), lambda: _create(principal.tenant_id, body, actor),
                                lambda_context)


def _window(body: dict[str, Any], now: datetime) -> tuple[str, str | None]:
    starts = body.get("starts_at") or clock.iso(now)
    ends = body.get("ends_at")
    if body.get("duration_hours"):
        ends = clock.iso(datetime.fromisoformat(starts.replace("Z",
                                                               "+00:00")) + timedelta(hours=body["duration_hours"]))
    if ends is not None and ends <= starts:
        raise Unprocessable("ends_at must be after starts_at.", message_zh="结束时间必须晚于开始时间。",
                            code="WINDOW_INVALID")
    return starts, ends


@dataclass
class Planned:
    """A disposition and the transaction items that record it and make it take effect, not yet written."""

    record: dict[str, Any]
    ops: list[dict[str, Any]]
    name_ban: dict[str, Any] | None
    event: Event
    avatar_ban: dict[str, Any] | None = None
    blacklist: list[dict[str, Any]] = field(default_factory=list)


def _create(tenant_id: str, body: dict[str, Any], actor: str | None) -> dict[str, Any]:
    planned = plan(tenant_id, body, actor=actor)
    _store().commit(tenant_id, effect_ops(tenant_id, [planned]), planned.event)
    return view(planned.record)


def effect_ops(tenant_id: str, planned: list[Planned]) -> list[dict[str, Any]]:
    """Every item of the planned dispositions, for one transaction (name bans bump the lexicon once)."""
    ops = [op for p in planned for op in p.ops]
    # Records several dispositions touch (one blacklist key, one avatar) are written once: DynamoDB refuses
    # a transaction that names one item twice.
    ops += _store().blacklisting_ops(tenant_id, [e for p in planned for e in p.blacklist])
    ops += _store().summary_ops(tenant_id, [p.record for p in planned if summarised(p.record)], [])
    bans = [p.name_ban for p in planned if p.name_ban]
    avatars = list({p.avatar_ban["entry_id"]: p.avatar_ban for p in planned if p.avatar_ban}.values())
    return (ops + (names_storage.store().add_ops(tenant_id, bans) if bans else [])
            + (avatar_storage.store().put_ops(tenant_id, avatars) if avatars else []))


def plan(tenant_id: str, body: dict[str, Any], disposition_id: str | None = None, *,
         source: CaseSource | None = None, actor: str | None = None) -> Planned:
    """Check a disposition request and build what applying it writes (404/422 before anything is written).

    `source` is what started its case (a disposition made on its own names it, or takes its case's)."""
    kind = DispositionType(body["type"])
    target = body["target"]
    subject_id = target["id"] if target["type"] == "SUBJECT" else body.get("subject_id")
    if subject_id is not None:
        subjects.require(tenant_id, subject_id)  # 404 for a subject this tenant never verified
    if kind is DispositionType.FUNCTION_LIMIT and not body.get("functions"):
        raise Unprocessable("FUNCTION_LIMIT needs the functions limited.",
                            message_zh="限制功能处置须列明被限制的功能。",
                            code="FUNCTIONS_REQUIRED", article="PA2020-19")
    started = source or CaseSource(body.get("source_type") or _store().case_source(tenant_id, body.get("case_id")))
    statement = reasons.statement(body, source=started, target_type=target["type"], actor=actor)
    now = clock.now()
    created = clock.iso(now)
    starts, ends = _window(body, now)
    disposition_id = disposition_id or new_id()
    settings = policy.current(tenant_id).effective["credit"]
    weight = settings["weights"][kind.value]
    blacklist = _blacklist_entries(tenant_id, kind, body, disposition_id, created, ends)
    name_ban = _name_ban(tenant_id, kind, target, disposition_id, body, now)
    avatar_ban = _avatar_ban(kind, target, disposition_id, body, now)
    record = {
        "disposition_id": disposition_id, "type": kind.value, "target_type": target["type"], "target_id": target["id"],
        "subject_id": subject_id, "ground": body["ground"], "statement": body["statement"], "starts_at": starts,
        "ends_at": ends, "case_id": body.get("case_id"), "automated": body["automated"],
        "functions": body.get("functions"), "reportable": body.get("reportable", True), "status": "ACTIVE",
        "created_at": created, "restricts": list(RESTRICTS.get(kind, ())), **statement,
        "effects": {"strike_weight": weight if subject_id else 0,
                    "blacklist": [{"list_type": e["list_type"], "key": e["key"]} for e in blacklist],
                    "name_ban": name_ban["entry_id"] if name_ban else None,
                    "avatar_ban": avatar_ban["entry_id"] if avatar_ban else None},
    }
    strike = None
    if subject_id and weight:
        strike = {"subject_id": subject_id, "disposition_type": kind.value, "category": body["ground"]["category"],
                  "weight": weight, "at": created}
    event = audit.event(
        tenant_id, "disposition.create", disposition_id=disposition_id, type=kind.value, target_type=target["type"],
        target_id=target["id"], subject_id=subject_id, article=body["ground"]["article"], case_id=body.get("case_id"),
        source_type=started.value, decided_by=actor, automated_decision=statement["automated_decision"],
        blacklist=[e["list_type"] for e in blacklist] or None, name_ban=name_ban["entry_id"] if name_ban else None)
    return Planned(record, _store().create_ops(tenant_id, record, strike), name_ban, event, avatar_ban, blacklist)


def new_id() -> str:
    return ids.new(ids.Kind.DISPOSITION)


def _blacklist_entries(tenant_id: str, kind: DispositionType, body: dict[str, Any], disposition_id: str,
                       created: str, ends: str | None) -> list[dict[str, Any]]:
    if kind is not DispositionType.BLACKLIST:
        return []
    target = body["target"]
    wanted = body.get("blacklist") or [{"type": DEFAULT_BLACKLIST[target["type"]].value, "key": target["id"]}]
    key = crypto.index_key(tenant_id, stores.main_table())
    entries = []
    for item in wanted:
        list_type, value = item["type"], item.get("key") or target["id"]
        entries.append({"list_type": list_type, "key": blacklist_key(key, list_type, value), "status": "ACTIVE",
                        "reason": body["statement"], "article": body["ground"]["article"],
                        "category": body["ground"]["category"], "source_disposition": disposition_id,
                        "created_at": created, "expires_at": ends})
    return entries


def blacklist_key(index_key: bytes, list_type: str, value: str) -> str:
    """Phones and devices are stored only as blind indexes; subjects, accounts and groups by id.

    A phone is indexed in its one canonical form (documents.canonical_mobile: +86, spaces, dashes,
    full-width digits all fold to the 11 digits), so no written form of a listed number escapes.
    """
    if list_type == "PHONE":
        return "bi_" + crypto.blind_index(index_key, "MOBILE", canonical_mobile(value))[:40]
    if list_type == "DEVICE":
        return "bi_" + crypto.blind_index(index_key, "DEVICE", value)[:40]
    return value


def _avatar_ban(kind: DispositionType, target: dict[str, Any], disposition_id: str, body: dict[str, Any],
                now: datetime) -> dict[str, Any] | None:
    """PA2017-13: a closed account's avatar joins the banned bank, so it cannot come back."""
    if kind not in NAME_BANNING or not target.get("avatar_pdq"):
        return None
    pdq = target["avatar_pdq"].lower()
    return {"bank": "BANNED", "entry_id": entry_id("BANNED", pdq), "pdq": pdq, "label": target.get("name"),
            "reason": body["statement"], "source": "disposition", "disposition_id": disposition_id,
            "owner_subject_ids": [], "created_at": clock.iso(now)}


def _name_ban(tenant_id: str, kind: DispositionType, target: dict[str, Any], disposition_id: str,
              body: dict[str, Any], now: datetime) -> dict[str, Any] | None:
    if kind not in NAME_BANNING or not target.get("name"):
        return None
    days = policy.setting(tenant_id, "names", "reregistration_ban_days")
    return {"entry_id": f"bn_{secrets.token_hex(8)}", "kind": BANNED, "name": target["name"],
            "reason": body["statement"], "article": "PA2017-13", "source": disposition_id,
            "created_at": clock.iso(now), "expires_at": clock.iso(now + timedelta(days=days))}


def revoke(tenant_id: str, disposition_id: str, reason: str, actor: str | None = None) -> dict[str, Any]:
    """Reverse every effect a disposition caused (an overturned appeal, RL2020-11), recorded."""
    record = _store().by_id(tenant_id, disposition_id)
    if record is None:
        raise ids.not_found(ids.Kind.DISPOSITION, disposition_id)
    if record["status"] != "ACTIVE":
        raise Conflict("The disposition is already revoked.", message_zh="该处置已撤销。", code="DISPOSITION_REVOKED")
    at = clock.iso()
    ops, event = revocation(tenant_id, [record], at, reason, actor)
    try:
        _store().commit(tenant_id, ops, event)
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
        listed = _store().blacklist_records(tenant_id,
                                            [(e["list_type"], e["key"]) for e in effects.get("blacklist", [])])
        ours += [e for r in listed.values() for e in blacklist_entries(r)
                 if e["source_disposition"] == record["disposition_id"] and e.get("status") == "ACTIVE"]
        ops += _store().revoke_ops(tenant_id, record, at, reason, actor)
        if effects.get("name_ban"):
            bans.append(effects["name_ban"])
        if effects.get("avatar_ban"):
            avatar_bans.append(effects["avatar_ban"])
        events.append(audit.event(tenant_id, "disposition.revoke", disposition_id=record["disposition_id"],
                                  reason=reason[:200], revoked_by=actor))
    ops += _store().unlisting_ops(tenant_id, ours, "REVOKED", at, reason)
    ops += _store().summary_ops(tenant_id, [], [r for r in records if summarised(r)])
    if bans:
        ops += names_storage.store().remove_ops(tenant_id, BANNED, bans)
    if avatar_bans:
        ops += avatar_storage.store().remove_ops(tenant_id, "BANNED", avatar_bans)
    return ops, events


def count_since(tenant_id: str, targets: list[tuple[str, str]], since: str) -> int:
    """Dispositions in force or expired, not revoked, made on any of `targets` since `since`."""
    return sum(_store().count_active_since(tenant_id, kind, target_id, since) for kind, target_id in targets)


def by_id(tenant_id: str, disposition_id: str) -> dict[str, Any] | None:
    return _store().by_id(tenant_id, disposition_id)


def get(tenant_id: str, disposition_id: str) -> dict[str, Any]:
    record = _store().by_id(tenant_id, disposition_id)
    if record is None:
        raise ids.not_found(ids.Kind.DISPOSITION, disposition_id)
    return view(record)


def restrictions(tenant_id: str, target_type: str, target_id: str) -> dict[str, Any]:
    """What is in force now on a target, each with its source: expired ones drop out by time."""
    now = clock.iso()
    active = [r for r in _store().restricting_now(tenant_id, target_type, target_id, now)
              if in_force(r["starts_at"], r.get("ends_at"), r["status"] != "ACTIVE", now)]
    return {"target": {"type": target_type, "id": target_id}, "checked_at": now,
            "restricted": sorted({what for r in active for what in r["restricts"]}),
            "restrictions": [{"disposition_id": r["disposition_id"], "type": r["type"], "restricts": r["restricts"],
                              "functions": r.get("functions"), "article": r["ground"]["article"],
                              "starts_at": r["starts_at"], "ends_at": r.get("ends_at"), "statement": r["statement"]}
                             for r in active]}


_VIEW = ("disposition_id", "type", "subject_id", "ground", "statement", "starts_at", "ends_at", "case_id", "automated",
         "functions", "reportable", "status", "created_at", "restricts", "effects", "revoked_at", "revoked_reason",
         "revoked_by")


def view(record: dict[str, Any]) -> dict[str, Any]:
    found = {k: record[k] for k in _VIEW if record.get(k) is not None}
    found["target"] = {"type": record["target_type"], "id": record["target_id"]}
    return {**found, **reasons.read(record)}  # the statement of reasons, with defaults for older records
