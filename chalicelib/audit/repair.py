"""The operator's path when a tenant's audit head is missing or forged (writes answer 503
AUDIT_TRAIL_UNAVAILABLE): re-derive the head from the chain's last live event (GR2017-11, PA2017-13).

A head is restored only over a chain that verifies up to its last live event and still holds the
newest anchor; otherwise the table should first be brought back from point-in-time recovery to before
the deletion. `accept_loss` restores anyway, so the tenant can write again: verification then keeps
reporting the loss (a deleted or anchored event cannot come back), and the restoration event says
what was accepted. Either way the restoration is itself the chain's next event, sealed like any other.
"""

from __future__ import annotations

from typing import Any

from chalicelib.audit import anchors, verification
from chalicelib.core import audit_events, audit_seal, audit_trail, clock
from chalicelib.core.audit_chain import Break, Finding, Walk
from chalicelib.core.errors import Conflict


def _refused(message: str, message_zh: str, code: str, **details: Any) -> Conflict:
    return Conflict(message, message_zh=message_zh, code=code, article="GR2017-11", details=details)


def restore_head(tenant_id: str, *, accept_loss: bool = False) -> dict[str, Any]:
    """Seal a head naming the newest stored event and append an `audit.head_restored` event after it."""
    stored = audit_trail.head(tenant_id)
    if stored is not None and audit_seal.authentic(tenant_id, stored):
        raise _refused("The audit head is intact; there is nothing to restore.", "审计链头完好，无需恢复。",
                       "AUDIT_HEAD_INTACT", seq=stored["seq"])
    newest = audit_trail.newest_stored(tenant_id)
    if newest is None or not isinstance(newest.get("hash"), str):
        raise _refused("No stored event is left to restore the head from.", "没有可用于恢复链头的事件。",
                       "AUDIT_CHAIN_EMPTY")
    anchor = anchors.newest(tenant_id).anchor
    walk = Walk(1, clock.now_epoch(), anchor)
    broken = verification.walk_pages(tenant_id, walk)
    if broken is None and (walk.previous is None or walk.previous["seq"] != newest["seq"]):
        broken = Finding(newest["seq"], Break.DELETED)  # the newest stored event is not the last live one
    if broken is None and anchor is not None and anchor.seq > newest["seq"]:
        broken = Finding(anchor.seq, Break.ANCHOR_MISMATCH)
    if broken is not None and not accept_loss:
        raise _refused("The chain is broken or behind its anchor; restore the table to before the deletion, "
                       "or accept the loss.", "审计链已断裂或落后于锚点；请先将数据表恢复到删除之前，或确认接受损失。",
                       "AUDIT_CHAIN_BROKEN", first_broken=broken.as_dict(), newest_seq=newest["seq"],
                       anchor_seq=anchor.seq if anchor else None)
    event = audit_events.event(
        tenant_id, "audit.head_restored", restored_after_seq=newest["seq"],
        previous_head="MISSING" if stored is None else "INVALID",
        previous_head_seq=stored.get("seq") if stored is not None and type(stored.get("seq")) is int else None,
        anchor_seq=anchor.seq if anchor else None, accepted_loss=broken.as_dict() if broken else None)
    floor = newest["ttl"] if type(newest.get("ttl")) is int else int(clock.now_epoch())
    seq = audit_trail.restore(tenant_id, (newest["seq"], newest["hash"], floor), stored, event)
    return {"tenant_id": tenant_id, "restored_after_seq": newest["seq"], "head_seq": seq,
            "accepted_loss": broken.as_dict() if broken else None}
