"""The API key contract of the tenant stores, DynamoDB (moto) and the in-memory fake alike: scopes and
expiry round trip, and last use moves forward once per window (a conditional write, never per request)."""

from __future__ import annotations

import pytest

from chalicelib.core import stores
from chalicelib.core.scopes import Scope
from chalicelib.core.tenant_memory_store import MemoryTenantStore
from chalicelib.core.tenants import ApiKey, KeyStatus


@pytest.fixture(params=["dynamodb", "memory"])
def tenant_store(request):
    if request.param == "memory":
        return MemoryTenantStore()
    request.getfixturevalue("backend")
    return stores.tenants()


def _key(**kwargs) -> ApiKey:
    return ApiKey(key_id="key_00000000000000a1", tenant_id="acme", digest="a" * 64, hint="ck_…abcd", label="svc",
                  status=KeyStatus.ACTIVE, created_at="2026-11-25T08:00:00Z", **kwargs)


def test_scopes_and_expiry_are_kept(tenant_store):
    tenant_store.add_key(_key(scopes=frozenset({Scope.INSPECT, Scope.CHECKS}), expires_at="2027-01-01T00:00:00Z"))
    found = tenant_store.find_key("a" * 64)
    assert (found.scopes, found.expires_at) == ({Scope.CHECKS, Scope.INSPECT}, "2027-01-01T00:00:00Z")


def test_last_use_is_written_once_per_window_and_only_forward(tenant_store):
    tenant_store.add_key(_key())
    # GIVEN the key's first use in an hour, WHEN a second container records the same hour, or an older one
    assert tenant_store.touch_key("a" * 64, "2026-12-01T10:00:00Z") is True
    assert tenant_store.touch_key("a" * 64, "2026-12-01T10:00:00Z") is False
    assert tenant_store.touch_key("a" * 64, "2026-12-01T09:00:00Z") is False
    # THEN only the first landed; the next hour lands again; an unknown key is never created by it
    assert tenant_store.touch_key("a" * 64, "2026-12-01T11:00:00Z") is True
    assert tenant_store.find_key("a" * 64).last_used_at == "2026-12-01T11:00:00Z"
    assert tenant_store.touch_key("b" * 64, "2026-12-01T11:00:00Z") is False
    assert tenant_store.find_key("b" * 64) is None
