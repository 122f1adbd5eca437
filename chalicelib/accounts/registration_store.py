"""Registering accounts in DynamoDB (part of `store.DynamoAccountsStore`; keys in core/keys.py): the
PA2017-7 limit a condition of the registering transaction, never a read before the write, and the
velocity windows counted in the same transaction (PA2020-18(8)); hoarding flagged for review (PA2020-10).
"""

from __future__ import annotations

from typing import Any

from chalicelib.accounts import account_items
from chalicelib.core import keys
from chalicelib.core.dynamo import Table


class RegistrationStore:
    """An account registered under its subject's limit, and the sources it came from counted."""

    table: Table

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
            {"Put": {"Item": account_items.subject_account(tenant_id, account)}},
            {"Put": {"Item": {**keys.account_activity(tenant_id, account_id),
                              **account_items.activity_index(tenant_id, account_id, now), "last_active_at": now}}},
        ]
        if account.get("external_id"):
            ops.append({"Put": {"Item": {**keys.external_id_item(tenant_id, account["external_id"]),
                                         "account_id": account_id},
                                "ConditionExpression": "attribute_not_exists(PK)"}})
        return ops
