"""The avatar banks in memory, for fast use-case tests; held to `store.AvatarStore` by one contract suite
(PA2017-13: every change bumps the bank version, so a container knows whether its index is current)."""

from __future__ import annotations

from typing import Any

from chalicelib.avatars.store import banks_pk
from chalicelib.core.audit_chain import Event
from chalicelib.core.memory_table import Change, MemoryTable, put, version_bump, version_of

Item = dict[str, Any]
# What `AvatarStore.all_entries` projects: what an index is built from, nothing more.
INDEXED = ("bank", "entry_id", "pdq", "crop_pdq", "label", "owner_subject_ids")



class MemoryAvatarStore:
    def __init__(self, table: MemoryTable | None = None) -> None:
        self.table = table or MemoryTable()

    def commit(self, tenant_id: str, ops: list[Any], event: Event) -> int:
        return self.table.commit(tenant_id, ops, event)

    def version(self, tenant_id: str) -> int:
        return version_of(self.table, banks_pk(tenant_id))

    def bump(self, tenant_id: str) -> Change:
        return version_bump(banks_pk(tenant_id))

    def _key(self, tenant_id: str, bank: str, entry_id: str) -> dict[str, str]:
        return {"PK": banks_pk(tenant_id), "SK": f"{bank}#{entry_id}"}

    def put_ops(self, tenant_id: str, entries: list[Item]) -> list[Change]:
        return [Change(key, put({**key, **e})) for e in entries
                for key in [self._key(tenant_id, e["bank"], e["entry_id"])]] + [self.bump(tenant_id)]

    def delete_ops(self, tenant_id: str, bank: str, entry_ids: list[str]) -> list[Change]:
        return [Change(self._key(tenant_id, bank, e), lambda _: None, lambda item: item is not None)
                for e in entry_ids] + [self.bump(tenant_id)]

    def remove_ops(self, tenant_id: str, bank: str, entry_ids: list[str]) -> list[Change]:
        return [Change(self._key(tenant_id, bank, e), lambda _: None)
                for e in dict.fromkeys(entry_ids)] + [self.bump(tenant_id)]

    def put_many(self, tenant_id: str, entries: list[Item]) -> list[int]:
        for e in entries:
            self.table.put({**self._key(tenant_id, e["bank"], e["entry_id"]), **e})
        return []

    def all_entries(self, tenant_id: str) -> list[Item]:
        return [{k: i[k] for k in INDEXED if k in i} for i in self.table.query(banks_pk(tenant_id)) if "entry_id" in i]

    def page(self, tenant_id: str, bank: str, limit: int, cursor: str | None) -> tuple[list[Item], str | None]:
        return self.table.page(banks_pk(tenant_id), limit=limit, cursor=cursor, prefix=f"{bank}#")
