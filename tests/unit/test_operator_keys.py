"""An operator's own API key (the CLI's tenant creation, DEMO_API_KEY) that could never authenticate is refused
with its own code, 400 API_KEY_MALFORMED, before anything is written; API_KEY_INVALID stays the 401 of a key
presented to the API (PA2017-13: one code, one meaning, one status)."""

from __future__ import annotations

import pytest

from chalicelib.core import error_catalogue
from chalicelib.core.errors import InvalidRequest
from chalicelib.core.tenant_memory_store import MemoryTenantStore
from chalicelib.tenants import service

MALFORMED = ["short", "ck_" + "x" * 20, "ck_" + "密" * 30, "ck_ with a space " + "x" * 20, "x" * 257,
             "ck_\n" + "x" * 30]


@pytest.mark.parametrize("key", MALFORMED)
def test_a_tenant_created_with_a_malformed_key_is_refused_and_not_written(key):
    # GIVEN an operator who chose a key too short, too long, non-ASCII or with white space
    store = MemoryTenantStore()
    # WHEN the tenant is created with it
    with pytest.raises(InvalidRequest) as refused:
        service.create_tenant("示例平台", tenant_id="example", key=key, store=store)
    # THEN it is 400 API_KEY_MALFORMED, as catalogued, and no tenant is left without its first key
    assert (refused.value.status, refused.value.error_code) == (400, "API_KEY_MALFORMED")
    assert error_catalogue.by_code()["API_KEY_MALFORMED"].status == 400
    assert store.get_tenant("example") is None


def test_a_key_issued_with_a_malformed_plaintext_is_refused_with_the_same_code(backend):
    store = MemoryTenantStore()
    tenant, _, _ = service.create_tenant("示例平台", tenant_id="example", store=store)
    with pytest.raises(InvalidRequest) as refused:
        service.issue_key(tenant, key="short", store=store)
    assert refused.value.error_code == "API_KEY_MALFORMED" and len(store.list_keys("example")) == 1


def test_a_well_formed_operator_key_is_the_tenants_first_key(backend):
    store = MemoryTenantStore()
    _, plaintext, record = service.create_tenant("示例平台", tenant_id="example", key="ck_demo_" + "k" * 32,
                                                 store=store)
    assert plaintext == "ck_demo_" + "k" * 32 and record.tenant_id == "example"
