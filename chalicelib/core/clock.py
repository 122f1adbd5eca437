"""The product's one source of "now", so tests can move time (TTL expiry, deadlines)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timezone

_source: Callable[[], float] = time.time


def now_epoch() -> float:
    return _source()


def now() -> datetime:
    return datetime.fromtimestamp(_source(), tz=timezone.utc)


def iso(moment: datetime | None = None) -> str:
    """RFC 3339 in UTC with second precision, e.g. ``2026-11-25T08:00:00Z``."""
    return (moment or now()).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def set_source(source: Callable[[], float] | None) -> None:
    """Tests inject a clock; ``None`` restores the wall clock."""
    global _source
    _source = source or time.time


def parse(value: str) -> datetime:
    """An RFC 3339 timestamp (``Z`` or an offset) as an aware datetime."""
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def parse_epoch(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, tz=timezone.utc)
