"""Tenants (one per platform) and their API keys, as plain values."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from chalicelib.core.scopes import EVERY_SCOPE, Scope

TENANT_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$")


class KeyStatus(str, Enum):
    ACTIVE = "ACTIVE"
    REVOKED = "REVOKED"


@dataclass(frozen=True)
class Tenant:
    tenant_id: str
    name: str
    sandbox: bool
    created_at: str


@dataclass(frozen=True)
class ApiKey:
    key_id: str
    tenant_id: str
    digest: str
    hint: str
    label: str
    status: KeyStatus
    created_at: str
    # Copied from the tenant so that one GetItem authenticates a request.
    sandbox: bool = False
    revoked_at: str | None = None
    revoked_reason: str | None = None
    # What the key may do (core/scopes.py); a key stored before scopes existed holds every scope.
    scopes: frozenset[Scope] = EVERY_SCOPE
    # After this instant the key no longer authenticates (401 API_KEY_EXPIRED); None: no expiry.
    expires_at: str | None = None
    # The start of the hour in which the key was last used (coarse: at most one write per key per hour).
    last_used_at: str | None = None

    @property
    def active(self) -> bool:
        return self.status is KeyStatus.ACTIVE
