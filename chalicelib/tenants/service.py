"""Use cases for tenants and their API keys (operator CLI and tenant self-service)."""

from __future__ import annotations

import secrets

from chalicelib.core import api_keys, audit_events as audit, auth, clock, stores
from chalicelib.core.audit_chain import Event
from chalicelib.core.errors import Conflict, Forbidden, InvalidRequest, NotFound, Unprocessable
from chalicelib.core.scopes import EVERY_SCOPE, Scope, ordered
from chalicelib.core.tenant_store import TenantStore
from chalicelib.core.tenants import TENANT_ID, ApiKey, KeyStatus, Tenant


def create_tenant(
    name: str,
    *,
    tenant_id: str | None = None,
    sandbox: bool = False,
    key: str | None = None,
    store: TenantStore | None = None,
) -> tuple[Tenant, str, ApiKey]:
    """Create a tenant and its first API key; the plaintext key is returned once, never stored."""
    store = store or stores.tenants()
    tenant_id = tenant_id or "t-" + secrets.token_hex(5)
    if not TENANT_ID.match(tenant_id):
        raise InvalidRequest(
            "Tenant ids are 3-40 lowercase letters, digits and hyphens.",
            message_zh="租户编号须为 3 至 40 位小写字母、数字或连字符。",
            code="TENANT_ID_INVALID",
        )
    if key is not None:
        _refuse_malformed(key)  # before the tenant is written: never a tenant left without its first key
    tenant = Tenant(tenant_id=tenant_id, name=name, sandbox=sandbox, created_at=clock.iso())
    store.create_tenant(tenant)
    plaintext, record = issue_key(tenant, label="initial", key=key, store=store)
    return tenant, plaintext, record


def find_tenant(tenant_id: str, *, store: TenantStore | None = None) -> Tenant:
    tenant = (store or stores.tenants()).get_tenant(tenant_id)
    if tenant is None:
        raise NotFound(f"No tenant {tenant_id!r}.", message_zh=f"租户 {tenant_id!r} 不存在。", code="TENANT_NOT_FOUND")
    return tenant


def issue_key(
    tenant: Tenant, *, label: str = "", key: str | None = None, store: TenantStore | None = None,
    audited: bool = True, scopes: frozenset[Scope] = EVERY_SCOPE, expires_at: str | None = None,
    granted_by: frozenset[Scope] | None = None,
) -> tuple[str, ApiKey]:
    """A new key holding `scopes`. `granted_by`: the scopes of the key that asks for it; a key can hand on
    only what it holds (PA2017-13: least privilege), so a key cannot mint its way to more power.
    Without it (the operator CLI, a tenant's first key) the key may hold every scope."""
    if granted_by is not None and not scopes <= granted_by:
        raise escalation(scopes - granted_by)
    if expires_at is not None and clock.parse(expires_at).timestamp() <= clock.now_epoch():
        # A well-formed instant the schema accepts, refused for what it means: 422, not 400.
        raise Unprocessable("expires_at must lie in the future.", message_zh="expires_at 必须晚于当前时间。",
                            code="API_KEY_EXPIRY_PAST", details={"expires_at": expires_at, "now": clock.iso()})
    store = store or stores.tenants()
    plaintext = key or api_keys.generate_key()
    _refuse_malformed(plaintext)
    record = ApiKey(
        key_id=api_keys.new_key_id(),
        tenant_id=tenant.tenant_id,
        digest=api_keys.key_digest(plaintext),
        hint=api_keys.hint(plaintext),
        label=label,
        status=KeyStatus.ACTIVE,
        created_at=clock.iso(),
        sandbox=tenant.sandbox,
        scopes=scopes,
        expires_at=expires_at,
    )
    store.add_key(record, _event(tenant, "api_key.create", key_id=record.key_id, label=label, scopes=ordered(scopes),
                                 expires_at=expires_at) if audited else None)
    return plaintext, record


def _refuse_malformed(key: str) -> None:
    """An operator's own key (the CLI, DEMO_API_KEY) that could never authenticate: 400 API_KEY_MALFORMED, its own
    code, since API_KEY_INVALID is the 401 of a key presented to the API (core/auth.py)."""
    if not api_keys.is_plausible(key):
        raise InvalidRequest(
            f"An API key must be {api_keys.MIN_KEY_LENGTH}-{api_keys.MAX_KEY_LENGTH} printable ASCII characters.",
            message_zh=f"API 密钥须为 {api_keys.MIN_KEY_LENGTH} 至 {api_keys.MAX_KEY_LENGTH} 个可打印 ASCII 字符。",
            code="API_KEY_MALFORMED", details={"min_length": api_keys.MIN_KEY_LENGTH,
                                               "max_length": api_keys.MAX_KEY_LENGTH},
        )


def escalation(missing: frozenset[Scope]) -> Forbidden:
    names = ordered(missing)
    return Forbidden("A key cannot grant scopes it does not hold.", message_zh="密钥不能授予其自身不具备的权限范围。",
                     code="SCOPE_ESCALATION", article="PA2017-13", details={"missing_scopes": names})


def _event(tenant: Tenant, event_type: str, **data: object) -> Event:
    return audit.event(tenant.tenant_id, event_type, **data)


def revoke_key(
    tenant_id: str, key_id: str, *, reason: str, acting_key_id: str | None = None, store: TenantStore | None = None
) -> ApiKey:
    """Revoke one of the tenant's keys. A key cannot revoke itself: rotate with the new key."""
    if acting_key_id is not None and key_id == acting_key_id:
        raise Conflict(
            "A key cannot revoke itself; revoke it with another of the tenant's keys.",
            message_zh="密钥不能吊销自身，请使用本租户的其他密钥吊销。",
            code="API_KEY_SELF_REVOKE",
        )
    store = store or stores.tenants()
    event = audit.event(tenant_id, "api_key.revoke", key_id=key_id, reason=reason[:200] or None)
    revoked = store.revoke_key(tenant_id, key_id, clock.iso(), reason, event)
    auth.forget(revoked.digest)
    return revoked


def list_keys(tenant_id: str, *, store: TenantStore | None = None) -> list[ApiKey]:
    return (store or stores.tenants()).list_keys(tenant_id)


def list_tenants(*, store: TenantStore | None = None) -> list[Tenant]:
    return (store or stores.tenants()).list_tenants()
