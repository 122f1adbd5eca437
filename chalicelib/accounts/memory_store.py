"""The accounts store in memory, for fast use-case tests; held to `store.DynamoAccountsStore` by one
contract suite (the same conditions refuse the same op, by its position in the transaction)."""

from __future__ import annotations

from typing import Any

from chalicelib.accounts import account_items
from chalicelib.accounts.memory_lifecycle_store import MemoryLifecycleStore
from chalicelib.accounts.store import AccountsStore
from chalicelib.core import keys
from chalicelib.core.audit_chain import Event
from chalicelib.core.memory_table import Change, MemoryTable, added, deleted, put, status_in, updated

Item = dict[str, Any]


def _under(limit: int, name: str = "accounts") -> Any:
    return lambda item: item is None or name not in item or int(item[name]) < limit


class MemoryAccountsStore(MemoryLifecycleStore):
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
        self.table.write(Change(key, updated(key, hoarding_flag=True, GSI1PK=keys.hoarding_index(tenant_id),
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
                      put({**keys.account_item(tenant_id, account_id), **account}), lambda item: item is None),
               Change(keys.subject_account_item(tenant_id, subject_id, account_id), put(subject_account)),
               Change(keys.account_activity(tenant_id, account_id), put(activity))]
        if account.get("external_id"):
            external = keys.external_id_item(tenant_id, account["external_id"])
            ops.append(Change(external, put({**external, "account_id": account_id}), lambda item: item is None))
        return ops

    # -- transfers (PA2020-11) -------------------------------------------------------------
    def transfer_application_ops(self, tenant_id: str, record: Item) -> list[Change]:
        key = keys.account_item(tenant_id, record["account_id"])
        transfer = keys.transfer_item(tenant_id, record["transfer_id"])

        def free(item: Item | None) -> bool:  # one transfer at a time, live accounts only
            return status_in("ACTIVE", "UNDER_REVIEW")(item) and "pending_transfer" not in (item or {})

        return [Change(key, updated(key, pending_transfer=record["transfer_id"]), free),
                Change(transfer, put({**transfer, **record}))]

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
            Change(account, updated(account, remove=("pending_transfer",), subject_id=transfer["to_subject_id"],
                                 subject_type=moved["subject_type"], transferred_at=at),
                   lambda item: item is not None and item.get("pending_transfer") == transfer["transfer_id"]),
            Change(keys.subject_account_item(tenant_id, transfer["from_subject_id"], transfer["account_id"]), deleted),
            Change(keys.subject_account_item(tenant_id, moved["subject_id"], moved["account_id"]),
                   put(account_items.subject_account(tenant_id, moved))),
        ]

    def transfer_step_op(self, tenant_id: str, transfer: Item, status: str, fields: Item) -> Change:
        key = keys.transfer_item(tenant_id, transfer["transfer_id"])
        return Change(key, updated(key, status=status, **fields), status_in(transfer["status"]))

    # -- lifecycle (PA2020-10 inactivity, PA2017-9 cancellation): memory_lifecycle_store ---------

    def accounts_by_id(self, tenant_id: str, account_ids: list[str]) -> dict[str, Item]:
        found = [self.account(tenant_id, i) for i in dict.fromkeys(account_ids)]
        return {a["account_id"]: a for a in found if a}

    def counter_and_activity(self, tenant_id: str, subject_id: str, account_id: str) -> tuple[Item, Item]:
        return self.counter(tenant_id, subject_id), self.activity(tenant_id, account_id)







_CONTRACT: type[AccountsStore] = MemoryAccountsStore  # mypy holds the fake to the store's contract
