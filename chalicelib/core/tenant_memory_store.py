"""Tenants and API keys in memory, for fast tests; held to `tenant_store.DynamoTenantStore` by the same
contract suites (tests/integration/test_stores.py, tests/integration/test_api_key_store.py), and to its
`TenantStore` Protocol by mypy.
"""

from __future__ import annotations

import dataclasses
import threading

from chalicelib.core.audit_chain import Event
from chalicelib.core.tenant_store import TenantStore, key_exists, key_not_found, tenant_exists
from chalicelib.core.tenants import ApiKey, KeyStatus, Tenant


class MemoryTenantStore:
    def __init__(self) -> None:
        self._tenants: dict[str, Tenant] = {}
        self._keys: dict[str, ApiKey] = {}
        self._lock = threading.Lock()

    def create_tenant(self, tenant: Tenant) -> None:
        with self._lock:
            if tenant.tenant_id in self._tenants:
                raise tenant_exists(tenant.tenant_id)
            self._tenants[tenant.tenant_id] = tenant

    def get_tenant(self, tenant_id: str) -> Tenant | None:
        return self._tenants.get(tenant_id)

    def list_tenants(self) -> list[Tenant]:
        return sorted(self._tenants.values(), key=lambda t: t.tenant_id)

    def add_key(self, key: ApiKey, event: Event | None = None) -> None:
        with self._lock:
            if key.digest in self._keys:
                raise key_exists()
            self._keys[key.digest] = key

    def find_key(self, digest: str) -> ApiKey | None:
        return self._keys.get(digest)

    def list_keys(self, tenant_id: str) -> list[ApiKey]:
        return sorted((k for k in self._keys.values() if k.tenant_id == tenant_id),
                      key=lambda k: (k.created_at, k.key_id))

    def revoke_key(self, tenant_id: str, key_id: str, at: str, reason: str, event: Event | None = None) -> ApiKey:
        with self._lock:
            match = next((k for k in self._keys.values() if k.tenant_id == tenant_id and k.key_id == key_id), None)
            if match is None:
                raise key_not_found(key_id)
            if not match.active:
                return match
            revoked = dataclasses.replace(match, status=KeyStatus.REVOKED, revoked_at=at, revoked_reason=reason)
            self._keys[match.digest] = revoked
            return revoked

    def touch_key(self, digest: str, used_at: str) -> bool:
        with self._lock:
            key = self._keys.get(digest)
            if key is None or (key.last_used_at is not None and key.last_used_at >= used_at):
                return False
            self._keys[digest] = dataclasses.replace(key, last_used_at=used_at)
            return True


_CONTRACT: type[TenantStore] = MemoryTenantStore  # mypy holds the fake to the store's contract
