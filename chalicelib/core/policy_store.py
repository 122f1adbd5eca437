"""Where each tenant's policy overrides are kept, versioned for optimistic concurrency.

Version 0 means "no overrides stored yet". A write names the version it read; a concurrent
writer that got there first makes it fail with `StaleVersion`, never a lost update.
"""

from __future__ import annotations

import copy
import threading
from dataclasses import dataclass
from typing import Any, Protocol

from botocore.exceptions import ClientError

from chalicelib.core import audit_trail, keys
from chalicelib.core.audit_chain import Event
from chalicelib.core.dynamo import Table


class StaleVersion(Exception):
    """The stored version is not the one the writer read."""


@dataclass(frozen=True)
class StoredPolicy:
    overrides: dict[str, Any]
    version: int
    updated_at: str | None


class PolicyStore(Protocol):
    def load(self, tenant_id: str) -> StoredPolicy: ...
    def save(self, tenant_id: str, overrides: dict[str, Any], expected_version: int, at: str,
             event: Event | None = None) -> StoredPolicy: ...


class DynamoPolicyStore:
    def __init__(self, table: Table) -> None:
        self.table = table

    def load(self, tenant_id: str) -> StoredPolicy:
        item = self.table.get(keys.policy_item(tenant_id), consistent=True)
        if item is None:
            return StoredPolicy({}, 0, None)
        return StoredPolicy(item.get("overrides", {}), int(item["version"]), item.get("updated_at"))

    def save(self, tenant_id: str, overrides: dict[str, Any], expected_version: int, at: str,
             event: Event | None = None) -> StoredPolicy:
        """Store the overrides if the version is still `expected_version`; audited when `event` is given."""
        item = {**keys.policy_item(tenant_id), "overrides": overrides, "version": expected_version + 1,
                "updated_at": at}
        put: dict[str, Any] = {"Item": item, "ConditionExpression": "attribute_not_exists(PK)"}
        if expected_version:
            put.update(ConditionExpression="version = :expected", values={":expected": expected_version})
        try:
            if event is None:
                self.table.transact([{"Put": put}])
            else:
                audit_trail.commit(self.table, tenant_id, [{"Put": put}], event)
        except audit_trail.ConditionFailed as exc:
            raise StaleVersion(tenant_id) from exc
        except ClientError as exc:
            if "TransactionCanceled" in str(exc):
                raise StaleVersion(tenant_id) from exc
            raise
        return StoredPolicy(overrides, expected_version + 1, at)


class MemoryPolicyStore:
    def __init__(self) -> None:
        self._items: dict[str, StoredPolicy] = {}
        self._lock = threading.Lock()

    def load(self, tenant_id: str) -> StoredPolicy:
        return copy.deepcopy(self._items.get(tenant_id, StoredPolicy({}, 0, None)))

    def save(self, tenant_id: str, overrides: dict[str, Any], expected_version: int, at: str,
             event: Event | None = None) -> StoredPolicy:
        with self._lock:
            current = self._items.get(tenant_id, StoredPolicy({}, 0, None))
            if current.version != expected_version:
                raise StaleVersion(tenant_id)
            stored = StoredPolicy(copy.deepcopy(overrides), expected_version + 1, at)
            self._items[tenant_id] = stored
            return copy.deepcopy(stored)
