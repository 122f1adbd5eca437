"""Dispositions and their effects (GR2017-11, PA2017-13, PA2020-19), reversible on appeal.

A disposition is kept as a record and takes effect in the same transaction: a credit strike
on the subject (GR2017-7), blacklist entries for BLACKLIST (GR2017-11, RL2020-23), a
re-registration ban on the account's name for CLOSE_ACCOUNT and PROHIBIT_REREGISTRATION
(PA2020-8, PA2017-13); those effects are built in `effects`. Revoking it (an overturned appeal,
`revocation`) reverses each effect it caused, by marking, never deleting, so the record of what
happened stays; `records` reads dispositions back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from chalicelib.avatars import store as avatar_storage
from chalicelib.core import audit_events as audit, clock, crypto, idempotency, ids, policy, stores
from chalicelib.core.audit_chain import Event
from chalicelib.core.auth import Principal
from chalicelib.core.errors import Unprocessable
from chalicelib.dispositions import effects, reasons, records, store as storage
from chalicelib.dispositions.reasons import CaseSource
from chalicelib.dispositions.rules import RESTRICTS, DispositionType, summarised
from chalicelib.dispositions.store import DispositionsStore
from chalicelib.identity import subjects
from chalicelib.names import store as names_storage


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
    return records.view(planned.record)


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
    blacklist = effects.planned_blacklist(tenant_id, kind, body, disposition_id, created, ends)
    name_ban = effects.planned_name_ban(tenant_id, kind, target, disposition_id, body, now)
    avatar_ban = effects.planned_avatar_ban(kind, target, disposition_id, body, now)
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
