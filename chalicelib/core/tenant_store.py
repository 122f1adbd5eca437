"""Where tenants and API keys are kept: DynamoDB; its in-memory fake for fast tests is
`tenant_memory_store.MemoryTenantStore`.

Both implementations pass the same contract suite (tests/integration/test_stores.py,
tests/integration/test_api_key_store.py).
"""

from __future__ import annotations

import dataclasses
from typing import Any, Protocol

from botocore.exceptions import ClientError

from chalicelib.core import audit_trail, keys, scopes
from chalicelib.core.audit_chain import Event
from chalicelib.core.dynamo import Table, error_code
from chalicelib.core.errors import Conflict, NotFound
from chalicelib.core.tenants import ApiKey, KeyStatus, Tenant


class TenantStore(Protocol):
    def create_tenant(self, tenant: Tenant) -> None: ...
    def get_tenant(self, tenant_id: str) -> Tenant | None: ...
    def list_tenants(self) -> list[Tenant]: ...
    def add_key(self, key: ApiKey, event: Event | None = None) -> None: ...
    def find_key(self, digest: str) -> ApiKey | None: ...
    def list_keys(self, tenant_id: str) -> list[ApiKey]: ...
    def revoke_key(self, tenant_id: str, key_id: str, at: str, reason: str, event: Event | None = None) -> ApiKey: ...
    def touch_key(self, digest: str, used_at: str) -> bool: ...


def tenant_exists(tenant_id: str) -> Conflict:
    return Conflict(
        f"Tenant {tenant_id!r} already exists.", message_zh=f"租户 {tenant_id!r} 已存在。", code="TENANT_EXISTS"
    )


def key_exists() -> Conflict:
    return Conflict("This API key is already registered.", message_zh="该 API 密钥已登记。", code="API_KEY_EXISTS")


def key_not_found(key_id: str) -> NotFound:
    return NotFound(f"No API key {key_id!r} for this tenant.", message_zh=f"本租户没有 API 密钥 {key_id!r}。",
                    code="API_KEY_NOT_FOUND")


def _key_from_item(item: dict[str, Any]) -> ApiKey:
    return ApiKey(
        key_id=item["key_id"],
        tenant_id=item["tenant_id"],
        digest=item["digest"],
        hint=item["hint"],
        label=item.get("label", ""),
        status=KeyStatus(item["status"]),
        created_at=item["created_at"],
        sandbox=bool(item.get("sandbox")),
        revoked_at=item.get("revoked_at"),
        revoked_reason=item.get("revoked_reason"),
        scopes=scopes.parse(item.get("scopes")),  # absent on keys stored before scopes: every scope
        expires_at=item.get("expires_at"),
        last_used_at=item.get("last_used_at"),
    )


class DynamoTenantStore:
    def __init__(self, table: Table) -> None:
        self.table = table

    def create_tenant(self, tenant: Tenant) -> None:
        item = {
            **keys.tenant_item(tenant.tenant_id),
            "GSI1PK": keys.TENANTS_INDEX_PK,
            "GSI1SK": tenant.tenant_id,
            "tenant_id": tenant.tenant_id,
            "name": tenant.name,
            "sandbox": tenant.sandbox,
            "created_at": tenant.created_at,
        }
        try:
            self.table.put(item, ConditionExpression="attribute_not_exists(PK)")
        except ClientError as exc:
            if error_code(exc) == "ConditionalCheckFailedException":
                raise tenant_exists(tenant.tenant_id) from exc
            raise

    def get_tenant(self, tenant_id: str) -> Tenant | None:
        item = self.table.get(keys.tenant_item(tenant_id))
        if item is None:
            return None
        return Tenant(item["tenant_id"], item["name"], bool(item.get("sandbox")), item["created_at"])

    def list_tenants(self) -> list[Tenant]:
        items = self.table.query(
            index="GSI1", KeyConditionExpression="GSI1PK = :pk", values={":pk": keys.TENANTS_INDEX_PK}
        )
        return [Tenant(i["tenant_id"], i["name"], bool(i.get("sandbox")), i["created_at"]) for i in items]

    def add_key(self, key: ApiKey, event: Event | None = None) -> None:
        item = {
            **keys.api_key_item(key.digest),
            "GSI1PK": keys.api_keys_index(key.tenant_id),
            "GSI1SK": f"{key.created_at}#{key.key_id}",
            **{f.name: getattr(key, f.name) for f in dataclasses.fields(key)},
            "status": key.status.value,
            "scopes": scopes.ordered(key.scopes),
        }
        put = {"Put": {"Item": item, "ConditionExpression": "attribute_not_exists(PK)"}}
        try:
            if event is None:
                self.table.put(item, ConditionExpression="attribute_not_exists(PK)")
            else:
                audit_trail.commit(self.table, key.tenant_id, [put], event)
        except audit_trail.ConditionFailed as exc:
            raise key_exists() from exc
        except ClientError as exc:
            if error_code(exc) == "ConditionalCheckFailedException":
                raise key_exists() from exc
            raise

    def find_key(self, digest: str) -> ApiKey | None:
        item = self.table.get(keys.api_key_item(digest))
        return _key_from_item(item) if item else None

    def list_keys(self, tenant_id: str) -> list[ApiKey]:
        items = self.table.query(
            index="GSI1", KeyConditionExpression="GSI1PK = :pk", values={":pk": keys.api_keys_index(tenant_id)}
        )
        return [_key_from_item(i) for i in items]

    def revoke_key(self, tenant_id: str, key_id: str, at: str, reason: str, event: Event | None = None) -> ApiKey:
        match = next((k for k in self.list_keys(tenant_id) if k.key_id == key_id), None)
        if match is None:
            raise key_not_found(key_id)
        if not match.active:
            return match
        update = {"Update": {"Key": keys.api_key_item(match.digest),
                             "UpdateExpression": "SET #s = :revoked, revoked_at = :at, revoked_reason = :why",
                             "ConditionExpression": "tenant_id = :tenant", "ExpressionAttributeNames": {"#s": "status"},
                             "values": {":revoked": KeyStatus.REVOKED.value, ":at": at, ":why": reason,
                                        ":tenant": tenant_id}}}
        try:
            if event is None:
                self.table.transact([update])
            else:
                audit_trail.commit(self.table, tenant_id, [update], event)
        except (audit_trail.ConditionFailed, ClientError) as exc:
            if isinstance(exc, ClientError) and "TransactionCanceled" not in str(exc):
                raise
            raise key_not_found(key_id) from exc
        return dataclasses.replace(match, status=KeyStatus.REVOKED, revoked_at=at, revoked_reason=reason)

    def touch_key(self, digest: str, used_at: str) -> bool:
        """Record that the key was used in the hour starting `used_at`; conditional, so however many
        containers see the key in that hour, one write lands. False when it was already recorded."""
        try:
            self.table.update(keys.api_key_item(digest), UpdateExpression="SET last_used_at = :at",
                              ConditionExpression="attribute_exists(PK) AND "
                                                  "(attribute_not_exists(last_used_at) OR last_used_at < :at)",
                              values={":at": used_at})
        except ClientError as exc:
            if error_code(exc) == "ConditionalCheckFailedException":
                return False
            raise
        return True
