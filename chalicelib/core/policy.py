"""Reading and changing a tenant's policy (the numbers the regulations leave open).

The effective policy is cached per container for `POLICY_CACHE_SECONDS` (default 30 s);
a change made through this container is visible to its next request at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chalicelib.core import clock, policy_rules as rules, scenes, stores, validation
from chalicelib.core.audit_chain import Event
from chalicelib.core.cache import ExpiringCache
from chalicelib.core.config import settings
from chalicelib.core.errors import Conflict, PreconditionFailed
from chalicelib.core.policy_store import PolicyStore, StaleVersion

WRITE_ATTEMPTS = 3


@dataclass(frozen=True)
class PolicyView:
    tenant_id: str
    version: int
    updated_at: str | None
    overrides: dict[str, Any]
    effective: dict[str, Any]

    def as_body(self) -> dict[str, Any]:
        return {
            "tenant_id": self.tenant_id,
            "version": self.version,
            "updated_at": self.updated_at,
            "policy": self.effective,
            "overrides": self.overrides,
            "defaults": rules.DEFAULTS,
        }


_cache: ExpiringCache[PolicyView] = ExpiringCache()


def current(tenant_id: str, *, store: PolicyStore | None = None) -> PolicyView:
    cached = _cache.get(tenant_id)
    if cached is not None:
        return cached
    stored = (store or stores.policies()).load(tenant_id)
    view = PolicyView(tenant_id, stored.version, stored.updated_at, stored.overrides, rules.effective(stored.overrides))
    _cache.put(tenant_id, view, settings().policy_cache_seconds)
    return view


def setting(tenant_id: str, *path: str) -> Any:
    """One value of the effective policy, e.g. ``setting(t, "retention", "log_days")``."""
    value: Any = current(tenant_id).effective
    for part in path:
        value = value[part]
    return value


def apply_patch(
    tenant_id: str, patch: dict[str, Any], *, if_match: int | None = None, store: PolicyStore | None = None
) -> PolicyView:
    """Apply an RFC 7396 merge patch to the tenant's overrides, validated, without lost updates."""
    store = store or stores.policies()
    for _ in range(WRITE_ATTEMPTS):
        stored = store.load(tenant_id)
        if if_match is not None and stored.version != if_match:
            raise _stale(stored.version)
        overrides = rules.prune_empty(rules.merge_patch(stored.overrides, patch))
        effective = rules.effective(overrides)
        validation.check("policy.json", effective)
        scenes.validate(effective)  # what the schema cannot say: known categories, channels, scene names
        # The event is kept for the retention in force before the change, as every other event is.
        event = Event("policy.change", {"version": stored.version + 1, "patch": patch},
                      rules.effective(stored.overrides)["retention"]["audit_days"])
        try:
            saved = store.save(tenant_id, overrides, stored.version, clock.iso(), event)
        except StaleVersion:
            if if_match is not None:
                raise _stale(None) from None
            continue
        view = PolicyView(tenant_id, saved.version, saved.updated_at, saved.overrides, effective)
        _cache.put(tenant_id, view, settings().policy_cache_seconds)
        return view
    raise Conflict(
        "The policy is being changed concurrently; retry.",
        message_zh="策略正被并发修改，请重试。",
        code="POLICY_CONTENDED",
    )


def _stale(current_version: int | None) -> PreconditionFailed:
    details = {} if current_version is None else {"current_version": current_version}
    return PreconditionFailed(details=details)


def forget() -> None:
    _cache.clear()
