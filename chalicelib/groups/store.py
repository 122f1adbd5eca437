"""Groups, their members and the per-subject group counters in DynamoDB (keys in core/keys.py).

Every cap is a condition of the transaction that changes it (GR2017-8): members per group,
managers per group, groups founded and joined per subject; never read-then-write. `store()` is the
one seam the use cases reach it through; `memory_store.MemoryGroupsStore` is its fake, held to it
by one contract suite. The use cases commit what `*_ops` return through `commit`, with their audit
event (GR2017-11).
"""

from __future__ import annotations

from typing import Any, Protocol

from chalicelib.core import audit_trail, keys, stores
from chalicelib.core.audit_chain import Event
from chalicelib.core.dynamo import Table


class GroupsStore(Protocol):
    def commit(self, tenant_id: str, ops: list[Any], event: Event) -> int: ...
    def group(self, tenant_id: str, group_id: str) -> dict[str, Any] | None: ...
    def member(self, tenant_id: str, group_id: str, subject_id: str) -> dict[str, Any] | None: ...
    def counter(self, tenant_id: str, subject_id: str) -> dict[str, Any]: ...
    def members_page(self, tenant_id: str, group_id: str, limit: int,
                     cursor: str | None) -> tuple[list[dict[str, Any]], str | None]: ...
    def managers(self, tenant_id: str, group_id: str) -> list[dict[str, Any]]: ...
    def led_page(self, tenant_id: str, subject_id: str, limit: int,
                 cursor: str | None) -> tuple[list[dict[str, Any]], str | None]: ...
    def founding_ops(self, tenant_id: str, group: dict[str, Any], founder_member: dict[str, Any],
                     max_founded: int, max_joined: int) -> list[Any]: ...
    def join_ops(self, tenant_id: str, group_id: str, member: dict[str, Any], cap: int,
                 max_joined: int) -> list[Any]: ...
    def leave_ops(self, tenant_id: str, group_id: str, subject_id: str, role: str) -> list[Any]: ...
    def role_ops(self, tenant_id: str, group_id: str, subject_id: str, old: str, new: str,
                 max_managers: int) -> list[Any]: ...


