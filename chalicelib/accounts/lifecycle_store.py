"""An account's life in DynamoDB (part of `store.DynamoAccountsStore`): last activity and the inactivity
index (PA2020-10), suspension and reactivation, cancellation freeing its slot (PA2017-9).
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from chalicelib.accounts import account_items
from chalicelib.core import keys
from chalicelib.core.dynamo import Table, error_code


class LifecycleStore:
    """Activity, suspension, reactivation and cancellation."""

    table: Table

    def inactive_since(self, tenant_id: str, cutoff: str) -> list[dict[str, Any]]:
        """Activity items of accounts last active before `cutoff` (the inactivity index; suspended and
        cancelled accounts have left it)."""
        return list(self.table.query(index="GSI1", KeyConditionExpression="GSI1PK = :pk AND GSI1SK < :cutoff",
                                     values={":pk": keys.activity_index(tenant_id), ":cutoff": cutoff}))

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
                              **account_items.activity_index(tenant_id, account_id, at)}}},
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
