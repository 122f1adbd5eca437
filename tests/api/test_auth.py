"""Tenant authentication, key rotation and revocation, and isolation between tenants."""

from __future__ import annotations

from chalicelib.core import api_keys, stores


def test_missing_wrong_and_malformed_keys_get_401_with_the_envelope(api, tenant):
    for key, code in ((None, "API_KEY_MISSING"), ("ck_" + "x" * 40, "API_KEY_INVALID"), ("short", "API_KEY_INVALID")):
        response = api.call("GET", "/v1/policy", key=key)
        assert response.status_code == 401
        assert response.json["error"]["code"] == code
        assert response.json["error"]["message_zh"]


def test_a_valid_key_identifies_its_tenant(api, tenant):
    response = api.call("GET", "/v1/tenant", key=tenant.key)
    assert response.status_code == 200
    assert response.json["tenant_id"] == "acme"
    assert response.json["key_id"] == tenant.key_id


def test_only_the_digest_of_a_key_is_stored(api, tenant):
    stored = stores.tenants().find_key(api_keys.key_digest(tenant.key))
    assert stored is not None and stored.tenant_id == "acme"
    scanned = stores.main_table()._client.scan(TableName=stores.main_table().name)["Items"]
    assert tenant.key not in str(scanned)


def test_rotation_creates_a_new_key_that_then_revokes_the_old_one(api, tenant):
    created = api.call("POST", "/v1/api-keys", key=tenant.key, body={"label": "rotation"})
    assert created.status_code == 201
    new_key = created.json["api_key"]
    listed = api.call("GET", "/v1/api-keys", key=new_key).json["items"]
    assert {k["key_id"] for k in listed} == {tenant.key_id, created.json["key_id"]}
    assert all("api_key" not in k for k in listed)

    revoked = api.call("DELETE", f"/v1/api-keys/{tenant.key_id}?reason=rotated", key=new_key)
    assert revoked.status_code == 200
    assert (revoked.json["status"], revoked.json["revoked_reason"]) == ("REVOKED", "rotated")
    old = api.call("GET", "/v1/policy", key=tenant.key)
    assert (old.status_code, old.json["error"]["code"]) == (401, "API_KEY_REVOKED")
    assert api.call("GET", "/v1/policy", key=new_key).status_code == 200


def test_a_key_cannot_revoke_itself(api, tenant):
    response = api.call("DELETE", f"/v1/api-keys/{tenant.key_id}", key=tenant.key)
    assert (response.status_code, response.json["error"]["code"]) == (409, "API_KEY_SELF_REVOKE")


def test_one_tenant_can_neither_see_nor_revoke_another_tenants_keys(api, make_tenant):
    acme, zeta = make_tenant("acme"), make_tenant("zeta")
    listed = api.call("GET", "/v1/api-keys", key=zeta.key).json["items"]
    assert [k["key_id"] for k in listed] == [zeta.key_id]
    response = api.call("DELETE", f"/v1/api-keys/{acme.key_id}", key=zeta.key)
    assert (response.status_code, response.json["error"]["code"]) == (404, "API_KEY_NOT_FOUND")
    assert api.call("GET", "/v1/tenant", key=acme.key).status_code == 200


def test_one_tenant_cannot_see_or_change_another_tenants_policy(api, make_tenant):
    acme, zeta = make_tenant("acme"), make_tenant("zeta")
    api.call("PUT", "/v1/policy", key=acme.key, body={"retention": {"log_days": 365}})
    zeta_view = api.call("GET", "/v1/policy", key=zeta.key).json
    assert (zeta_view["tenant_id"], zeta_view["version"], zeta_view["policy"]["retention"]["log_days"]) == ("zeta", 0,
                                                                                                            183)


def test_a_warm_container_authenticates_without_a_database_round_trip(api, tenant, monkeypatch):
    assert api.call("GET", "/v1/policy", key=tenant.key).status_code == 200
    calls = []
    table_get = stores.main_table().__class__.get
    monkeypatch.setattr(stores.main_table().__class__, "get", lambda self, *a,
                        **k: calls.append(a) or table_get(self, *a, **k))
    assert api.call("GET", "/v1/policy", key=tenant.key).status_code == 200
    assert calls == []
