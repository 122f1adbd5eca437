"""The names store (a tenant's lexicon) in memory, for fast use-case tests; held to `store.NamesStore` by one
contract suite (PA2017-13, PA2020-8: every change bumps the lexicon version in its own transaction, so a
version names exactly one set of entries)."""

from __future__ import annotations

from typing import Any

from chalicelib.core.audit_chain import Event
from chalicelib.core.audit_trail import ConditionFailed
from chalicelib.core.errors import NotFound
from chalicelib.core.memory_table import Change, MemoryTable, put, version_bump, version_of
from chalicelib.names.store import CHUNK, lexicon_pk

Item = dict[str, Any]



class MemoryNamesStore:
    def __init__(self, table: MemoryTable | None = None) -> None:
        self.table = table or MemoryTable()

    def version(self, tenant_id: str) -> int:
        return version_of(self.table, lexicon_pk(tenant_id))

    def _bump(self, tenant_id: str) -> Change:
        return version_bump(lexicon_pk(tenant_id))

    def add_ops(self, tenant_id: str, records: list[Item]) -> list[Change]:
        keyed = [({"PK": lexicon_pk(tenant_id), "SK": f"{r['kind']}#{r['entry_id']}"}, r) for r in records]
        return [Change(key, put({**key, **record})) for key, record in keyed] + [self._bump(tenant_id)]

    def remove_ops(self, tenant_id: str, kind: str, entry_ids: list[str]) -> list[Change]:
        return [Change({"PK": lexicon_pk(tenant_id), "SK": f"{kind}#{entry_id}"}, lambda _: None)
                for entry_id in entry_ids] + [self._bump(tenant_id)]

    def add(self, tenant_id: str, records: list[Item], event: Event) -> int:
        for start in range(0, len(records), CHUNK):
            chunk = records[start:start + CHUNK]
            chunk_event = Event(event.type, {**event.data, "entry_ids": [r["entry_id"] for r in chunk]}, event.ttl_days)
            self.table.commit(tenant_id, self.add_ops(tenant_id, chunk), chunk_event)
        return self.version(tenant_id)

    def remove(self, tenant_id: str, kind: str, entry_id: str, event: Event) -> int:
        key = {"PK": lexicon_pk(tenant_id), "SK": f"{kind}#{entry_id}"}
        try:
            self.table.commit(tenant_id, [Change(key, lambda _: None, lambda item: item is not None),
                                          self._bump(tenant_id)], event)
        except ConditionFailed as exc:
            raise NotFound(f"No {kind.lower()} entry {entry_id!r} in this tenant's lexicon.",
                           message_zh="本租户词库中没有该条目。", code="LEXICON_ENTRY_NOT_FOUND") from exc
        return self.version(tenant_id)

    def page(self, tenant_id: str, kind: str, limit: int, cursor: str | None) -> tuple[list[Item], str | None]:
        return self.table.page(lexicon_pk(tenant_id), limit=limit, cursor=cursor, prefix=f"{kind}#")

    def all_records(self, tenant_id: str) -> list[Item]:
        return [item for item in self.table.query(lexicon_pk(tenant_id)) if item["SK"] != "VERSION"]
