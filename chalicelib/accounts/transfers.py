"""Account transfers (PA2020-11): application, announcement, completion after the notice period.

The transferee must be a verified subject with its identity data on file; the account carries
the pending transfer so only one runs at a time. Completion moves the account between the two
subjects in one transaction: the transferee's counter under its own limit and the transferor's
down, both conditional, so neither party's limit can be exceeded by a concurrent registration.
Every step is in the audit trail.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from chalicelib.accounts import account_views as accounts, store as storage
from chalicelib.core import audit_events as audit, audit_trail, clock, ids, policy
from chalicelib.core.errors import Conflict, LimitReached, Unprocessable
from chalicelib.eligibility import gates
from chalicelib.identity import subjects, upfront


def require(tenant_id: str, transfer_id: str) -> dict[str, Any]:
    return ids.require(ids.Kind.TRANSFER, transfer_id,
                       lambda i: storage.store().transfer(tenant_id, i))


def apply(tenant_id: str, account_id: str, body: dict[str, Any]) -> dict[str, Any]:
    account = accounts.get(tenant_id, account_id)
    to_subject = body["transferee_subject_id"]
    if account["status"] not in ("ACTIVE", "UNDER_REVIEW"):
        raise Conflict("Only an account in service can be transferred.", message_zh="只有正常使用中的账号可以迁移。",
                       code="ACCOUNT_NOT_TRANSFERABLE", details={"status": account["status"]})
    if to_subject == account["subject_id"]:
        raise Unprocessable("The transferee already operates the account.", message_zh="受让方已是该账号的运营主体。",
                            code="TRANSFER_TO_SELF")
    transferee, gate = gates.gate(tenant_id, to_subject, "REGISTER")
    if not gate["allowed"]:
        first = gate["reasons"][0]
        raise Conflict(first["message"], message_zh=first["message_zh"], code=f"TRANSFEREE_{first['code']}",
                       article=first["article"], details={"reasons": gate["reasons"]})
    upfront.refuse_erased(transferee)
    transfer_id = ids.new(ids.Kind.TRANSFER)
    record = {"transfer_id": transfer_id, "account_id": account_id, "from_subject_id": account["subject_id"],
              "to_subject_id": to_subject, "reason": body["reason"], "status": "APPLIED", "applied_at": clock.iso()}
    ops = storage.store().transfer_application_ops(tenant_id, record)
    try:
        storage.store().commit(tenant_id, ops, audit.event(
            tenant_id, "transfer.apply", transfer_id=transfer_id, account_id=account_id,
            from_subject_id=account["subject_id"], to_subject_id=to_subject))
    except audit_trail.ConditionFailed as exc:
        raise Conflict("A transfer of this account is already under way.", message_zh="该账号已有进行中的迁移。",
                       code="TRANSFER_PENDING") from exc
    return view(record)


def announce(tenant_id: str, transfer_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """The announcement the platform published, with its date; completion waits the notice period."""
    transfer = require(tenant_id, transfer_id)
    if transfer["status"] != "APPLIED":
        raise Conflict("Only an applied transfer is announced.", message_zh="只有已申请的迁移可以公告。",
                       code="TRANSFER_STATE", details={"status": transfer["status"]})
    published = body.get("published_at") or clock.iso()
    if published > clock.iso():
        raise Unprocessable("The announcement cannot be published in the future.",
                            message_zh="公告日期不能晚于当前时间。",
                            code="AT_IN_FUTURE")
    days = policy.setting(tenant_id, "accounts", "transfer_notice_days")
    announcement = {"text": body["text"], "url": body.get("url"), "published_at": published,
                    "completes_after": clock.iso(_parse(published) + timedelta(days=days)), "notice_days": days}
    try:
        _step(tenant_id, transfer, "ANNOUNCED", {"announcement": announcement}, "transfer.announce")
    except audit_trail.ConditionFailed as exc:
        raise Conflict("The transfer changed meanwhile; read it again.", message_zh="迁移状态已变更。",
                       code="TRANSFER_CONTENDED") from exc
    return view({**transfer, "status": "ANNOUNCED", "announcement": announcement})


def complete(tenant_id: str, transfer_id: str) -> dict[str, Any]:
    transfer = require(tenant_id, transfer_id)
    if transfer["status"] != "ANNOUNCED":
        raise Conflict("A transfer completes only after its announcement.", message_zh="迁移须先公告后完成。",
                       code="TRANSFER_STATE", article="PA2020-11", details={"status": transfer["status"]})
    after = transfer["announcement"]["completes_after"]
    if clock.iso() < after:
        raise Conflict(f"The notice period runs until {after}.", message_zh="公告期尚未届满。",
                       code="TRANSFER_NOTICE_PERIOD", article="PA2020-11", details={"completes_after": after})
    account = storage.store().account(tenant_id, transfer["account_id"], consistent=True) or {}
    to_subject = subjects.require(tenant_id, transfer["to_subject_id"])
    limit = policy.current(tenant_id).effective["accounts"]["max_per_subject"][to_subject["subject_type"]]
    moved = {**account, "subject_id": transfer["to_subject_id"], "subject_type": to_subject["subject_type"]}
    now = clock.iso()
    ops = storage.store().transfer_completion_ops(tenant_id, transfer, moved, limit, now)
    try:
        _step(tenant_id, transfer, "COMPLETED", {"completed_at": now}, "transfer.complete", ops)
    except audit_trail.ConditionFailed as failed:
        if failed.index == 0:
            raise LimitReached(f"The transferee already has {limit} accounts.",
                               message_zh="受让方注册账号数量已达上限。",
                               article="PA2017-7", details={"limit": limit, "subject_type": to_subject["subject_type"]}
                               ) from failed
        raise Conflict("The account or transfer changed meanwhile; read it again.", message_zh="账号或迁移状态已变更。",
                       code="TRANSFER_CONTENDED") from failed
    return view({**transfer, "status": "COMPLETED", "completed_at": now})  # what was written, not a read that may fail


def _step(tenant_id: str, transfer: dict[str, Any], status: str, fields: dict[str, Any], event_type: str,
          ops: list[dict[str, Any]] | None = None) -> None:
    update = storage.store().transfer_step_op(tenant_id, transfer, status, fields)
    storage.store().commit(tenant_id, [*(ops or []), update], audit.event(
        tenant_id, event_type, transfer_id=transfer["transfer_id"], account_id=transfer["account_id"]))


def view(transfer: dict[str, Any]) -> dict[str, Any]:
    return {k: transfer[k] for k in ("transfer_id", "account_id", "from_subject_id", "to_subject_id", "reason",
                                     "status",
                                     "applied_at", "announcement", "completed_at") if transfer.get(k) is not None}


def _parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))
