"""Accounts, their place under a subject, the per-subject limit counter, registration velocity
windows and transfers in DynamoDB (keys in core/keys.py): one store made of its parts, registering
(`registration_store`), transfers (`transfer_store`) and an account's life (`lifecycle_store`).

PA2017-7 and PA2020-10 limits are conditions of the registering (or transferring) transaction,
never a read before the write; velocity windows count in the same transaction (PA2020-18(8)).
`store()` is the one seam the use cases reach it through; `memory_store.MemoryAccountsStore` is its
fake, held to it by one contract suite. The use cases commit what a store's `*_ops` return through
that store's `commit`, with their audit event (GR2017-11).
"""

from __future__ import annotations

from typing import Any, Protocol

from chalicelib.accounts.lifecycle_store import LifecycleStore
from chalicelib.accounts.registration_store import RegistrationStore
from chalicelib.accounts.transfer_store import TransferStore
from chalicelib.core import audit_trail, keys, stores
from chalicelib.core.audit_chain import Event
from chalicelib.core.dynamo import Table


class AccountsStore(Protocol):
    """What the accounts use cases read and write; the `*_ops` are committed together by `commit`."""

    def commit(self, tenant_id: str, ops: list[Any], event: Event, seen_head: dict[str, Any] | None = None) -> int: ...
    def account(self, tenant_id: str, account_id: str, *, consistent: bool = False) -> dict[str, Any] | None: ...
    def activity(self, tenant_id: str, account_id: str, *, consistent: bool = False) -> dict[str, Any]: ...
    def counter(self, tenant_id: str, subject_id: str, *, consistent: bool = False) -> dict[str, Any]: ...
    def subject_accounts_page(self, tenant_id: str, subject_id: str, limit: int,
                              cursor: str | None) -> tuple[list[dict[str, Any]], str | None]: ...
    def transfer(self, tenant_id: str, transfer_id: str) -> dict[str, Any] | None: ...
    def velocity_op(self, tenant_id: str, kind: str, digest: str, window_start: int, limit: int,
                    expires_at: int) -> Any: ...
    def count_velocity_refusal(self, tenant_id: str, subject_id: str) -> int: ...
    def flag_hoarding(self, tenant_id: str, subject_id: str) -> None: ...
    def registration_ops(self, tenant_id: str, account: dict[str, Any], limit: int) -> list[Any]: ...
    def transfer_application_ops(self, tenant_id: str, record: dict[str, Any]) -> list[Any]: ...
    def transfer_completion_ops(self, tenant_id: str, transfer: dict[str, Any], moved: dict[str, Any],
                                limit: int, at: str) -> list[Any]: ...
    def transfer_step_op(self, tenant_id: str, transfer: dict[str, Any], status: str,
                         fields: dict[str, Any]) -> Any: ...
    def inactive_since(self, tenant_id: str, cutoff: str) -> list[dict[str, Any]]: ...
    def accounts_by_id(self, tenant_id: str, account_ids: list[str]) -> dict[str, dict[str, Any]]: ...
    def counter_and_activity(self, tenant_id: str, subject_id: str,
                             account_id: str) -> tuple[dict[str, Any], dict[str, Any]]: ...
    def touch(self, tenant_id: str, account_id: str, at: str) -> bool: ...
    def leave_inactivity_index(self, tenant_id: str, account_id: str) -> None: ...
    def suspension_ops(self, tenant_id: str, account_id: str, notice: dict[str, Any]) -> list[Any]: ...
    def reactivation_ops(self, tenant_id: str, account_id: str, at: str) -> list[Any]: ...
    def cancellation_ops(self, tenant_id: str, account: dict[str, Any], reason: str, remaining: int, at: str,
                         shredded: list[str]) -> list[Any]: ...


class DynamoAccountsStore(RegistrationStore, TransferStore, LifecycleStore):
    def __init__(self, table: Table) -> None:
        self.table = table

    def commit(self, tenant_id: str, ops: list[Any], event: Event, seen_head: dict[str, Any] | None = None) -> int:
        """The ops and their audit event in one transaction; ConditionFailed names the first op refused."""
        return audit_trail.commit(self.table, tenant_id, ops, event, seen_head)

    def account(self, tenant_id: str, account_id: str, *, consistent: bool = False) -> dict[str, Any] | None:
        return self.table.get(keys.account_item(tenant_id, account_id), consistent=consistent)

    def activity(self, tenant_id: str, account_id: str, *, consistent: bool = False) -> dict[str, Any]:
        return self.table.get(keys.account_activity(tenant_id, account_id), consistent=consistent) or {}

    def counter(self, tenant_id: str, subject_id: str, *, consistent: bool = False) -> dict[str, Any]:
        return self.table.get(keys.account_counter_item(tenant_id, subject_id), consistent=consistent) or {}

    def subject_accounts_page(self, tenant_id: str, subject_id: str, limit: int,
                              cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
        partition = keys.subject_pk(tenant_id, subject_id)
        return self.table.page(partition=("PK", partition), limit=limit, cursor=cursor,
                               KeyConditionExpression="PK = :pk AND begins_with(SK, :account)",
                               values={":pk": partition, ":account": keys.SUBJECT_ACCOUNT_PREFIX})

    def transfer(self, tenant_id: str, transfer_id: str) -> dict[str, Any] | None:
        return self.table.get(keys.transfer_item(tenant_id, transfer_id), consistent=True)

    def accounts_by_id(self, tenant_id: str, account_ids: list[str]) -> dict[str, dict[str, Any]]:
        found = self.table.batch_get([keys.account_item(tenant_id, i) for i in dict.fromkeys(account_ids)])
        return {a["account_id"]: a for a in found}

    def counter_and_activity(self, tenant_id: str, subject_id: str,
                             account_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
        """The subject's counter and the account's activity, in one BatchGetItem."""
        found = {item["SK"]: item for item in self.table.batch_get(
            [keys.account_counter_item(tenant_id, subject_id), keys.account_activity(tenant_id, account_id)])}
        return found.get("ACCOUNTS", {}), found.get("ACTIVITY", {})

def store() -> DynamoAccountsStore:
    """The DynamoDB store of a running API (typed as such, so a walk of what a use case can raise
    follows it); tests put a fake behind this seam."""
    return DynamoAccountsStore(stores.main_table())


_CONTRACT: type[AccountsStore] = DynamoAccountsStore  # mypy holds the store to its contract
