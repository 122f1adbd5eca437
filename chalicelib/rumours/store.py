"""Rumours, their sightings, hourly counts and alerts in DynamoDB (keys in core/keys.py).

A rumour's sightings share its partition, so tracing back is one Query; registering a rumour bumps
the rumour set's VERSION in the same transaction, which tells a container its index is stale.
`store()` is the one seam the use cases reach it through; `memory_store.MemoryRumoursStore` is its
fake, held to it by one contract suite.
"""

from __future__ import annotations

from typing import Any, Protocol

from botocore.exceptions import ClientError

from chalicelib.core import audit_trail, keys, stores
from chalicelib.core.audit_chain import Event
from chalicelib.core.dynamo import Table, error_code

RATE_TTL_SECONDS = 2 * 86400  # an hour's count outlives its hour for the alert, then expires


class RumoursStore(Protocol):
    def commit(self, tenant_id: str, ops: list[Any], event: Event) -> int: ...
    def version_key(self, tenant_id: str) -> dict[str, str]: ...
    def rumour(self, tenant_id: str, rumour_id: str) -> dict[str, Any] | None: ...
    def registration_ops(self, tenant_id: str, rumour: dict[str, Any]) -> list[Any]: ...
    def all_rumours(self, tenant_id: str) -> list[dict[str, Any]]: ...
    def add_sighting(self, tenant_id: str, rumour_id: str, sighting: dict[str, Any]) -> None: ...
    def count_in_hour(self, tenant_id: str, rumour_id: str, hour: str, now: int) -> int: ...
    def raise_alert(self, tenant_id: str, alert: dict[str, Any]) -> bool: ...
    def sightings(self, tenant_id: str, rumour_id: str) -> list[dict[str, Any]]: ...
    def alerts_page(self, tenant_id: str, limit: int,
                    cursor: str | None) -> tuple[list[dict[str, Any]], str | None]: ...


class DynamoRumoursStore:
    def __init__(self, table: Table) -> None:
        self.table = table

    def commit(self, tenant_id: str, ops: list[Any], event: Event) -> int:
        """The ops and their audit event in one transaction."""
        return audit_trail.commit(self.table, tenant_id, ops, event)

    @staticmethod
    def version_key(tenant_id: str) -> dict[str, str]:
        return keys.rumour_set_version(tenant_id)

    def rumour(self, tenant_id: str, rumour_id: str) -> dict[str, Any] | None:
        return self.table.get(keys.rumour_item(tenant_id, rumour_id))

    @staticmethod
    def registration_ops(tenant_id: str, rumour: dict[str, Any]) -> list[dict[str, Any]]:
        return [{"Put": {"Item": {**keys.rumour_item(tenant_id, rumour["rumour_id"]), **rumour,
                                  "GSI1PK": keys.rumours_index(tenant_id), "GSI1SK": rumour["rumour_id"]}}},
                {"Update": {"Key": keys.rumour_set_version(tenant_id), "UpdateExpression": "ADD version :one",
                            "values": {":one": 1}}}]

    def all_rumours(self, tenant_id: str) -> list[dict[str, Any]]:
        return list(self.table.query(index="GSI1", KeyConditionExpression="GSI1PK = :pk",
                                     values={":pk": keys.rumours_index(tenant_id)}))

    def add_sighting(self, tenant_id: str, rumour_id: str, sighting: dict[str, Any]) -> None:
        self.table.put({**keys.rumour_sighting_item(tenant_id, rumour_id, sighting["at"], sighting["account_id"]),
                        **{k: v for k, v in sighting.items() if v is not None}})

    def count_in_hour(self, tenant_id: str, rumour_id: str, hour: str, now: int) -> int:
        counted = self.table.update(keys.rumour_rate_item(tenant_id, rumour_id, hour),
                                    UpdateExpression="ADD sightings :one SET #ttl = :ttl",
                                    ExpressionAttributeNames={"#ttl": "ttl"},
                                    values={":one": 1, ":ttl": now + RATE_TTL_SECONDS}, ReturnValues="ALL_NEW")
        return int(counted["sightings"])

    def raise_alert(self, tenant_id: str, alert: dict[str, Any]) -> bool:
        """The hour's alert for a rumour, once: False when it was already raised."""
        try:
            self.table.put({**keys.rumour_alert_item(tenant_id, alert["hour"], alert["rumour_id"]), **alert},
                           ConditionExpression="attribute_not_exists(PK)")
        except ClientError as exc:
            if error_code(exc) != "ConditionalCheckFailedException":
                raise
            return False
        return True

    def sightings(self, tenant_id: str, rumour_id: str) -> list[dict[str, Any]]:
        return list(self.table.query(KeyConditionExpression="PK = :pk AND begins_with(SK, :sight)",
                                     values={":pk": keys.rumour_pk(tenant_id, rumour_id),
                                             ":sight": keys.RUMOUR_SIGHTING_PREFIX}))

    def alerts_page(self, tenant_id: str, limit: int, cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
        partition = keys.rumour_alerts_pk(tenant_id)
        return self.table.page(partition=("PK", partition), limit=limit, cursor=cursor, ScanIndexForward=False,
                               KeyConditionExpression="PK = :pk", values={":pk": partition})


def store() -> DynamoRumoursStore:
    """The DynamoDB store of a running API (typed as such, so a walk of what a use case can raise
    follows it); tests put a fake behind this seam."""
    return DynamoRumoursStore(stores.main_table())


_CONTRACT: type[RumoursStore] = DynamoRumoursStore  # mypy holds the store to its contract
