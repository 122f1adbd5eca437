"""An account's life after registration: activity, suspension for inactivity (PA2020-10),
reactivation, and cancellation (PA2017-9) with the subject's identity data erased when no
other account needs it.

Cancellation frees the slot in the same transaction that cancels the account, conditional on
the count it read, so a registration or another cancellation running at the same moment makes
it read again rather than both deciding wrongly whether this was the subject's last account.
Erasure is crypto-shredding: the sealed identity and its wrapped data key are removed, so the
ciphertext left in backups cannot be opened, and with them what leads back to the person
(identity/store.py `ERASED_FIELDS`). A cancelled account's sealed contact goes the same way.
Log records stay until their TTL (MB2018-16).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from chalicelib.accounts import account_views as accounts, store as storage
from chalicelib.core import audit_events as audit, audit_trail, clock, policy
from chalicelib.core.errors import Conflict, Unprocessable
from chalicelib.identity.store import erasure

ATTEMPTS = 5
PAGE = 100
# RL2020-24: an account's contact (sealed under the account's own data key) serves only an account in service
CONTACT_FIELDS = ("contact", "contact_key", "contact_masked")


def record_activity(tenant_id: str, account_id: str, at: str | None) -> dict[str, Any]:
    account = accounts.get(tenant_id, account_id)
    now = clock.iso()
    at = at or now
    if at > clock.iso(clock.now() + timedelta(minutes=5)):
        raise Unprocessable("Activity cannot be in the future.", message_zh="活跃时间不能晚于当前时间。",
                            code="AT_IN_FUTURE")
    storage.store().touch(tenant_id, account_id, at)  # PA2020-10: forward only; an older `at` changes nothing
    latest = storage.store().activity(tenant_id, account_id, consistent=True)
    return {"account_id": account_id, "status": account["status"], "last_active_at": latest.get("last_active_at", at)}


def suspend_inactive(tenant_id: str) -> int:
    """The sweep: suspend ACTIVE accounts not active for `accounts.inactive_days`, each with a notice."""
    days = policy.setting(tenant_id, "accounts", "inactive_days")
    cutoff = clock.iso(clock.now() - timedelta(days=days))
    store, suspended = storage.store(), 0
    stale = store.inactive_since(tenant_id, cutoff)
    for start in range(0, len(stale), PAGE):
        page = stale[start:start + PAGE]
        found = store.accounts_by_id(tenant_id, [i["GSI1SK"].rsplit("#", 1)[1] for i in page])
        for item in page:
            account_id = item["GSI1SK"].rsplit("#", 1)[1]
            account = found.get(account_id)
            if account is None or account["status"] != "ACTIVE":
                # not ours, or already not in service: it leaves the index rather than being read again
                store.leave_inactivity_index(tenant_id, account_id)
                continue
            suspended += _suspend(tenant_id, account, item["last_active_at"], days)
    return suspended


def _suspend(tenant_id: str, account: dict[str, Any], last_active_at: str, days: int) -> int:
    now = clock.iso()
    account_id = account["account_id"]
    notice = {"kind": "SUSPENDED_INACTIVE", "article": "PA2020-10", "at": now, "last_active_at": last_active_at,
              "message": f"Suspended: no activity for {days} days; the operator may ask for reactivation.",
              "message_zh": f"账号连续 {days} 天未使用，已暂停服务；可申请恢复。"}
    ops = storage.store().suspension_ops(tenant_id, account_id, notice)
    try:
        storage.store().commit(tenant_id, ops, audit.event(
            tenant_id, "account.suspend_inactive", account_id=account_id, last_active_at=last_active_at))
    except audit_trail.ConditionFailed:
        return 0  # changed meanwhile (cancelled, reactivated): nothing to suspend
    return 1


def reactivate(tenant_id: str, account_id: str) -> dict[str, Any]:
    account = accounts.get(tenant_id, account_id)
    if account["status"] != "SUSPENDED":
        raise Conflict("Only an account suspended for inactivity is reactivated.",
                       message_zh="只有因长期未使用而暂停的账号可恢复。",
                       code="ACCOUNT_NOT_SUSPENDED", details={"status": account["status"]})
    now = clock.iso()
    ops = storage.store().reactivation_ops(tenant_id, account_id, now)
    try:
        storage.store().commit(tenant_id, ops, audit.event(
            tenant_id, "account.reactivate", account_id=account_id))
    except audit_trail.ConditionFailed as exc:
        raise Conflict("The account changed meanwhile; retry.", message_zh="账号状态已变更，请重试。",
                       code="ACCOUNT_CONTENDED") from exc
    return {**{k: v for k, v in account.items() if k != "suspension"}, "status": "ACTIVE", "reactivated_at": now,
            "last_active_at": now}


def cancel(tenant_id: str, account_id: str, reason: str) -> dict[str, Any]:
    """PA2017-9: cancel, free the slot, and erase the subject's identity data if no account needs it."""
    for _ in range(ATTEMPTS):
        account = accounts.require(tenant_id, account_id, consistent=True)
        if account["status"] == "CANCELLED":
            raise Conflict("The account is already cancelled.", message_zh="该账号已注销。", code="ACCOUNT_CANCELLED")
        subject_id = account["subject_id"]
        counter, activity = storage.store().counter_and_activity(tenant_id, subject_id, account_id)
        remaining = int(counter.get("accounts", 1)) - 1
        now = clock.iso()
        try:
            storage.store().commit(tenant_id, _cancel_ops(tenant_id, account, reason, remaining, now),
                               audit.event(tenant_id, "account.cancel", account_id=account_id, subject_id=subject_id,
                                           pii_erased=remaining == 0))
        except audit_trail.ConditionFailed:
            continue  # a registration or cancellation moved the count: read again
        # the answer is built from what was written: nothing after the commit may turn it into an error
        cancelled = {**account, "status": "CANCELLED", "cancelled_at": now, "cancellation_reason": reason,
                     "last_active_at": activity.get("last_active_at"), "profile": _without_contact(account)}
        return {"account": accounts.view(cancelled), "subject_pii_erased": remaining == 0,
                "remaining_accounts": remaining}
    raise Conflict("The subject's accounts are changing; retry.", message_zh="该主体的账号正在变更，请重试。",
                   code="ACCOUNT_CONTENDED")


def _cancel_ops(tenant_id: str, account: dict[str, Any], reason: str, remaining: int,
                now: str) -> list[dict[str, Any]]:
    shredded = [f for f in CONTACT_FIELDS if f in (account.get("profile") or {})]
    ops = storage.store().cancellation_ops(tenant_id, account, reason, remaining, now, shredded)
    if remaining == 0:
        # crypto-shredding: without the wrapped data key the sealed identity can never be opened again
        ops.append(erasure(tenant_id, account["subject_id"], now))
    return ops


def _without_contact(account: dict[str, Any]) -> dict[str, Any] | None:
    profile = account.get("profile")
    return None if profile is None else {k: v for k, v in profile.items() if k not in CONTACT_FIELDS}
