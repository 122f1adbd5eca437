"""The audit events use cases record with their state changes (GR2017-11, PA2017-11, PA2017-13)."""

from __future__ import annotations

from typing import Any

from chalicelib.core import policy
from chalicelib.core.audit_chain import Event


def event(tenant_id: str, event_type: str, **data: Any) -> Event:
    """An event for `commit`, kept for the tenant's `retention.audit_days` as it stands now; `commit` keeps
    it no shorter than the event before it, so lowering the setting never lets a younger event expire
    before an older one (the chain's expired part stays a prefix, MB2018-16)."""
    return Event(event_type, {k: v for k, v in data.items() if v is not None},
                 policy.setting(tenant_id, "retention", "audit_days"))
