"""One contract for each store, run against DynamoDB (moto) and the in-memory fake alike."""

from __future__ import annotations

import dataclasses

import pytest

from chalicelib.core import stores
from chalicelib.core.errors import Conflict, NotFound
from chalicelib.core.policy_store import MemoryPolicyStore, StaleVersion
from chalicelib.core.tenant_memory_store import MemoryTenantStore
from chalicelib.core.tenants import ApiKey, KeyStatus, Tenant


@pytest.fixture(params=["dynamodb", "memory"])
def tenant_store(request):
    if request.param == "memory":
        return MemoryTenantStore()
    request.getfixturevalue("backend")
    return stores.tenants()


@pytest.fixture(params=["dynamodb", "memory"])
def policy_store(request):
    if request.param == "memory":
        return MemoryPolicyStore()
    request.getfixturevalue("backend")
    return stores.policies()


def a_key(tenant_id: str, n: int) -> ApiKey:
    return ApiKey(key_id=f"key_{n:016x}", tenant_id=tenant_id, digest=f"{tenant_id}-{n}".ljust(64, "0"),
                  hint="ck_…abcd", label=f"k{n}", status=KeyStatus.ACTIVE, created_at=f"2026-11-25T08:00:0{n}Z",
                  sandbox=True)


def test_a_tenant_is_created_once_and_read_back(tenant_store):
    tenant = Tenant("acme", "Acme", True, "2026-11-25T08:00:00Z")
    tenant_store.create_tenant(tenant)
    assert tenant_store.get_tenant("acme") == tenant
    assert tenant_store.get_tenant("other") is None
    with pytest.raises(Conflict):
        tenant_store.create_tenant(dataclasses.replace(tenant, name="Again"))
    assert [t.tenant_id for t in tenant_store.list_tenants()] == ["acme"]


def test_keys_are_found_by_digest_and_listed_per_tenant_only(tenant_store):
    first, second, foreign = a_key("acme", 1), a_key("acme", 2), a_key("zeta", 3)
    for key in (first, second, foreign):
        tenant_store.add_key(key)
    assert tenant_store.find_key(first.digest) == first
    assert tenant_store.find_key("0" * 64) is None
    assert [k.key_id for k in tenant_store.list_keys("acme")] == [first.key_id, second.key_id]
    with pytest.raises(Conflict):
        tenant_store.add_key(first)


def test_revoking_is_recorded_and_limited_to_the_owning_tenant(tenant_store):
    key = a_key("acme", 1)
    tenant_store.add_key(key)
    with pytest.raises(NotFound):
        tenant_store.revoke_key("zeta", key.key_id, "2026-11-25T09:00:00Z", "not yours")
    revoked = tenant_store.revoke_key("acme", key.key_id, "2026-11-25T09:00:00Z", "leaked")
    assert (revoked.status, revoked.revoked_at, revoked.revoked_reason) == (KeyStatus.REVOKED, "2026-11-25T09:00:00Z",
                                                                            "leaked")
    assert not tenant_store.find_key(key.digest).active
    again = tenant_store.revoke_key("acme", key.key_id, "2026-11-25T10:00:00Z", "twice")
    assert again.revoked_at == "2026-11-25T09:00:00Z"


def test_policy_versions_advance_and_stale_writers_fail(policy_store):
    assert policy_store.load("acme").version == 0
    saved = policy_store.save("acme", {"retention": {"log_days": 200}}, 0, "2026-11-25T08:00:00Z")
    assert saved.version == 1
    assert policy_store.load("acme").overrides == {"retention": {"log_days": 200}}
    with pytest.raises(StaleVersion):
        policy_store.save("acme", {}, 0, "2026-11-25T08:00:01Z")
    assert policy_store.save("acme", {}, 1, "2026-11-25T08:00:02Z").version == 2
    assert policy_store.load("zeta").version == 0
