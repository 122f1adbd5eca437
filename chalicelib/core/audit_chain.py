"""The audit trail's chain rules: canonical hashing and link checking (pure)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64
HASHED = ("seq", "prev_hash", "at", "type", "actor", "data")


@dataclass(frozen=True)
class Event:
    """What a state change records: its type, ids and codes (never identity numbers), retention."""

    type: str
    data: dict[str, Any]
    ttl_days: int


def digest(event: dict[str, Any]) -> str:
    """SHA-256 over canonical JSON (sorted keys, no spaces, UTF-8) of the hashed fields."""
    body = {k: event[k] for k in HASHED}
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()).hexdigest()


def first_break(events: list[dict[str, Any]], previous: dict[str, Any] | None) -> dict[str, Any] | None:
    """The first event whose hash or link is wrong, as {"seq", "reason"}; None when all hold."""
    for event in events:
        if event["hash"] != digest(event):
            return {"seq": event["seq"], "reason": "HASH_MISMATCH"}
        if previous is not None and (event["seq"] != previous["seq"] + 1 or event["prev_hash"] != previous["hash"]):
            return {"seq": event["seq"], "reason": "LINK_BROKEN"}
        previous = event
    return None
