"""Tenant authentication, key rotation and revocation, and isolation between tenants."""

from __future__ import annotations

import pytest

from chalicelib.core import api_keys, auth, clock, keys, stores
from chalicelib.core.dynamo import serialize


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


ALL_SCOPES = ["admin", "checks", "identity", "accounts", "moderation", "ingest", "lexicon", "inspect"]


def _mint(api, key, **body):
    return api.call("POST", "/v1/api-keys", key=key, body={"label": "svc", **body})


def test_the_first_key_holds_every_scope_and_says_so(api, tenant):
    # GIVEN a tenant's first key (as the demo key is made) WHEN it asks who it is THEN it holds every scope
    assert api.call("GET", "/v1/tenant", key=tenant.key).json["scopes"] == ALL_SCOPES


def test_a_checks_key_can_check_but_not_mint_list_or_revoke_keys(api, tenant):
    # GIVEN a key for a sign-up service, holding only checks
    created = _mint(api, tenant.key, scopes=["checks"])
    assert (created.status_code, created.json["scopes"]) == (201, ["checks"])
    checks = created.json["api_key"]
    assert api.call("GET", "/v1/tenant", key=checks).json["scopes"] == ["checks"]
    checked = api.call("POST", "/v1/names/check", key=checks, body={"text": "小明", "field": "nickname"})
    assert checked.status_code == 200
    # WHEN it tries to manage keys, even to give itself admin
    for method, path, body in (("POST", "/v1/api-keys", {"scopes": ["admin"]}), ("GET", "/v1/api-keys", None),
                               ("DELETE", f"/v1/api-keys/{tenant.key_id}", None)):
        response = api.call(method, path, key=checks, body=body)
        # THEN 403 SCOPE_MISSING naming admin, and the other key still works
        assert (response.status_code, response.json["error"]["code"]) == (403, "SCOPE_MISSING")
        assert response.json["error"]["details"]["scope"] == "admin"
    assert api.call("GET", "/v1/tenant", key=tenant.key).status_code == 200


def test_an_admin_key_cannot_mint_a_key_with_scopes_it_lacks(api, tenant):
    # GIVEN a key holding only admin
    admin = _mint(api, tenant.key, scopes=["admin"]).json["api_key"]
    before = [k["key_id"] for k in api.call("GET", "/v1/api-keys", key=tenant.key).json["items"]]
    # WHEN it mints a key with moderation (or with admin and moderation)
    for scopes in (["moderation"], ["admin", "moderation"]):
        response = _mint(api, admin, scopes=scopes)
        # THEN 403 SCOPE_ESCALATION naming what it lacks, and no key is stored
        assert (response.status_code, response.json["error"]["code"]) == (403, "SCOPE_ESCALATION")
        assert response.json["error"]["details"]["missing_scopes"] == ["moderation"]
    assert [k["key_id"] for k in api.call("GET", "/v1/api-keys", key=tenant.key).json["items"]] == before
    # AND a rotation without scopes hands on exactly its own
    assert _mint(api, admin).json["scopes"] == ["admin"]


def test_admin_does_not_imply_the_other_scopes(api, tenant):
    admin = _mint(api, tenant.key, scopes=["admin"]).json["api_key"]
    response = api.call("POST", "/v1/dispositions", key=admin, body={})
    assert (response.status_code, response.json["error"]["code"]) == (403, "SCOPE_MISSING")
    assert api.call("PUT", "/v1/policy", key=admin, body={"retention": {"log_days": 200}}).status_code == 200


@pytest.mark.parametrize("scopes", [[], ["root"], ["checks", "checks"], ["Admin"], "admin", ["checks"] * 9])
def test_malformed_scopes_are_refused(api, tenant, scopes):
    response = _mint(api, tenant.key, scopes=scopes)
    assert response.status_code == 400


def test_an_inspect_key_reads_but_cannot_write(api, tenant):
    inspect = _mint(api, tenant.key, scopes=["inspect"]).json["api_key"]
    assert api.call("GET", "/v1/audit", key=inspect).status_code == 200
    assert api.call("GET", "/v1/policy", key=inspect).status_code == 200
    refused = api.call("PUT", "/v1/policy", key=inspect, body={"retention": {"log_days": 200}})
    assert (refused.status_code, refused.json["error"]["details"]["scope"]) == (403, "admin")


def test_a_key_expires_at_its_time(api, tenant):
    # GIVEN a key that expires in an hour
    now = [clock.now_epoch()]
    clock.set_source(lambda: now[0])
    expires = clock.iso(clock.parse_epoch(now[0] + 3600))
    created = _mint(api, tenant.key, scopes=["checks"], expires_at=expires)
    assert created.json["expires_at"] == expires
    key = created.json["api_key"]
    assert api.call("GET", "/v1/tenant", key=key).status_code == 200
    # WHEN the hour has passed THEN it is refused 401 API_KEY_EXPIRED, and listed with its expiry
    now[0] += 3600
    response = api.call("GET", "/v1/tenant", key=key)
    assert (response.status_code, response.json["error"]["code"]) == (401, "API_KEY_EXPIRED")
    listed = {k["key_id"]: k for k in api.call("GET", "/v1/api-keys", key=tenant.key).json["items"]}
    assert listed[created.json["key_id"]]["expires_at"] == expires


def test_a_key_cannot_be_created_already_expired(api, tenant):
    response = _mint(api, tenant.key, scopes=["checks"], expires_at="2001-01-01T00:00:00Z")
    assert (response.status_code, response.json["error"]["code"]) == (422, "API_KEY_EXPIRY_PAST")
    assert len(api.call("GET", "/v1/api-keys", key=tenant.key).json["items"]) == 1


def test_last_use_is_listed_by_the_hour(api, tenant):
    api.call("GET", "/v1/tenant", key=tenant.key)
    listed = api.call("GET", "/v1/api-keys", key=tenant.key).json["items"]
    assert listed[0]["last_used_at"] == auth.window_start(clock.now_epoch())


def test_a_key_stored_before_scopes_holds_every_scope(api, tenant):
    # GIVEN a key item as it was stored before keys had scopes
    table = stores.main_table()
    table._client.update_item(TableName=table.name, UpdateExpression="REMOVE scopes",
                              Key=serialize(keys.api_key_item(api_keys.key_digest(tenant.key))))
    # WHEN it is used THEN it reads as holding every scope, and may still manage keys
    assert api.call("GET", "/v1/tenant", key=tenant.key).json["scopes"] == ALL_SCOPES
    assert _mint(api, tenant.key, scopes=ALL_SCOPES).status_code == 201
