"""Account transfers in DynamoDB (PA2020-11; part of `store.DynamoAccountsStore`): one pending transfer per
account, the transferee's limit a condition of the moving transaction, each step conditional on the one read.
"""

from __future__ import annotations

from typing import Any

from chalicelib.accounts import account_items
from chalicelib.core import keys
from chalicelib.core.dynamo import Table


class TransferStore:
    """Applying for, moving and stepping a transfer."""

    table: Table

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
            {"Put": {"Item": account_items.subject_account(tenant_id, moved)}},
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
