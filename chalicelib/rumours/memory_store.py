"""The rumours store in memory, for fast use-case tests; held to `store.DynamoRumoursStore` by one contract suite."""

from __future__ import annotations

from typing import Any

from chalicelib.core import keys
from chalicelib.core.audit_chain import Event
from chalicelib.core.memory_table import Change, MemoryTable, added
from chalicelib.rumours.store import RATE_TTL_SECONDS, RumoursStore

Item = dict[str, Any]


class MemoryRumoursStore:
    def __init__(self, table: MemoryTable | None = None) -> None:
        self.table = table or MemoryTable()

    def commit(self, tenant_id: str, ops: list[Any], event: Event) -> int:
        return self.table.commit(tenant_id, ops, event)

    def version_key(self, tenant_id: str) -> dict[str, str]:
        return keys.rumour_set_version(tenant_id)

    def rumour(self, tenant_id: str, rumour_id: str) -> Item | None:
        return self.table.get(keys.rumour_item(tenant_id, rumour_id))

    def registration_ops(self, tenant_id: str, rumour: Item) -> list[Change]:
        key, version = keys.rumour_item(tenant_id, rumour["rumour_id"]), keys.rumour_set_version(tenant_id)
        stored = {**key, **rumour, "GSI1PK": keys.rumours_index(tenant_id), "GSI1SK": rumour["rumour_id"]}
        return [Change(key, lambda _: dict(stored)), Change(version, lambda item: added(item, version, version=1))]

    def all_rumours(self, tenant_id: str) -> list[Item]:
        return self.table.query(keys.rumours_index(tenant_id), index="GSI1")

    def add_sighting(self, tenant_id: str, rumour_id: str, sighting: Item) -> None:
        self.table.put({**keys.rumour_sighting_item(tenant_id, rumour_id, sighting["at"], sighting["account_id"]),
                        **sighting})

    def count_in_hour(self, tenant_id: str, rumour_id: str, hour: str, now: int) -> int:
        key = keys.rumour_rate_item(tenant_id, rumour_id, hour)
        self.table.write(Change(key, lambda item: {**added(item, key, sightings=1), "ttl": now + RATE_TTL_SECONDS}))
        return int((self.table.get(key) or {})["sightings"])

    def raise_alert(self, tenant_id: str, alert: Item) -> bool:
        key = keys.rumour_alert_item(tenant_id, alert["hour"], alert["rumour_id"])
        return self.table.write(Change(key, lambda _: {**key, **alert}, lambda item: item is None))

    def sightings(self, tenant_id: str, rumour_id: str) -> list[Item]:
        return self.table.query(keys.rumour_pk(tenant_id, rumour_id), prefix=keys.RUMOUR_SIGHTING_PREFIX)

    def alerts_page(self, tenant_id: str, limit: int, cursor: str | None) -> tuple[list[Item], str | None]:
        return self.table.page(keys.rumour_alerts_pk(tenant_id), limit=limit, cursor=cursor, descending=True)


_CONTRACT: type[RumoursStore] = MemoryRumoursStore  # mypy holds the fake to the store's contract
