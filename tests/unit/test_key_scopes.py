"""What a key may do and for how long: scopes, expiry, the revocation window and coarse last use, on the
in-memory tenant store with the product clock (PA2017-13, GR2017-11)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chalicelib.core import auth, clock, tenant_store
from chalicelib.core.config import settings
from chalicelib.core.errors import Forbidden, Unauthorized, Unprocessable
from chalicelib.core.scopes import EVERY_SCOPE, Scope, granting, parse
from chalicelib.core.tenant_memory_store import MemoryTenantStore
from chalicelib.core.tenants import Tenant
from chalicelib.tenants import service

SCHEMAS = Path(__file__).resolve().parents[2] / "chalicelib" / "schemas"
START = 1_796_169_600.0  # an hour boundary (2026-12-02T00:00:00Z)
TENANT = Tenant("acme", "Acme", True, "2026-11-25T08:00:00Z")


class CountingStore(MemoryTenantStore):
    def __init__(self) -> None:
        super().__init__()
        self.reads, self.touches, self.writes = 0, 0, 0

    def find_key(self, digest):
        self.reads += 1
        return super().find_key(digest)

    def touch_key(self, digest, used_at):
        self.touches += 1
        wrote = super().touch_key(digest, used_at)
        self.writes += wrote
        return wrote


@pytest.fixture
def now():
    moment = [START]
    clock.set_source(lambda: moment[0])
    return moment


@pytest.fixture
def store(now):
    store = CountingStore()
    store.create_tenant(TENANT)
    return store


def _key(store, **kwargs):
    return service.issue_key(TENANT, store=store, audited=False, **kwargs)


def test_the_schema_lists_exactly_the_scopes():
    schema = json.loads((SCHEMAS / "api_key_scopes.json").read_text("utf-8"))
    assert schema["items"]["enum"] == [scope.value for scope in Scope]


def test_a_key_stored_before_scopes_holds_every_scope_and_unknown_names_grant_nothing():
    item = {"key_id": "key_0000000000000001", "tenant_id": "acme", "digest": "d" * 64, "hint": "ck_…abcd",
            "status": "ACTIVE", "created_at": "2026-01-01T00:00:00Z"}
    # GIVEN a key item written before scopes existed, and one naming a scope this version does not know
    assert tenant_store._key_from_item(item).scopes == EVERY_SCOPE
    assert tenant_store._key_from_item({**item, "scopes": ["checks", "root"]}).scopes == {Scope.CHECKS}
    assert parse([]) == frozenset()


def test_a_key_outside_its_scopes_is_refused_naming_the_scope(store):
    key, _ = _key(store, scopes=frozenset({Scope.CHECKS}))
    principal = auth.authenticate(key, store=store)
    with pytest.raises(Forbidden) as refused:
        auth.require_scope(principal, granting(Scope.ADMIN), "create_api_key")
    assert (refused.value.error_code, refused.value.details["scope"]) == ("SCOPE_MISSING", "admin")
    auth.require_scope(principal, granting((Scope.CHECKS, Scope.INSPECT)), "check_name")


def test_an_operation_declaring_no_scope_is_refused_even_to_every_scope(store):
    principal = auth.authenticate(_key(store)[0], store=store)
    with pytest.raises(Forbidden):
        auth.require_scope(principal, granting(None), "forgotten")


def test_a_key_cannot_hand_on_a_scope_it_lacks(store):
    # WHEN an admin key without checks asks for a key with checks
    with pytest.raises(Forbidden) as refused:
        _key(store, scopes=frozenset({Scope.ADMIN, Scope.CHECKS}), granted_by=frozenset({Scope.ADMIN}))
    # THEN 403 SCOPE_ESCALATION names what it lacks, and no key was stored
    assert (refused.value.error_code, refused.value.details["missing_scopes"]) == ("SCOPE_ESCALATION", ["checks"])
    assert store.list_keys("acme") == []


def test_a_key_cannot_be_made_already_expired(store, now):
    for moment in (now[0], now[0] - 1):
        with pytest.raises(Unprocessable) as refused:
            _key(store, expires_at=clock.iso(clock.parse_epoch(moment)))
        assert refused.value.error_code == "API_KEY_EXPIRY_PAST"


def test_revocation_elsewhere_reaches_this_container_within_the_cache_window(store, now):
    # GIVEN a key this container has just authenticated (and cached)
    key, record = _key(store)
    auth.authenticate(key, store=store)
    window = settings().auth_cache_seconds
    assert window == 30  # the documented revocation window
    # WHEN another container revokes it (this container's cache is not told)
    store.revoke_key("acme", record.key_id, clock.iso(), "leaked")
    # THEN it still works until the window ends, and is refused from then on
    now[0] += window - 0.001
    assert auth.authenticate(key, store=store).key_id == record.key_id
    now[0] += 0.001
    with pytest.raises(Unauthorized) as refused:
        auth.authenticate(key, store=store)
    assert refused.value.error_code == "API_KEY_REVOKED"


def test_an_expiring_key_stops_at_its_expiry_even_when_cached(store, now):
    # GIVEN a key expiring in 100 s, authenticated at 80 s (cached, for at most the window)
    key, _ = _key(store, expires_at=clock.iso(clock.parse_epoch(now[0] + 100)))
    now[0] += 80
    auth.authenticate(key, store=store)
    reads = store.reads
    # WHEN the clock reaches the expiry while the answer is still cached
    now[0] += 19.999
    auth.authenticate(key, store=store)
    assert store.reads == reads  # served from the cache
    now[0] += 0.001
    # THEN it is refused at once, and stays refused
    for _ in range(2):
        with pytest.raises(Unauthorized) as refused:
            auth.authenticate(key, store=store)
        assert refused.value.error_code == "API_KEY_EXPIRED"


def test_last_use_costs_at_most_one_write_per_key_per_hour(store, now):
    # GIVEN a key used every 10 s for 3 hours, by two containers that each cache answers
    key, record = _key(store)
    for step in range(3 * 360):
        now[0] = START + 10 * step
        if step % 7 == 0:
            auth.forget()  # another container, cold
        auth.authenticate(key, store=store)
    # THEN one write per hour landed, never one per request, and last_used_at names the last hour
    assert store.writes == 3
    assert store.touches <= 6
    assert store.find_key(record.digest).last_used_at == "2026-12-02T02:00:00Z"


def test_a_failing_last_use_write_does_not_fail_the_request(store, monkeypatch):
    key, _ = _key(store)

    def throttled(digest, used_at):
        raise RuntimeError("throttled")

    monkeypatch.setattr(store, "touch_key", throttled)
    assert auth.authenticate(key, store=store).tenant_id == "acme"
