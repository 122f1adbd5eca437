"""The audit trail's chain rules (pure): canonical hashing, the head's MAC message, and the walk that tells
a chain whose oldest events expired from one with events deleted (GR2017-11, PA2017-11, PA2017-13).

Retention is monotonic along a chain: an event never expires before the one before it (`commit` gives it
max(its own expiry, its predecessor's)), and each event records its predecessor's expiry in
``prev_expires``, which is hashed. So expired events are always a prefix of the chain, and the first
live event proves, by its predecessor's recorded expiry, whether the events before it are gone because
their time had come or because someone deleted them.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

GENESIS = "0" * 64
# `prev_expires` is absent from events written before retention became monotonic; a field is hashed
# when present, so those events keep their hashes, and removing the field from a newer one breaks it.
# `x_actor` (who acted for the platform, X-Actor) likewise: hashed when the request carried one.
HASHED = ("seq", "prev_hash", "prev_expires", "at", "type", "actor", "x_actor", "data")


@dataclass(frozen=True)
class Event:
    """What a state change records: its type, ids and codes (never identity numbers), retention."""

    type: str
    data: dict[str, Any]
    ttl_days: int


class Break(StrEnum):
    """Why a chain does not verify; the schema's enum is held equal to this (audit_verification.json)."""

    HASH_MISMATCH = "HASH_MISMATCH"      # an event's content no longer gives its hash
    LINK_BROKEN = "LINK_BROKEN"          # an event does not follow the one before it
    DELETED = "DELETED"                  # an event is missing before its retention ran out
    HEAD_MISSING = "HEAD_MISSING"        # events (or an anchor) exist, the head does not
    HEAD_MAC_INVALID = "HEAD_MAC_INVALID"  # the head was not written by the product (or lacks its MAC)
    HEAD_MISMATCH = "HEAD_MISMATCH"      # the head does not name the chain's last event
    ANCHOR_MISMATCH = "ANCHOR_MISMATCH"  # the chain no longer holds what an anchor outside the table vouched for
    ANCHOR_INVALID = "ANCHOR_INVALID"    # the newest anchor's MAC does not verify


@dataclass(frozen=True)
class Finding:
    seq: int
    reason: Break

    def as_dict(self) -> dict[str, Any]:
        return {"seq": self.seq, "reason": self.reason.value}


@dataclass(frozen=True)
class Anchor:
    """A head as the anchor schedule copied it outside the table (S3 Object Lock)."""

    seq: int
    hash: str
    expires: int
    mac: str
    at: str


def digest(event: dict[str, Any]) -> str:
    """SHA-256 over canonical JSON (sorted keys, no spaces, UTF-8) of the hashed fields."""
    body = {k: event[k] for k in HASHED if k in event}
    # default=repr: a value the product never writes (binary planted in the table) gives a wrong hash, not an error.
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=repr)
    return hashlib.sha256(canonical.encode()).hexdigest()


def head_message(tenant_id: str, seq: int, chain_hash: str, expires: int) -> bytes:
    """What the head's MAC covers: the tenant (a head cannot be moved to another tenant), its position,
    its hash and the chain's expiry floor (so a deletion cannot be passed off as expiry)."""
    body = {"purpose": "audit-head", "tenant": tenant_id, "seq": seq, "hash": chain_hash, "expires": expires}
    return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()


def expiry(own: int, floor: int) -> int:
    """An event's expiry: its own retention, never before the event before it (monotonic retention)."""
    return max(own, floor)


def _start(event: dict[str, Any], from_seq: int, now: float) -> tuple[Finding | None, int | None]:
    """The first live event at or after `from_seq`: (a break, or None; the last seq known expired)."""
    seq = event["seq"]
    if seq == 1 and event.get("prev_hash") != GENESIS:
        return Finding(1, Break.LINK_BROKEN), None
    if seq <= from_seq:
        return None, None
    # Events from_seq..seq-1 are gone. Their predecessor-expiry is recorded in this (hashed) event;
    # every earlier one expired no later, so one comparison settles the whole gap.
    recorded = event.get("prev_expires")
    if not isinstance(recorded, int) or recorded > now:
        return Finding(seq - 1, Break.DELETED), None
    return None, seq - 1


@dataclass
class Walk:
    """A verification advanced page by page (oldest first), so it can stop and resume anywhere.

    `previous` is the last event already trusted (a checkpoint); without one the walk starts at the
    first live event, whose predecessors must have expired. `anchor` is the newest anchor, if any."""

    from_seq: int
    now: float
    anchor: Anchor | None = None
    previous: dict[str, Any] | None = None
    checked: int = 0
    first_seq: int | None = None
    expired_through: int | None = None

    def take(self, page: list[dict[str, Any]]) -> Finding | None:
        """Check the next page of live events; the first break, which also stops the walk."""
        for event in page:
            broken = self._one(event)
            if broken is not None:
                return broken
            self.previous, self.checked = event, self.checked + 1
            self.first_seq = self.first_seq or event["seq"]
        return None

    def _one(self, event: dict[str, Any]) -> Finding | None:
        seq = event["seq"]
        if event.get("hash") != digest(event):
            return Finding(seq, Break.HASH_MISMATCH)
        if self.previous is None:
            found, self.expired_through = _start(event, self.from_seq, self.now)
            if found is not None:
                return found
        elif seq > self.previous["seq"] + 1:
            return Finding(self.previous["seq"] + 1, Break.DELETED)  # only a prefix may expire
        elif seq != self.previous["seq"] + 1 or event.get("prev_hash") != self.previous["hash"]:
            return Finding(seq, Break.LINK_BROKEN)
        if self.anchor is not None and seq == self.anchor.seq and event.get("hash") != self.anchor.hash:
            return Finding(seq, Break.ANCHOR_MISMATCH)
        return None

    def finish(self, head: dict[str, Any] | None, head_authentic: bool, last_stored_seq: int | None) -> Finding | None:
        """After the last page: the head must exist, carry the product's MAC, name the last event, and
        stand at or after the anchor. `last_stored_seq`: the newest event item stored, live or not."""
        last, anchor = self.previous, self.anchor
        if head is None:
            known = max(last["seq"] if last else 0, anchor.seq if anchor else 0, last_stored_seq or 0)
            return Finding(known, Break.HEAD_MISSING) if known else None
        seq = int(head["seq"])
        if not head_authentic:
            return Finding(seq, Break.HEAD_MAC_INVALID)
        if anchor is not None and (anchor.seq > seq or (anchor.seq == seq and anchor.hash != head["hash"])):
            return Finding(anchor.seq, Break.ANCHOR_MISMATCH)  # truncated below what was anchored
        if last is None:
            if seq < self.from_seq:
                return None
            if int(head.get("expires", 0)) > self.now:
                return Finding(seq, Break.DELETED)  # the newest event should still be live
            self.expired_through = seq
            return None
        if last["seq"] < seq:
            return Finding(last["seq"] + 1, Break.DELETED)  # younger than a live event: cannot have expired
        if last["seq"] > seq or last["hash"] != head["hash"]:
            return Finding(seq, Break.HEAD_MISMATCH)
        return None
