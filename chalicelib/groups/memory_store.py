"""The groups store in memory, for fast use-case tests; held to `store.DynamoGroupsStore` by one contract
suite (GR2017-8: the same caps refuse the same op, by its position in the transaction)."""

from __future__ import annotations

from typing import Any

from chalicelib.core import keys
from chalicelib.core.audit_chain import Event
from chalicelib.core.dynamo_cursor import decode_cursor, encode_cursor
from chalicelib.core.memory_table import Change, MemoryTable, added
from chalicelib.groups.store import GroupsStore, leading

Item = dict[str, Any]


def _absent(item: Item | None) -> bool:
    return item is None


def _below(name: str, limit: int, *, when_absent: bool = True) -> Any:
    """``name < :limit``; an absent attribute passes only where the condition says
    ``attribute_not_exists(name) OR`` (a comparison with a missing attribute is false in DynamoDB)."""
    def check(item: Item | None) -> bool:
        if item is None or name not in item:
            return when_absent
        return int(item[name]) < limit
    return check


class MemoryGroupsStore:
    def __init__(self, table: MemoryTable | None = None) -> None:
        self.table = table or MemoryTable()

    def commit(self, tenant_id: str, ops: list[Any], event: Event) -> int:
        return self.table.commit(tenant_id, ops, event)

    # -- reads -----------------------------------------------------------------------------
    def group(self, tenant_id: str, group_id: str) -> Item | None:
        return self.table.get(keys.group_item(tenant_id, group_id))

    def member(self, tenant_id: str, group_id: str, subject_id: str) -> Item | None:
        return self.table.get(keys.group_member_item(tenant_id, group_id, subject_id))

    def counter(self, tenant_id: str, subject_id: str) -> Item:
        return self.table.get(keys.group_counter_item(tenant_id, subject_id)) or {}

    def members_page(self, tenant_id: str, group_id: str, limit: int,
                     cursor: str | None) -> tuple[list[Item], str | None]:
        return self.table.page(keys.group_pk(tenant_id, group_id), limit=limit, cursor=cursor,
                               prefix=keys.GROUP_MEMBER_PREFIX)

    def managers(self, tenant_id: str, group_id: str) -> list[Item]:
        return [m for m in self.table.query(keys.group_pk(tenant_id, group_id), prefix=keys.GROUP_MEMBER_PREFIX)
                if m.get("role") == "MANAGER"]

    def led_page(self, tenant_id: str, subject_id: str, limit: int,
                 cursor: str | None) -> tuple[list[Item], str | None]:
        partition = keys.led_groups_index(tenant_id, subject_id)
        found = self.table.query(partition, index="GSI1")
        if cursor:
            start = decode_cursor(cursor, ("GSI1PK", partition), index="GSI1")["GSI1SK"]["S"]
            found = [i for i in found if i["GSI1SK"] > start]
        last = found[limit - 1] if len(found) > limit else None
        next_cursor = encode_cursor({k: {"S": last[k]} for k in ("PK", "SK", "GSI1PK", "GSI1SK")}) if last else None
        return found[:limit], next_cursor

    # -- writes, as transaction items ------------------------------------------------------
    def founding_ops(self, tenant_id: str, group: Item, founder_member: Item, max_founded: int,
                     max_joined: int) -> list[Change]:
        founder = group["founder_subject_id"]
        counter = keys.group_counter_item(tenant_id, founder)
        group_key = keys.group_item(tenant_id, group["group_id"])
        member_key = keys.group_member_item(tenant_id, group["group_id"], founder)
        return [Change(counter, lambda item: added(item, counter, founded=1, joined=1),
                       lambda item: _below("founded", max_founded)(item) and _below("joined", max_joined)(item)),
                Change(group_key, lambda _: {**group_key, **group}, _absent),
                Change(member_key, lambda _: {**member_key, **founder_member,
                                              **leading(tenant_id, group["group_id"], founder)})]

    def join_ops(self, tenant_id: str, group_id: str, member: Item, cap: int, max_joined: int) -> list[Change]:
        member_key = keys.group_member_item(tenant_id, group_id, member["subject_id"])
        group_key = keys.group_item(tenant_id, group_id)
        counter = keys.group_counter_item(tenant_id, member["subject_id"])
        return [Change(member_key, lambda _: {**member_key, **member}, _absent),
                Change(group_key, lambda item: added(item, group_key, members=1),
                       _below("members", cap, when_absent=False)),
                Change(counter, lambda item: added(item, counter, joined=1), _below("joined", max_joined))]

    def leave_ops(self, tenant_id: str, group_id: str, subject_id: str, role: str) -> list[Change]:
        manager = 1 if role == "MANAGER" else 0
        group_key, counter = keys.group_item(tenant_id, group_id), keys.group_counter_item(tenant_id, subject_id)
        return [Change(keys.group_member_item(tenant_id, group_id, subject_id), lambda _: None,
                       lambda item: item is not None and item.get("role") == role),
                Change(group_key, lambda item: added(item, group_key, members=-1, managers=-manager)),
                Change(counter, lambda item: added(item, counter, joined=-1))]

    def role_ops(self, tenant_id: str, group_id: str, subject_id: str, old: str, new: str,
                 max_managers: int) -> list[Change]:
        step = 1 if new == "MANAGER" else -1
        member_key, group_key = keys.group_member_item(tenant_id, group_id, subject_id), keys.group_item(tenant_id,
                                                                                                           group_id)
        capped = _below("managers", max_managers, when_absent=False) if step > 0 else (lambda _: True)
        index = leading(tenant_id, group_id, subject_id) if step > 0 else {}
        return [Change(member_key, lambda item: {**{k: v for k, v in (item or member_key).items()
                                                    if k not in ("GSI1PK", "GSI1SK")}, **index, "role": new},
                       lambda item: item is not None and item.get("role") == old),
                Change(group_key, lambda item: added(item, group_key, managers=step), capped)]


_CONTRACT: type[GroupsStore] = MemoryGroupsStore  # mypy holds the fake to the store's contract
