"""The audit trail as the API shows it: its events, and the verification of the chain (GR2017-11, PA2017-13).

Verification walks the live events page by page (core/audit_chain.Walk), then checks the head (present,
sealed by the product, naming the last event) and the newest anchor outside the table (the chain holds
the anchored hash, the head stands at or after it). Events gone at the start of the chain because their
retention ran out are reported as expired, not as a break.

A request checks at most `limit` events (MAX_EVENTS): the answer says whether it reached the head
(`complete`), the last event it checked, and the body that continues it (`next`). A walk from a seq links
its first event to the one before it when that one is live and intact, so pages continued one after the
other check every link. `from: "checkpoint"` continues from the stored checkpoint (audit/store.py), which
a clean walk from it moves forward; the daily schedule verifies every chain that way and counts a break
as the AuditChainBroken metric.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit, single_metric

from chalicelib.audit import anchors
from chalicelib.audit.store import CheckpointStore
from chalicelib.core import audit_seal, audit_trail, clock, stores
from chalicelib.core.audit_chain import Break, Finding, Walk, digest
from chalicelib.core.observability import NAMESPACE, logger

PAGE = 500
MAX_EVENTS = 10_000  # per request: a few seconds of hashing and 20 queries, well inside the API's 29 s


def listing(tenant_id: str, from_seq: int, limit: int) -> dict[str, Any]:
    items = audit_trail.events(tenant_id, from_seq, limit)
    return {"items": items, "next_from_seq": items[-1]["seq"] + 1 if len(items) == limit else None}


@dataclass
class Progress:
    """How far a walk got: whether it reached the end of the live events, and its first break."""

    reached_end: bool
    broken: Finding | None


def walk_pages(tenant_id: str, walk: Walk) -> Finding | None:
    """Advance `walk` over every live event after where it stands (the operator's repair); the first break."""
    return walk_bounded(tenant_id, walk, limit=2**62).broken


def walk_bounded(tenant_id: str, walk: Walk, limit: int = MAX_EVENTS,
                 stop: Callable[[], bool] = lambda: False, first: list[dict[str, Any]] | None = None) -> Progress:
    """Advance `walk` over the live events after where it stands, up to `limit` of them or until `stop()`;
    `first`: its first page, when the caller already read it."""
    cursor = walk.from_seq if walk.previous is None else walk.previous["seq"] + 1
    page = first
    while True:
        size = min(PAGE, limit - walk.checked)
        if page is None:
            page = audit_trail.events(tenant_id, cursor, size)
        broken = walk.take(page)
        if broken is not None:
            return Progress(False, broken)
        if len(page) < size:
            return Progress(True, None)
        if walk.checked >= limit or stop():
            return Progress(False, None)
        cursor, page = page[-1]["seq"] + 1, None


def _previous(tenant_id: str, from_seq: int) -> dict[str, Any] | None:
    """The live, intact event before `from_seq`, to link the first one checked to; None at the start."""
    if from_seq <= 1:
        return None
    found = audit_trail.events(tenant_id, from_seq - 1, 1)
    if found and found[0]["seq"] == from_seq - 1 and found[0].get("hash") == digest(found[0]):
        return found[0]
    return None


def verify(tenant_id: str, from_seq: int = 1, limit: int = MAX_EVENTS) -> dict[str, Any]:
    """Recompute every hash and link from `from_seq` (at most `limit` events), then, if it reached the end,
    the head and the anchor; name the first break."""
    newest = anchors.newest(tenant_id)
    walk = Walk(from_seq, clock.now_epoch(), newest.anchor, previous=_previous(tenant_id, from_seq))
    progress = walk_bounded(tenant_id, walk, max(1, min(limit, MAX_EVENTS)))
    return _report(walk, _ended(tenant_id, walk, progress, newest), progress, {"from_seq": _after(walk)})


def verify_incrementally(tenant_id: str, limit: int = MAX_EVENTS,
                         stop: Callable[[], bool] = lambda: False) -> dict[str, Any]:
    """From the stored checkpoint (the whole chain the first time); a clean walk moves the checkpoint on."""
    checkpoints = CheckpointStore(stores.main_table())
    stored, newest = checkpoints.get(tenant_id), anchors.newest(tenant_id)
    start = int(stored["seq"]) + 1 if stored else 1
    first = audit_trail.events(tenant_id, start, min(PAGE, limit))
    previous = {"seq": int(stored["seq"]), "hash": stored["hash"]} if stored else None
    if previous is not None and first and first[0]["seq"] > start:
        previous = None  # the checkpointed event and some after it expired: the gap is judged as at the start
    walk = Walk(start, clock.now_epoch(), newest.anchor, previous=previous)
    progress = walk_bounded(tenant_id, walk, max(1, min(limit, MAX_EVENTS)), stop, first)
    broken = _ended(tenant_id, walk, progress, newest)
    if broken is None and walk.previous is not None and walk.previous is not previous:
        checkpoints.advance(tenant_id, walk.previous["seq"], walk.previous["hash"], clock.iso(),
                            int(stored["seq"]) if stored else None)
    report = _report(walk, broken, progress, {"from": "checkpoint"})
    if broken is not None:
        _broken(tenant_id, broken)
    return report


def _ended(tenant_id: str, walk: Walk, progress: Progress, newest: anchors.Newest) -> Finding | None:
    broken = progress.broken
    if broken is None and progress.reached_end:
        head = audit_trail.head(tenant_id)
        authentic = head is not None and audit_seal.authentic(tenant_id, head)
        broken = walk.finish(head, authentic, audit_trail.last_stored_seq(tenant_id) if head is None else None)
        if broken is None and newest.invalid_seq is not None:
            broken = Finding(newest.invalid_seq, Break.ANCHOR_INVALID)  # an anchor the product did not write
    return broken


def _after(walk: Walk) -> int:
    return walk.previous["seq"] + 1 if walk.previous is not None else walk.from_seq


def _broken(tenant_id: str, broken: Finding) -> None:
    """GR2017-11: a break is an alarm, not only an answer."""
    logger.error("audit chain broken", extra={"tenant_id": tenant_id, **broken.as_dict()})
    if os.environ.get("POWERTOOLS_METRICS_DISABLED", "").lower() in {"1", "true"}:
        return
    with single_metric(name="AuditChainBroken", unit=MetricUnit.Count, value=1, namespace=NAMESPACE) as metric:
        metric.add_metadata(key="tenant_id", value=tenant_id)
        metric.add_metadata(key="reason", value=broken.reason.value)


def _report(walk: Walk, broken: Finding | None, progress: Progress, resume: dict[str, Any]) -> dict[str, Any]:
    anchor = walk.anchor
    complete = broken is not None or progress.reached_end
    through = walk.previous["seq"] if walk.previous is not None else None
    return {"verified": None if not complete and broken is None else broken is None, "complete": complete,
            "checked": walk.checked, "from_seq": walk.first_seq, "through_seq": through,
            "first_broken": broken.as_dict() if broken else None, "expired_through": walk.expired_through,
            "anchor": {"seq": anchor.seq, "at": anchor.at} if anchor else None,
            "next": None if complete else resume, "checked_at": clock.iso()}
