"""The accounts store in memory, for fast use-case tests; held to `store.DynamoAccountsStore` by one
contract suite (the same conditions refuse the same op, by its position in the transaction)."""

from __future__ import annotations

from typing import Any

from chalicelib.accounts import account_items
from chalicelib.accounts.store import AccountsStore
from chalicelib.core import keys
from chalicelib.core.audit_chain import Event
from chalicelib.core.memory_table import Change, MemoryTable, added

Item = dict[str, Any]


def _under(limit: int, name: str = "accounts") -> Any:
    return lambda item: item is None or name not in item or int(item[name]) < limit


def _status_in(*statuses: str) -> Any:
    return lambda item: item is not None and item.get("status") in statuses


def _set(key: dict[str, str], *, remove: tuple[str, ...] = (), **values: Any) -> Any:
    """DynamoDB's ``SET a = :a REMOVE b`` as an effect: an absent item is created with its key."""
    def effect(item: Item | None) -> Item:
        found = {**(item or key), **values}
        for name in remove:
            found.pop(name, None)
        return found
    return effect


def _put(item: Item) -> Any:
    return lambda _: dict(item)


def _delete(_: Item | None) -> None:
    return None


class MemoryAccountsStore:
    def __init__(self, table: MemoryTable | None = None) -> None:
        self.table = table or MemoryTable()

    def commit(self, tenant_id: str, ops: list[Any], event: Event, seen_head: dict[str, Any] | None = None) -> int:
        return self.table.commit(tenant_id, ops, event)

    # -- reads -----------------------------------------------------------------------------
    def account(self, tenant_id: str, account_id: str, *, consistent: bool = False) -> Item | None:
        return self.table.get(keys.account_item(tenant_id, account_id))

    def activity(self, tenant_id: str, account_id: str, *, consistent: bool = False) -> Item:
        return self.table.get(keys.account_activity(tenant_id, account_id)) or {}

    def counter(self, tenant_id: str, subject_id: str, *, consistent: bool = False) -> Item:
        return self.table.get(keys.account_counter_item(tenant_id, subject_id)) or {}

    def subject_accounts_page(self, tenant_id: str, subject_id: str, limit: int,
                              cursor: str | None) -> tuple[list[Item], str | None]:
        return self.table.page(keys.subject_pk(tenant_id, subject_id), limit=limit, cursor=cursor,
                               prefix=keys.SUBJECT_ACCOUNT_PREFIX)

    def transfer(self, tenant_id: str, transfer_id: str) -> Item | None:
        return self.table.get(keys.transfer_item(tenant_id, transfer_id))

    # -- registration ----------------------------------------------------------------------
    def velocity_op(self, tenant_id: str, kind: str, digest: str, window_start: int, limit: int,
                    expires_at: int) -> Change:
        key = keys.velocity_item(tenant_id, kind, digest, window_start)
        return Change(key, lambda item: {**added(item, key, registrations=1), "ttl": expires_at},
                      _under(limit, "registrations"))

    def count_velocity_refusal(self, tenant_id: str, subject_id: str) -> int:
        key = keys.account_counter_item(tenant_id, subject_id)
        self.table.write(Change(key, lambda item: added(item, key, velocity_refusals=1)))
        return int(self.counter(tenant_id, subject_id)["velocity_refusals"])

    def flag_hoarding(self, tenant_id: str, subject_id: str) -> None:
        key = keys.account_counter_item(tenant_id, subject_id)
        self.table.write(Change(key, _set(key, hoarding_flag=True, GSI1PK=keys.hoarding_index(tenant_id),
                                          GSI1SK=subject_id)))

    def registration_ops(self, tenant_id: str, account: Item, limit: int) -> list[Change]:
        account_id, subject_id, now = account["account_id"], account["subject_id"], account["created_at"]
        public = 1 if account["account_type"] == "PUBLIC_ACCOUNT" else 0
        counter = keys.account_counter_item(tenant_id, subject_id)
        activity = {**keys.account_activity(tenant_id, account_id),
                    **account_items.activity_index(tenant_id, account_id, now), "last_active_at": now}
        subject_account = account_items.subject_account(tenant_id, account)
        ops = [Change(counter, lambda item: added(item, counter, accounts=1, public_accounts=public), _under(limit)),
               Change(keys.account_item(tenant_id, account_id),
                      _put({**keys.account_item(tenant_id, account_id), **account}), lambda item: item is None),
               Change(keys.subject_account_item(tenant_id, subject_id, account_id), _put(subject_account)),
               Change(keys.account_activity(tenant_id, account_id), _put(activity))]
        if account.get("external_id"):
            external = keys.external_id_item(tenant_id, account["external_id"])
            ops.append(Change(external, _put({**external, "account_id": account_id}), lambda item: item is None))
        return ops

    # -- transfers (PA2020-11) -------------------------------------------------------------
    def transfer_application_ops(self, tenant_id: str, record: Item) -> list[Change]:
        key = keys.account_item(tenant_id, record["account_id"])
        transfer = keys.transfer_item(tenant_id, record["transfer_id"])

        def free(item: Item | None) -> bool:  # one transfer at a time, live accounts only
            return _status_in("ACTIVE", "UNDER_REVIEW")(item) and "pending_transfer" not in (item or {})

        return [Change(key, _set(key, pending_transfer=record["transfer_id"]), free),
                Change(transfer, _put({**transfer, **record}))]

    def transfer_completion_ops(self, tenant_id: str, transfer: Item, moved: Item, limit: int,
                                at: str) -> list[Change]:
        public = 1 if moved.get("account_type") == "PUBLIC_ACCOUNT" else 0
        to_counter = keys.account_counter_item(tenant_id, transfer["to_subject_id"])
        from_counter = keys.account_counter_item(tenant_id, transfer["from_subject_id"])
        account = keys.account_item(tenant_id, transfer["account_id"])
        return [
            Change(to_counter, lambda item: added(item, to_counter, accounts=1, public_accounts=public), _under(limit)),
            Change(from_counter, lambda item: added(item, from_counter, accounts=-1, public_accounts=-public),
                   lambda item: item is not None and int(item.get("accounts", 0)) >= 1),
            Change(account, _set(account, remove=("pending_transfer",), subject_id=transfer["to_subject_id"],
                                 subject_type=moved["subject_type"], transferred_at=at),
                   lambda item: item is not None and item.get("pending_transfer") == transfer["transfer_id"]),
            Change(keys.subject_account_item(tenant_id, transfer["from_subject_id"], transfer["account_id"]), _delete),
            Change(keys.subject_account_item(tenant_id, moved["subject_id"], moved["account_id"]),
                   _put(account_items.subject_account(tenant_id, moved))),
        ]

    def transfer_step_op(self, tenant_id: str, transfer: Item, status: str, fields: Item) -> Change:
        key = keys.transfer_item(tenant_id, transfer["transfer_id"])
        return Change(key, _set(key, status=status, **fields), _status_in(transfer["status"]))

    # -- lifecycle (PA2020-10 inactivity, PA2017-9 cancellation) ----------------------------
    def inactive_since(self, tenant_id: str, cutoff: str) -> list[Item]:
        return [i for i in self.table.query(keys.activity_index(tenant_id), index="GSI1") if i["GSI1SK"] < cutoff]

    def accounts_by_id(self, tenant_id: str, account_ids: list[str]) -> dict[str, Item]:
        found = [self.account(tenant_id, i) for i in dict.fromkeys(account_ids)]
        return {a["account_id"]: a for a in found if a}

    def counter_and_activity(self, tenant_id: str, subject_id: str, account_id: str) -> tuple[Item, Item]:
        return self.counter(tenant_id, subject_id), self.activity(tenant_id, account_id)

    def touch(self, tenant_id: str, account_id: str, at: str) -> bool:
        key = keys.account_activity(tenant_id, account_id)
        return self.table.write(Change(key, _set(key, last_active_at=at, GSI1PK=keys.activity_index(tenant_id),
                                                 GSI1SK=f"{at}#{account_id}"),
                                       lambda item: item is None or item.get("last_active_at", "") < at))

    def leave_inactivity_index(self, tenant_id: str, account_id: str) -> None:
        key = keys.account_activity(tenant_id, account_id)
        self.table.write(Change(key, _set(key, remove=("GSI1PK", "GSI1SK"))))

    def suspension_ops(self, tenant_id: str, account_id: str, notice: Item) -> list[Change]:
        account, activity = keys.account_item(tenant_id, account_id), keys.account_activity(tenant_id, account_id)
        notice_key = keys.account_notice_item(tenant_id, account_id, notice["at"])
        return [Change(account, _set(account, status="SUSPENDED", suspension=notice), _status_in("ACTIVE")),
                Change(activity, _set(activity, remove=("GSI1PK", "GSI1SK"))),
                Change(notice_key, _put({**notice_key, **notice}))]

    def reactivation_ops(self, tenant_id: str, account_id: str, at: str) -> list[Change]:
        account, activity = keys.account_item(tenant_id, account_id), keys.account_activity(tenant_id, account_id)
        return [Change(account, _set(account, remove=("suspension",), status="ACTIVE", reactivated_at=at),
                       _status_in("SUSPENDED")),
                Change(activity, _put({**activity, "last_active_at": at,
                                       **account_items.activity_index(tenant_id, account_id, at)}))]

    def cancellation_ops(self, tenant_id: str, account: Item, reason: str, remaining: int, at: str,
                         shredded: list[str]) -> list[Change]:
        account_id, subject_id = account["account_id"], account["subject_id"]
        public = 1 if account["account_type"] == "PUBLIC_ACCOUNT" else 0
        key, counter = keys.account_item(tenant_id, account_id), keys.account_counter_item(tenant_id, subject_id)
        placed, activity = (keys.subject_account_item(tenant_id, subject_id, account_id),
                            keys.account_activity(tenant_id, account_id))

        def cancelled(item: Item | None) -> Item:
            found = _set(key, status="CANCELLED", cancelled_at=at, cancellation_reason=reason)(item)
            if shredded and isinstance(found.get("profile"), dict):
                found["profile"] = {k: v for k, v in found["profile"].items() if k not in shredded}
            return found

        ops = [Change(key, cancelled, lambda item: item is not None and "status" in item
                      and item["status"] != "CANCELLED"),
               Change(counter, lambda item: added(item, counter, accounts=-1, public_accounts=-public),
                      lambda item: item is not None and int(item.get("accounts", -1)) == remaining + 1),
               Change(placed, _set(placed, remove=("GSI1PK", "GSI1SK"), status="CANCELLED")),
               Change(activity, _set(activity, remove=("GSI1PK", "GSI1SK")))]
        if account.get("external_id"):
            ops.append(Change(keys.external_id_item(tenant_id, account["external_id"]), _delete))
        return ops


_CONTRACT: type[AccountsStore] = MemoryAccountsStore  # mypy holds the fake to the store's contract
