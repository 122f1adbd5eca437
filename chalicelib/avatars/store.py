"""Avatar hash banks in DynamoDB: ``T#{tenant}#AVATARS`` / ``{BANK}#{entry_id}``, and a VERSION item
bumped by every change, so a container knows at the cost of one GetItem whether its index is current."""

from __future__ import annotations

from typing import Any

from chalicelib.core import audit_trail, keys, stores
from chalicelib.core.audit_chain import Event
from chalicelib.core.dynamo import Table


def banks_pk(tenant_id: str) -> str:
    return keys.tenant_pk(tenant_id, "AVATARS")


class AvatarStore:
    def __init__(self, table: Table) -> None:
        self.table = table

    def commit(self, tenant_id: str, ops: list[Any], event: Event) -> int:
        """The ops and their audit event in one transaction; ConditionFailed names the first op refused."""
        return audit_trail.commit(self.table, tenant_id, ops, event)

    def version(self, tenant_id: str) -> int:
        item = self.table.get({"PK": banks_pk(tenant_id), "SK": "VERSION"}, consistent=True)
        return int(item["version"]) if item else 0

    def bump(self, tenant_id: str) -> dict[str, Any]:
        return {"Update": {"Key": {"PK": banks_pk(tenant_id), "SK": "VERSION"}, "UpdateExpression": "ADD version :one",
                           "values": {":one": 1}}}

    def put_ops(self, tenant_id: str, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{"Put": {"Item": {"PK": banks_pk(tenant_id), "SK": f"{e['bank']}#{e['entry_id']}", **e}}}
                for e in entries] + [self.bump(tenant_id)]

    def delete_ops(self, tenant_id: str, bank: str, entry_ids: list[str]) -> list[dict[str, Any]]:
        return [{"Delete": {"Key": {"PK": banks_pk(tenant_id), "SK": f"{bank}#{e}"},
                            "ConditionExpression": "attribute_exists(PK)"}} for e in entry_ids] + [self.bump(tenant_id)]

    def remove_ops(self, tenant_id: str, bank: str, entry_ids: list[str]) -> list[dict[str, Any]]:
        """Entries taken out whether or not they are still there (a revocation undoing a ban), and the bump."""
        return [{"Delete": {"Key": {"PK": banks_pk(tenant_id), "SK": f"{bank}#{e}"}}}
                for e in dict.fromkeys(entry_ids)] + [self.bump(tenant_id)]

    def put_many(self, tenant_id: str, entries: list[dict[str, Any]]) -> list[int]:
        """Bulk import: BatchWriteItem (ids derive from the hash, so a repeated import rewrites the same items)."""
        return self.table.batch_put([{"PK": banks_pk(tenant_id), "SK": f"{e['bank']}#{e['entry_id']}", **e}
                                     for e in entries])

    def all_entries(self, tenant_id: str) -> list[dict[str, Any]]:
        # Strongly consistent: an index compiled from them is recorded as the version read before.
        return [i for i in self.table.query(KeyConditionExpression="PK = :pk", values={":pk": banks_pk(tenant_id)},
                                            ConsistentRead=True,
                                            ProjectionExpression=(
                                                "#bank, entry_id, pdq, crop_pdq, label, owner_subject_ids"),
                                            ExpressionAttributeNames={"#bank": "bank"}) if "entry_id" in i]

    def page(self, tenant_id: str, bank: str, limit: int, cursor: str | None) -> tuple[list[dict[str, Any]],
                                                                                       str | None]:
        partition = banks_pk(tenant_id)
        return self.table.page(partition=("PK", partition), limit=limit, cursor=cursor,
                               KeyConditionExpression="PK = :pk AND begins_with(SK, :bank)",
                               values={":pk": partition, ":bank": f"{bank}#"})


def store() -> AvatarStore:
    """The DynamoDB store of a running API; tests put `memory_store.MemoryAvatarStore` behind this seam."""
    return AvatarStore(stores.main_table())