class DynamoGroupsStore:
    def __init__(self, table: Table) -> None:
        self.table = table

    def commit(self, tenant_id: str, ops: list[Any], event: Event) -> int:
        """The ops and their audit event in one transaction; ConditionFailed names the first op refused."""
        return audit_trail.commit(self.table, tenant_id, ops, event)

    # -- reads -----------------------------------------------------------------------------
    def group(self, tenant_id: str, group_id: str) -> dict[str, Any] | None:
        return self.table.get(keys.group_item(tenant_id, group_id), consistent=True)

    def member(self, tenant_id: str, group_id: str, subject_id: str) -> dict[str, Any] | None:
        return self.table.get(keys.group_member_item(tenant_id, group_id, subject_id), consistent=True)

    def counter(self, tenant_id: str, subject_id: str) -> dict[str, Any]:
        return self.table.get(keys.group_counter_item(tenant_id, subject_id), consistent=True) or {}

    def members_page(self, tenant_id: str, group_id: str, limit: int,
                     cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
        partition = keys.group_pk(tenant_id, group_id)
        return self.table.page(partition=("PK", partition), limit=limit, cursor=cursor,
                               KeyConditionExpression="PK = :pk AND begins_with(SK, :member)",
                               values={":pk": partition, ":member": keys.GROUP_MEMBER_PREFIX})

    def managers(self, tenant_id: str, group_id: str) -> list[dict[str, Any]]:
        return list(self.table.query(KeyConditionExpression="PK = :pk AND begins_with(SK, :member)",
                                     FilterExpression="#role = :manager", ExpressionAttributeNames={"#role": "role"},
                                     values={":pk": keys.group_pk(tenant_id, group_id),
                                             ":member": keys.GROUP_MEMBER_PREFIX, ":manager": "MANAGER"}))

    def led_page(self, tenant_id: str, subject_id: str, limit: int,
                 cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
        partition = keys.led_groups_index(tenant_id, subject_id)
        return self.table.page(index="GSI1", partition=("GSI1PK", partition), limit=limit, cursor=cursor,
                               KeyConditionExpression="GSI1PK = :pk", values={":pk": partition})

    # -- writes, as transaction items ------------------------------------------------------
    def founding_ops(self, tenant_id: str, group: dict[str, Any], founder_member: dict[str, Any],
                     max_founded: int, max_joined: int) -> list[dict[str, Any]]:
        """The group, its founder as member, and the founder's counters under both caps (index 0 fails on a cap)."""
        founder = group["founder_subject_id"]
        return [
            {"Update": {"Key": keys.group_counter_item(tenant_id, founder),
                        "UpdateExpression": "ADD founded :one, joined :one",
                        "ConditionExpression": "(attribute_not_exists(founded) OR founded < :founded) AND "
                                               "(attribute_not_exists(joined) OR joined < :joined)",
                        "values": {":one": 1, ":founded": max_founded, ":joined": max_joined}}},
            {"Put": {"Item": {**keys.group_item(tenant_id, group["group_id"]), **group},
                     "ConditionExpression": "attribute_not_exists(PK)"}},
            {"Put": {"Item": {**keys.group_member_item(tenant_id, group["group_id"], founder), **founder_member,
                              **leading(tenant_id, group["group_id"], founder)}}},
        ]

    def join_ops(self, tenant_id: str, group_id: str, member: dict[str, Any], cap: int,
                 max_joined: int) -> list[dict[str, Any]]:
        """Index 0 fails for a member already there, 1 for a full group, 2 for the subject's cap."""
        return [
            {"Put": {"Item": {**keys.group_member_item(tenant_id, group_id, member["subject_id"]), **member},
                     "ConditionExpression": "attribute_not_exists(PK)"}},
            {"Update": {"Key": keys.group_item(tenant_id, group_id), "UpdateExpression": "ADD members :one",
                        "ConditionExpression": "members < :cap", "values": {":one": 1, ":cap": cap}}},
            {"Update": {"Key": keys.group_counter_item(tenant_id, member["subject_id"]),
                        "UpdateExpression": "ADD joined :one",
                        "ConditionExpression": "attribute_not_exists(joined) OR joined < :joined",
                        "values": {":one": 1, ":joined": max_joined}}},
        ]

    def leave_ops(self, tenant_id: str, group_id: str, subject_id: str, role: str) -> list[dict[str, Any]]:
        manager = 1 if role == "MANAGER" else 0
        return [
            {"Delete": {"Key": keys.group_member_item(tenant_id, group_id, subject_id),
                        "ConditionExpression": "#role = :role", "ExpressionAttributeNames": {"#role": "role"},
                        "values": {":role": role}}},
            {"Update": {"Key": keys.group_item(tenant_id, group_id),
                        "UpdateExpression": "ADD members :less, managers :mgr",
                        "values": {":less": -1, ":mgr": -manager}}},
            {"Update": {"Key": keys.group_counter_item(tenant_id, subject_id), "UpdateExpression": "ADD joined :less",
                        "values": {":less": -1}}},
        ]

    def role_ops(self, tenant_id: str, group_id: str, subject_id: str, old: str, new: str,
                 max_managers: int) -> list[dict[str, Any]]:
        """Index 1 fails when a promotion would pass the managers cap."""
        step = 1 if new == "MANAGER" else -1
        group_update: dict[str, Any] = {"Key": keys.group_item(tenant_id, group_id),
                                        "UpdateExpression": "ADD managers :step", "values": {":step": step}}
        if step > 0:
            group_update.update(ConditionExpression="managers < :limit", values={":step": step, ":limit": max_managers})
        return [
            {"Update": {"Key": keys.group_member_item(tenant_id, group_id, subject_id),
                        "UpdateExpression": "SET #role = :new, GSI1PK = :lead, GSI1SK = :gid" if step > 0
                        else "SET #role = :new REMOVE GSI1PK, GSI1SK", "ConditionExpression": "#role = :old",
                        "ExpressionAttributeNames": {"#role": "role"},
                        "values": {":new": new, ":old": old, **({":lead": keys.led_groups_index(tenant_id, subject_id),
                                                                 ":gid": group_id} if step > 0 else {})}}},
            {"Update": group_update},
        ]


def leading(tenant_id: str, group_id: str, subject_id: str) -> dict[str, str]:
    """The index attributes of a member who founded or manages the group (GR2017-8: who answers for it)."""
    return {"GSI1PK": keys.led_groups_index(tenant_id, subject_id), "GSI1SK": group_id}


def store() -> DynamoGroupsStore:
    """The DynamoDB store of a running API (typed as such, so a walk of what a use case can raise
    follows it); tests put a fake behind this seam."""
    return DynamoGroupsStore(stores.main_table())


_CONTRACT: type[GroupsStore] = DynamoGroupsStore  # mypy holds the store to its contract
