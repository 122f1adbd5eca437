"""The audit events use cases record with their state changes (GR2017-11, PA2017-11, PA2017-13)."""

from __future__ import annotations

from typing import Any

from chalicelib.core import policy
from chalicelib.core.audit_chain import Event


def event(tenant_id: str, event_type: str, **data: Any) -> Event:
    """An event for `commit`, kept for the tenant's `retention.audit_days`."""
    return Event(event_type, {k: v for k, v in data.items() if v is not None},
                 policy.setting(tenant_id, "retention", "audit_days"))
