"""The audit trail as the API shows it: its events, and the verification of the chain (GR2017-11, PA2017-13)."""

from __future__ import annotations

from typing import Any

from chalicelib.core import audit_trail, clock
from chalicelib.core.audit_chain import first_break

PAGE = 500


def listing(tenant_id: str, from_seq: int, limit: int) -> dict[str, Any]:
    items = audit_trail.events(tenant_id, from_seq, limit)
    return {"items": items, "next_from_seq": items[-1]["seq"] + 1 if len(items) == limit else None}


def verify(tenant_id: str, from_seq: int = 1) -> dict[str, Any]:
    """Recompute every hash and link from `from_seq` and compare the head; name the first break."""
    checked, previous, first, cursor = 0, None, None, from_seq
    while True:
        page = audit_trail.events(tenant_id, cursor, PAGE)
        broken = first_break(page, previous)
        if broken is not None:
            return _report(False, checked, first or (page[0]["seq"] if page else None), broken)
        if page:
            first = first or page[0]["seq"]
            previous, checked = page[-1], checked + len(page)
        if len(page) < PAGE:
            break
        cursor = page[-1]["seq"] + 1
    head = audit_trail.head(tenant_id)
    if head is not None and previous is not None and (int(head["seq"]) != previous["seq"] or head["hash"] != previous["hash"]):
        return _report(False, checked, first, {"seq": int(head["seq"]), "reason": "HEAD_MISMATCH"})
    return _report(True, checked, first, None)


def _report(ok: bool, checked: int, first: int | None, broken: dict[str, Any] | None) -> dict[str, Any]:
    return {"verified": ok, "checked": checked, "from_seq": first, "first_broken": broken, "checked_at": clock.iso()}
