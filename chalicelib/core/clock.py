"""The product's one source of "now", so tests can move time (TTL expiry, deadlines), and the one
reading of the timestamps clients send.

Every timestamp the API accepts lies in [EARLIEST, LATEST] and is kept in the form `iso` writes
(UTC, ``Z``, second precision), so stored timestamps compare as strings in time order, a record
falls into the filing period of its UTC instant, and no arithmetic on it (an end after a duration
of at most 100 years, an expiry after a retention) can leave `datetime`'s years 1..9999.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import UTC, datetime

# The product-wide validity range of accepted timestamps, inclusive at both ends; the schemas state
# the same bounds (common.json AcceptedTimestamp, held equal by a test).
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)

# RFC 3339 section 5.6 date-time, ASCII digits only; the calendar and the offset's hours are checked by datetime.
_RFC3339 = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?"
                      r"(?:[Zz]|[+-][0-9]{2}:[0-5][0-9])")

_source: Callable[[], float] = time.time


def now_epoch() -> float:
    return _source()


def now() -> datetime:
    return datetime.fromtimestamp(_source(), tz=UTC)


def iso(moment: datetime | None = None) -> str:
    """RFC 3339 in UTC with second precision, e.g. ``2026-11-25T08:00:00Z``."""
    return (moment or now()).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def set_source(source: Callable[[], float] | None) -> None:
    """Tests inject a clock; ``None`` restores the wall clock."""
    global _source
    _source = source or time.time


def read(value: str) -> datetime | None:
    """An RFC 3339 timestamp as an aware datetime at its own offset; None for anything else (no offset,
    30 February, a leap second, an offset of 24 hours or more, digits other than ASCII)."""
    if _RFC3339.fullmatch(value) is None:
        return None
    try:  # the shape is RFC 3339's, which fromisoformat reads (fractions past microseconds are dropped)
        return datetime.fromisoformat(value.upper())
    except ValueError:
        return None


def within_range(moment: datetime) -> bool:
    """Whether an aware moment lies in [EARLIEST, LATEST]. Aware datetimes compare without being
    converted, so 9999-12-31T23:59:59-01:00 is simply later, where converting it would overflow."""
    return EARLIEST <= moment <= LATEST


def parse(value: str) -> datetime:
    """An RFC 3339 timestamp (``Z`` or an offset) as an aware datetime."""
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def parse_epoch(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, tz=UTC)
