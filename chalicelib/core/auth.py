"""Tenant authentication by the `X-Api-Key` header.

One GetItem by the key's SHA-256 finds the tenant (the key item carries what a request
needs of its tenant), and the answer is cached per container for `AUTH_CACHE_SECONDS`
(default 30 s), so a warm container authenticates without any round trip. A revoked key
stops working at once on the container that revoked it and within that period elsewhere.
Rejections are cached briefly too, so a flood of wrong keys cannot hammer the table.
"""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.core import api_keys, stores
from chalicelib.core.cache import ExpiringCache
from chalicelib.core.config import settings
from chalicelib.core.errors import Unauthorized
from chalicelib.core.tenant_store import TenantStore

REJECTION_CACHE_SECONDS = 5


@dataclass(frozen=True)
class Principal:
    """Who is calling: the tenant (a platform) and which of its keys it used."""

    tenant_id: str
    key_id: str
    sandbox: bool


_accepted: ExpiringCache[Principal] = ExpiringCache()
_rejected: ExpiringCache[str] = ExpiringCache()


def authenticate(api_key: str | None, *, store: TenantStore | None = None) -> Principal:
    if not api_key:
        raise Unauthorized(code="API_KEY_MISSING")
    if not api_keys.is_plausible(api_key):
        raise Unauthorized(code="API_KEY_INVALID")
    digest = api_keys.key_digest(api_key)
    principal = _accepted.get(digest)
    if principal is not None:
        return principal
    reason = _rejected.get(digest)
    if reason is not None:
        raise Unauthorized(code=reason)
    record = (store or stores.tenants()).find_key(digest)
    if record is None or not record.active:
        reason = "API_KEY_INVALID" if record is None else "API_KEY_REVOKED"
        _rejected.put(digest, reason, REJECTION_CACHE_SECONDS)
        raise Unauthorized(code=reason)
    principal = Principal(tenant_id=record.tenant_id, key_id=record.key_id, sandbox=record.sandbox)
    _accepted.put(digest, principal, settings().auth_cache_seconds)
    return principal


def forget(digest: str | None = None) -> None:
    """Drop cached answers: one key's after it is revoked here, or all (tests)."""
    if digest is None:
        _accepted.clear()
        _rejected.clear()
    else:
        _accepted.discard(digest)
        _rejected.discard(digest)
