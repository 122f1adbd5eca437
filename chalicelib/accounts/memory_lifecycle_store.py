"""An account's life in memory (part of `memory_store.MemoryAccountsStore`, as `lifecycle_store` is of the
DynamoDB store): last activity and the inactivity index (PA2020-10), suspension and reactivation,
cancellation freeing its slot (PA2017-9).
"""

from __future__ import annotations

from typing import Any

from chalicelib.accounts import account_items
from chalicelib.core import keys
from chalicelib.core.memory_table import Change, MemoryTable, added, deleted, put, status_in, updated

Item = dict[str, Any]


class MemoryLifecycleStore:
    """Activity, suspension, reactivation and cancellation."""

    table: MemoryTable

    def inactive_since(self, tenant_id: str, cutoff: str) -> list[Item]:
        return [i for i in self.table.query(keys.activity_index(tenant_id), index="GSI1") if i["GSI1SK"] < cutoff]

    def touch(self, tenant_id: str, account_id: str, at: str) -> bool:
        key = keys.account_activity(tenant_id, account_id)
        return self.table.write(Change(key, updated(key, last_active_at=at, GSI1PK=keys.activity_index(tenant_id),
                                                 GSI1SK=f"{at}#{account_id}"),
                                       lambda item: item is None or item.get("last_active_at", "") < at))

    def leave_inactivity_index(self, tenant_id: str, account_id: str) -> None:
        key = keys.account_activity(tenant_id, account_id)
        self.table.write(Change(key, updated(key, remove=("GSI1PK", "GSI1SK"))))

    def suspension_ops(self, tenant_id: str, account_id: str, notice: Item) -> list[Change]:
        account, activity = keys.account_item(tenant_id, account_id), keys.account_activity(tenant_id, account_id)
        notice_key = keys.account_notice_item(tenant_id, account_id, notice["at"])
        return [Change(account, updated(account, status="SUSPENDED", suspension=notice), status_in("ACTIVE")),
                Change(activity, updated(activity, remove=("GSI1PK", "GSI1SK"))),
                Change(notice_key, put({**notice_key, **notice}))]

    def reactivation_ops(self, tenant_id: str, account_id: str, at: str) -> list[Change]:
        account, activity = keys.account_item(tenant_id, account_id), keys.account_activity(tenant_id, account_id)
        return [Change(account, updated(account, remove=("suspension",), status="ACTIVE", reactivated_at=at),
                       status_in("SUSPENDED")),
                Change(activity, put({**activity, "last_active_at": at,
                                       **account_items.activity_index(tenant_id, account_id, at)}))]

    def cancellation_ops(self, tenant_id: str, account: Item, reason: str, remaining: int, at: str,
                         shredded: list[str]) -> list[Change]:
        account_id, subject_id = account["account_id"], account["subject_id"]
        public = 1 if account["account_type"] == "PUBLIC_ACCOUNT" else 0
        key, counter = keys.account_item(tenant_id, account_id), keys.account_counter_item(tenant_id, subject_id)
        placed, activity = (keys.subject_account_item(tenant_id, subject_id, account_id),
                            keys.account_activity(tenant_id, account_id))

        def cancelled(item: Item | None) -> Item:
            found = updated(key, status="CANCELLED", cancelled_at=at, cancellation_reason=reason)(item)
            if shredded and isinstance(found.get("profile"), dict):
                found["profile"] = {k: v for k, v in found["profile"].items() if k not in shredded}
            return found

        ops = [Change(key, cancelled, lambda item: item is not None and "status" in item
                      and item["status"] != "CANCELLED"),
               Change(counter, lambda item: added(item, counter, accounts=-1, public_accounts=-public),
                      lambda item: item is not None and int(item.get("accounts", -1)) == remaining + 1),
               Change(placed, updated(placed, remove=("GSI1PK", "GSI1SK"), status="CANCELLED")),
               Change(activity, updated(activity, remove=("GSI1PK", "GSI1SK")))]
        if account.get("external_id"):
            ops.append(Change(keys.external_id_item(tenant_id, account["external_id"]), deleted))
        return ops
