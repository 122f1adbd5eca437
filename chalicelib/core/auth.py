"""Tenant authentication by the `X-Api-Key` header, and what the key may do (its scopes).

One GetItem by the key's SHA-256 finds the tenant (the key item carries what a request
needs of its tenant: sandbox, scopes, expiry), and the answer is cached per container for
`AUTH_CACHE_SECONDS` (default 30 s), so a warm container authenticates without any round trip.
That period is the revocation window: a revoked key stops working at once on the container
that revoked it and within `AUTH_CACHE_SECONDS` on every other one. An expiring key is cached
no longer than until its expiry, and is checked against the clock on every request.
Rejections are cached briefly too, so a flood of wrong keys cannot hammer the table.

Last use is recorded coarsely: when a container reads a key whose `last_used_at` is older than
the current hour, it writes the hour's start with a conditional write, so a key costs at most one
successful write per hour, however many requests and containers use it, and no write per request.
"""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.core import api_keys, clock, stores
from chalicelib.core.cache import ExpiringCache
from chalicelib.core.config import settings
from chalicelib.core.errors import Forbidden, Unauthorized
from chalicelib.core.observability import logger
from chalicelib.core.scopes import EVERY_SCOPE, Scope, ordered
from chalicelib.core.tenant_store import TenantStore
from chalicelib.core.tenants import ApiKey

REJECTION_CACHE_SECONDS = 5
LAST_USED_WINDOW_SECONDS = 3600


@dataclass(frozen=True)
class Principal:
    """Who is calling: the tenant (a platform), which of its keys it used, and what that key may do."""

    tenant_id: str
    key_id: str
    sandbox: bool
    scopes: frozenset[Scope] = EVERY_SCOPE
    expires_epoch: float | None = None


_accepted: ExpiringCache[Principal] = ExpiringCache()
_rejected: ExpiringCache[str] = ExpiringCache()


def authenticate(api_key: str | None, *, store: TenantStore | None = None) -> Principal:
    if not api_key:
        raise Unauthorized(code="API_KEY_MISSING")
    if not api_keys.is_plausible(api_key):
        raise Unauthorized(code="API_KEY_INVALID")
    digest = api_keys.key_digest(api_key)
    principal = _accepted.get(digest)
    if principal is not None and not _expired(principal.expires_epoch):
        return principal
    reason = _rejected.get(digest)
    if reason is not None:
        raise Unauthorized(code=reason)
    store = store or stores.tenants()
    record = store.find_key(digest)
    reason = _refusal(record)
    if record is None or reason is not None:
        _rejected.put(digest, reason or "API_KEY_INVALID", REJECTION_CACHE_SECONDS)
        raise Unauthorized(code=reason or "API_KEY_INVALID")
    expires = clock.parse(record.expires_at).timestamp() if record.expires_at else None
    principal = Principal(tenant_id=record.tenant_id, key_id=record.key_id, sandbox=record.sandbox,
                          scopes=record.scopes, expires_epoch=expires)
    ttl = float(settings().auth_cache_seconds)
    _accepted.put(digest, principal, ttl if expires is None else min(ttl, expires - clock.now_epoch()))
    _note_use(store, record)
    return principal


def _refusal(record: ApiKey | None) -> str | None:
    if record is None:
        return "API_KEY_INVALID"
    if not record.active:
        return "API_KEY_REVOKED"
    if record.expires_at and _expired(clock.parse(record.expires_at).timestamp()):
        return "API_KEY_EXPIRED"
    return None


def _expired(expires_epoch: float | None) -> bool:
    return expires_epoch is not None and clock.now_epoch() >= expires_epoch


def window_start(epoch: float) -> str:
    """The start of the last-used window holding `epoch` (UTC hour)."""
    return clock.iso(clock.parse_epoch(epoch - epoch % LAST_USED_WINDOW_SECONDS))


def _note_use(store: TenantStore, record: ApiKey) -> None:
    """Move last_used_at forward to this hour if it is older; bookkeeping never fails a request."""
    hour = window_start(clock.now_epoch())
    if record.last_used_at is not None and record.last_used_at >= hour:
        return
    try:
        store.touch_key(record.digest, hour)
    except Exception:  # a throttled or failed write only loses one coarse timestamp
        logger.warning("last use of an API key not recorded", extra={"key_id": record.key_id})


def require_scope(principal: Principal, granting: frozenset[Scope], operation_id: str) -> None:
    """403 SCOPE_MISSING unless the key holds one of the scopes that grant the operation (PA2017-13).
    An operation that declares no scope is granted by none: a route added without one fails closed."""
    if principal.scopes & granting:
        return
    needed = ordered(granting)
    raise Forbidden(
        f"This API key lacks the scope {needed[0] if needed else 'none'!r} that {operation_id} needs.",
        message_zh=f"该 API 密钥缺少 {operation_id} 所需的权限范围 {needed[0] if needed else '无'!r}。",
        code="SCOPE_MISSING", article="PA2017-13",
        details={"scope": needed[0] if needed else None, "accepted_scopes": needed,
                 "key_scopes": ordered(principal.scopes)},
    )


def forget(digest: str | None = None) -> None:
    """Drop cached answers: one key's after it is revoked here, or all (tests)."""
    if digest is None:
        _accepted.clear()
        _rejected.clear()
    else:
        _accepted.discard(digest)
        _rejected.discard(digest)
