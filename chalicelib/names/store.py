"""A tenant's lexicon in DynamoDB: protected names, terms, allow-list phrases, banned names.

Every change writes its entries and bumps the tenant's lexicon version in one transaction, so
a version always names exactly one set of entries; compiled indexes are cached by version.
Bulk imports go in transactions of up to 97 entries (DynamoDB's limit is 100 items, with the version
bump and the audit event and head), each atomic with its own version bump.
"""

from __future__ import annotations

from typing import Any

from chalicelib.core import audit_trail, keys, stores
from chalicelib.core.audit_chain import Event
from chalicelib.core.dynamo import TRANSACT_ITEMS, Table
from chalicelib.core.errors import NotFound

# Entries per transaction: with the version bump and the audit chain, DynamoDB's limit exactly (99 entries made
# 102 items, and a bulk add of 98 or more was refused as 400 STORE_REJECTED_INPUT).
CHUNK = TRANSACT_ITEMS - 1 - audit_trail.CHAIN_ITEMS


def lexicon_pk(tenant_id: str) -> str:
    return keys.tenant_pk(tenant_id, "NAMES")


class NamesStore:
    def __init__(self, table: Table) -> None:
        self.table = table

    def version(self, tenant_id: str) -> int:
        item = self.table.get({"PK": lexicon_pk(tenant_id), "SK": "VERSION"})
        return int(item["version"]) if item else 0

    def _bump(self, tenant_id: str) -> dict[str, Any]:
        return {"Update": {"Key": {"PK": lexicon_pk(tenant_id), "SK": "VERSION"},
                           "UpdateExpression": "ADD version :one", "values": {":one": 1}}}

    def add_ops(self, tenant_id: str, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The transaction items that add `records` (at most CHUNK) and bump the version."""
        return [{"Put": {"Item": {"PK": lexicon_pk(tenant_id), "SK": f"{r['kind']}#{r['entry_id']}", **r}}}
                for r in records] + [self._bump(tenant_id)]

    def remove_ops(self, tenant_id: str, kind: str, entry_ids: list[str]) -> list[dict[str, Any]]:
        """The transaction items that remove entries and bump the version (once: an item appears once per
        transaction)."""
        return [{"Delete": {"Key": {"PK": lexicon_pk(tenant_id), "SK": f"{kind}#{entry_id}"}}}
                for entry_id in entry_ids] + [self._bump(tenant_id)]

    def add(self, tenant_id: str, records: list[dict[str, Any]], event: Event) -> int:
        """Add entries in audited transactions of up to CHUNK; each records which entries it added."""
        for start in range(0, len(records), CHUNK):
            chunk = records[start:start + CHUNK]
            chunk_event = Event(event.type, {**event.data, "entry_ids": [r["entry_id"] for r in chunk]}, event.ttl_days)
            audit_trail.commit(self.table, tenant_id, self.add_ops(tenant_id, chunk), chunk_event)
        return self.version(tenant_id)

    def remove(self, tenant_id: str, kind: str, entry_id: str, event: Event) -> int:
        try:
            audit_trail.commit(self.table, tenant_id, [
                {"Delete": {"Key": {"PK": lexicon_pk(tenant_id), "SK": f"{kind}#{entry_id}"},
                            "ConditionExpression": "attribute_exists(PK)"}},
                self._bump(tenant_id),
            ], event)
        except audit_trail.ConditionFailed as exc:
            raise NotFound(f"No {kind.lower()} entry {entry_id!r} in this tenant's lexicon.",
                           message_zh="本租户词库中没有该条目。", code="LEXICON_ENTRY_NOT_FOUND") from exc
        return self.version(tenant_id)

    def page(self, tenant_id: str, kind: str, limit: int, cursor: str | None) -> tuple[list[dict[str, Any]],
                                                                                       str | None]:
        partition = lexicon_pk(tenant_id)
        return self.table.page(partition=("PK", partition), limit=limit, cursor=cursor,
                               KeyConditionExpression="PK = :pk AND begins_with(SK, :kind)",
                               values={":pk": partition, ":kind": f"{kind}#"})

    def all_records(self, tenant_id: str) -> list[dict[str, Any]]:
        """Strongly consistent: an index compiled from them is recorded as the version read before."""
        return [item for item in self.table.query(KeyConditionExpression="PK = :pk", ConsistentRead=True,
                                                  values={":pk": lexicon_pk(tenant_id)})
                if item["SK"] != "VERSION"]


def store() -> NamesStore:
    """The DynamoDB store of a running API; tests put `memory_store.MemoryNamesStore` behind this seam."""
    return NamesStore(stores.main_table())
