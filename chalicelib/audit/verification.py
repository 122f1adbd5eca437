"""The audit trail as the API shows it: its events, and the verification of the chain (GR2017-11, PA2017-13).

Verification walks the live events page by page (core/audit_chain.Walk), then checks the head (present,
sealed by the product, naming the last event) and the newest anchor outside the table (the chain holds
the anchored hash, the head stands at or after it). Events gone at the start of the chain because their
retention ran out are reported as expired, not as a break.
"""

from __future__ import annotations

from typing import Any

from chalicelib.audit import anchors
from chalicelib.core import audit_seal, audit_trail, clock
from chalicelib.core.audit_chain import Break, Finding, Walk

PAGE = 500


def listing(tenant_id: str, from_seq: int, limit: int) -> dict[str, Any]:
    items = audit_trail.events(tenant_id, from_seq, limit)
    return {"items": items, "next_from_seq": items[-1]["seq"] + 1 if len(items) == limit else None}


def walk_pages(tenant_id: str, walk: Walk) -> Finding | None:
    """Advance `walk` over every live event after where it stands; the first break."""
    cursor = walk.from_seq if walk.previous is None else walk.previous["seq"] + 1
    while True:
        page = audit_trail.events(tenant_id, cursor, PAGE)
        broken = walk.take(page)
        if broken is not None or len(page) < PAGE:
            return broken
        cursor = page[-1]["seq"] + 1


def verify(tenant_id: str, from_seq: int = 1) -> dict[str, Any]:
    """Recompute every hash and link from `from_seq`, then the head and the anchor; name the first break."""
    head, newest = audit_trail.head(tenant_id), anchors.newest(tenant_id)
    walk = Walk(from_seq, clock.now_epoch(), newest.anchor)
    broken = walk_pages(tenant_id, walk)
    if broken is None:
        authentic = head is not None and audit_seal.authentic(tenant_id, head)
        broken = walk.finish(head, authentic, audit_trail.last_stored_seq(tenant_id) if head is None else None)
    if broken is None and newest.invalid_seq is not None:
        broken = Finding(newest.invalid_seq, Break.ANCHOR_INVALID)  # someone wrote an anchor the product did not
    return _report(walk, broken)


def _report(walk: Walk, broken: Finding | None) -> dict[str, Any]:
    anchor = walk.anchor
    return {"verified": broken is None, "checked": walk.checked, "from_seq": walk.first_seq,
            "first_broken": broken.as_dict() if broken else None, "expired_through": walk.expired_through,
            "anchor": {"seq": anchor.seq, "at": anchor.at} if anchor else None, "checked_at": clock.iso()}
