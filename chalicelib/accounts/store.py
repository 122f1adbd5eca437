"""Accounts, their place under a subject, the per-subject limit counter, registration velocity
windows and transfers in DynamoDB (keys in core/keys.py).

PA2017-7 and PA2020-10 limits are conditions of the registering (or transferring) transaction,
never a read before the write; velocity windows count in the same transaction (PA2020-18(8)).
`store()` is the one seam the use cases reach it through; `memory_store.MemoryAccountsStore` is its
fake, held to it by one contract suite. The use cases commit what a store's `*_ops` return through
that store's `commit`, with their audit event (GR2017-11).
"""

from __future__ import annotations

from typing import Any, Protocol

from botocore.exceptions import ClientError

from chalicelib.core import audit_trail, keys, stores
from chalicelib.core.audit_chain import Event
from chalicelib.core.dynamo import Table, error_code


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


class DynamoAccountsStore:
    def __init__(self, table: Table) -> None:
        self.table = table

    def commit(self, tenant_id: str, ops: list[Any], event: Event, seen_head: dict[str, Any] | None = None) -> int:
        """The ops and their audit event in one transaction; ConditionFailed names the first op refused."""
        return audit_trail.commit(self.table, tenant_id, ops, event, seen_head)

    # -- reads -----------------------------------------------------------------------------
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

    # -- registration ----------------------------------------------------------------------
    @staticmethod
    def velocity_op(tenant_id: str, kind: str, digest: str, window_start: int, limit: int,
                    expires_at: int) -> dict[str, Any]:
        """One registration counted in a source's window, refused at the window's limit."""
        return {"Update": {"Key": keys.velocity_item(tenant_id, kind, digest, window_start),
                           "UpdateExpression": "ADD registrations :one SET #ttl = :ttl",
                           "ConditionExpression": "attribute_not_exists(registrations) OR registrations < :limit",
                           "ExpressionAttributeNames": {"#ttl": "ttl"},
                           "values": {":one": 1, ":limit": limit, ":ttl": expires_at}}}

    def count_velocity_refusal(self, tenant_id: str, subject_id: str) -> int:
        answer = self.table.update(keys.account_counter_item(tenant_id, subject_id),
                                   UpdateExpression="ADD velocity_refusals :one", values={":one": 1},
                                   ReturnValues="ALL_NEW")
        return int(answer["velocity_refusals"])

    def flag_hoarding(self, tenant_id: str, subject_id: str) -> None:
        """PA2020-10: the subject joins the hoarding index for review."""
        self.table.update(keys.account_counter_item(tenant_id, subject_id),
                          UpdateExpression="SET hoarding_flag = :yes, GSI1PK = :pk, GSI1SK = :sk",
                          values={":yes": True, ":pk": keys.hoarding_index(tenant_id), ":sk": subject_id})

    def registration_ops(self, tenant_id: str, account: dict[str, Any], limit: int) -> list[dict[str, Any]]:
        """The counter under the subject's limit first (a refusal names it by index 0), then the
        account, its place under the subject, its activity, and its unique external id."""
        account_id, subject_id, now = account["account_id"], account["subject_id"], account["created_at"]
        public = 1 if account["account_type"] == "PUBLIC_ACCOUNT" else 0
        ops: list[dict[str, Any]] = [
            {"Update": {"Key": keys.account_counter_item(tenant_id, subject_id),
                        "UpdateExpression": "ADD accounts :one, public_accounts :public",
                        "ConditionExpression": "attribute_not_exists(accounts) OR accounts < :limit",
                        "values": {":one": 1, ":public": public, ":limit": limit}}},
            {"Put": {"Item": {**keys.account_item(tenant_id, account_id), **account},
                     "ConditionExpression": "attribute_not_exists(PK)"}},
            {"Put": {"Item": self.subject_account(tenant_id, account)}},
            {"Put": {"Item": {**keys.account_activity(tenant_id, account_id),
                              **self.activity_index(tenant_id, account_id, now), "last_active_at": now}}},
        ]
        if account.get("external_id"):
            ops.append({"Put": {"Item": {**keys.external_id_item(tenant_id, account["external_id"]),
                                         "account_id": account_id},
                                "ConditionExpression": "attribute_not_exists(PK)"}})
        return ops

    @staticmethod
    def activity_index(tenant_id: str, account_id: str, at: str) -> dict[str, str]:
        """PA2020-10: accounts indexed by when they were last active, so the inactivity sweep is a range query."""
        return {"GSI1PK": keys.activity_index(tenant_id), "GSI1SK": f"{at}#{account_id}"}

    @staticmethod
    def subject_account(tenant_id: str, account: dict[str, Any]) -> dict[str, Any]:
        """The account under its subject; public accounts are also indexed by subject for the filings
        (PA2017-7, PA2020-10), so one index query streams them grouped by subject."""
        item = {**keys.subject_account_item(tenant_id, account["subject_id"], account["account_id"]),
                **{k: account[k] for k in ("account_id", "account_type", "created_at", "name", "category",
                                           "business_scope", "status") if account.get(k) is not None}}
        if account["account_type"] == "PUBLIC_ACCOUNT":
            item.update(GSI1PK=keys.public_accounts_index(tenant_id),
                        GSI1SK=f"{account['subject_id']}#{account['account_id']}")
        return item

    # -- transfers (PA2020-11) -------------------------------------------------------------
    def transfer_application_ops(self, tenant_id: str, record: dict[str, Any]) -> list[dict[str, Any]]:
        """Mark the account as being transferred (one transfer at a time, live accounts only), and the record."""
        return [
            {"Update": {"Key": keys.account_item(tenant_id, record["account_id"]),
                        "UpdateExpression": "SET pending_transfer = :t",
                        "ConditionExpression": "attribute_not_exists(pending_transfer) "
                                               "AND #status IN (:active, :review)",
                        "ExpressionAttributeNames": {"#status": "status"},
                        "values": {":t": record["transfer_id"], ":active": "ACTIVE", ":review": "UNDER_REVIEW"}}},
            {"Put": {"Item": {**keys.transfer_item(tenant_id, record["transfer_id"]), **record}}},
        ]

    def transfer_completion_ops(self, tenant_id: str, transfer: dict[str, Any], moved: dict[str, Any],
                                limit: int, at: str) -> list[dict[str, Any]]:
        """Move the account between subjects: the transferee's counter under its limit (index 0), the
        transferor's counter, the account itself (only while this transfer is pending), its place."""
        public = 1 if moved.get("account_type") == "PUBLIC_ACCOUNT" else 0
        return [
            {"Update": {"Key": keys.account_counter_item(tenant_id, transfer["to_subject_id"]),
                        "UpdateExpression": "ADD accounts :one, public_accounts :public",
                        "ConditionExpression": "attribute_not_exists(accounts) OR accounts < :limit",
                        "values": {":one": 1, ":public": public, ":limit": limit}}},
            {"Update": {"Key": keys.account_counter_item(tenant_id, transfer["from_subject_id"]),
                        "UpdateExpression": "ADD accounts :less, public_accounts :public_less",
                        "ConditionExpression": "accounts >= :one",
                        "values": {":less": -1, ":public_less": -public, ":one": 1}}},
            {"Update": {"Key": keys.account_item(tenant_id, transfer["account_id"]),
                        "UpdateExpression": "SET subject_id = :to, subject_type = :type, transferred_at = :now "
                                            "REMOVE pending_transfer",
                        "ConditionExpression": "pending_transfer = :t",
                        "values": {":to": transfer["to_subject_id"], ":type": moved["subject_type"], ":now": at,
                                   ":t": transfer["transfer_id"]}}},
            {"Delete": {"Key": keys.subject_account_item(tenant_id, transfer["from_subject_id"],
                                                         transfer["account_id"])}},
            {"Put": {"Item": self.subject_account(tenant_id, moved)}},
        ]

    @staticmethod
    def transfer_step_op(tenant_id: str, transfer: dict[str, Any], status: str,
                         fields: dict[str, Any]) -> dict[str, Any]:
        """Move a transfer on from the status it was read in (a concurrent step fails the condition)."""
        sets = ", ".join(f"{name} = :{name}" for name in fields)
        return {"Update": {"Key": keys.transfer_item(tenant_id, transfer["transfer_id"]),
                           "UpdateExpression": f"SET #status = :new, {sets}", "ConditionExpression": "#status = :old",
                           "ExpressionAttributeNames": {"#status": "status"},
                           "values": {":new": status, ":old": transfer["status"],
                                      **{f":{name}": value for name, value in fields.items()}}}}

    # -- lifecycle (PA2020-10 inactivity, PA2017-9 cancellation) ----------------------------
    def inactive_since(self, tenant_id: str, cutoff: str) -> list[dict[str, Any]]:
        """Activity items of accounts last active before `cutoff` (the inactivity index; suspended and
        cancelled accounts have left it)."""
        return list(self.table.query(index="GSI1", KeyConditionExpression="GSI1PK = :pk AND GSI1SK < :cutoff",
                                     values={":pk": keys.activity_index(tenant_id), ":cutoff": cutoff}))

    def accounts_by_id(self, tenant_id: str, account_ids: list[str]) -> dict[str, dict[str, Any]]:
        found = self.table.batch_get([keys.account_item(tenant_id, i) for i in dict.fromkeys(account_ids)])
        return {a["account_id"]: a for a in found}

    def counter_and_activity(self, tenant_id: str, subject_id: str,
                             account_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
        """The subject's counter and the account's activity, in one BatchGetItem."""
        found = {item["SK"]: item for item in self.table.batch_get(
            [keys.account_counter_item(tenant_id, subject_id), keys.account_activity(tenant_id, account_id)])}
        return found.get("ACCOUNTS", {}), found.get("ACTIVITY", {})

    def touch(self, tenant_id: str, account_id: str, at: str) -> bool:
        """Move `last_active_at` forward (never back), keeping the account in the inactivity index
        (PA2020-10); False when `at` is not newer (nothing is written)."""
        try:
            self.table.update(keys.account_activity(tenant_id, account_id),
                              UpdateExpression="SET last_active_at = :at, GSI1PK = :pk, GSI1SK = :sk",
                              ConditionExpression="attribute_not_exists(last_active_at) OR last_active_at < :at",
                              values={":at": at, ":pk": keys.activity_index(tenant_id), ":sk": f"{at}#{account_id}"})
        except ClientError as exc:
            if error_code(exc) != "ConditionalCheckFailedException":
                raise
            return False
        return True

    def leave_inactivity_index(self, tenant_id: str, account_id: str) -> None:
        self.table.update(keys.account_activity(tenant_id, account_id), UpdateExpression="REMOVE GSI1PK, GSI1SK")

    @staticmethod
    def suspension_ops(tenant_id: str, account_id: str, notice: dict[str, Any]) -> list[dict[str, Any]]:
        """Suspend an ACTIVE account with its notice; it leaves the inactivity index."""
        return [
            {"Update": {"Key": keys.account_item(tenant_id, account_id),
                        "UpdateExpression": "SET #status = :suspended, suspension = :notice",
                        "ConditionExpression": "#status = :active", "ExpressionAttributeNames": {"#status": "status"},
                        "values": {":suspended": "SUSPENDED", ":active": "ACTIVE", ":notice": notice}}},
            {"Update": {"Key": keys.account_activity(tenant_id, account_id),
                        "UpdateExpression": "REMOVE GSI1PK, GSI1SK"}},
            {"Put": {"Item": {**keys.account_notice_item(tenant_id, account_id, notice["at"]), **notice}}},
        ]

    def reactivation_ops(self, tenant_id: str, account_id: str, at: str) -> list[dict[str, Any]]:
        return [
            {"Update": {"Key": keys.account_item(tenant_id, account_id),
                        "UpdateExpression": "SET #status = :active, reactivated_at = :now REMOVE suspension",
                        "ConditionExpression": "#status = :suspended",
                        "ExpressionAttributeNames": {"#status": "status"},
                        "values": {":active": "ACTIVE", ":suspended": "SUSPENDED", ":now": at}}},
            {"Put": {"Item": {**keys.account_activity(tenant_id, account_id), "last_active_at": at,
                              **self.activity_index(tenant_id, account_id, at)}}},
        ]

    @staticmethod
    def cancellation_ops(tenant_id: str, account: dict[str, Any], reason: str, remaining: int, at: str,
                         shredded: list[str]) -> list[dict[str, Any]]:
        """Cancel the account and free its slot, conditional on the count read (index 1), drop its `shredded`
        profile fields, take it off the filing and inactivity indexes (the record stays), free its external id."""
        account_id, subject_id = account["account_id"], account["subject_id"]
        public = 1 if account["account_type"] == "PUBLIC_ACCOUNT" else 0
        update = "SET #status = :cancelled, cancelled_at = :now, cancellation_reason = :why"
        names = {"#status": "status"}
        if shredded:
            update += " REMOVE " + ", ".join(f"#profile.{f}" for f in shredded)
            names["#profile"] = "profile"
        ops: list[dict[str, Any]] = [
            {"Update": {"Key": keys.account_item(tenant_id, account_id), "UpdateExpression": update,
                        "ConditionExpression": "#status <> :cancelled", "ExpressionAttributeNames": names,
                        "values": {":cancelled": "CANCELLED", ":now": at, ":why": reason}}},
            {"Update": {"Key": keys.account_counter_item(tenant_id, subject_id),
                        "UpdateExpression": "ADD accounts :less, public_accounts :public",
                        "ConditionExpression": "accounts = :seen",
                        "values": {":less": -1, ":public": -public, ":seen": remaining + 1}}},
            {"Update": {"Key": keys.subject_account_item(tenant_id, subject_id, account_id),
                        "UpdateExpression": "SET #status = :cancelled REMOVE GSI1PK, GSI1SK",
                        "ExpressionAttributeNames": {"#status": "status"}, "values": {":cancelled": "CANCELLED"}}},
            {"Update": {"Key": keys.account_activity(tenant_id, account_id),
                        "UpdateExpression": "REMOVE GSI1PK, GSI1SK"}},
        ]
        if account.get("external_id"):
            ops.append({"Delete": {"Key": keys.external_id_item(tenant_id, account["external_id"])}})
        return ops


def store() -> DynamoAccountsStore:
    """The DynamoDB store of a running API (typed as such, so a walk of what a use case can raise
    follows it); tests put a fake behind this seam."""
    return DynamoAccountsStore(stores.main_table())


_CONTRACT: type[AccountsStore] = DynamoAccountsStore  # mypy holds the store to its contract
