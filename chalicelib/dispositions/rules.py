"""Dispositions (GR2017-11, PA2017-13, PA2020-19) and the credit levels they move (GR2017-7,
PA2020-13, MB2018-11, RL2020-11). Pure rules: what a disposition restricts, when it is in
force, and how strikes become a score and a level.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any


class DispositionType(str, Enum):
    WARNING = "WARNING"
    CORRECTION_REQUIRED = "CORRECTION_REQUIRED"
    FUNCTION_LIMIT = "FUNCTION_LIMIT"
    SUSPEND_UPDATES = "SUSPEND_UPDATES"
    SUSPEND_PUBLISHING = "SUSPEND_PUBLISHING"
    STOP_ADS = "STOP_ADS"
    CLOSE_GROUP = "CLOSE_GROUP"
    CLOSE_ACCOUNT = "CLOSE_ACCOUNT"
    LOWER_CREDIT = "LOWER_CREDIT"
    REVOKE_GROUP_FOUNDING = "REVOKE_GROUP_FOUNDING"
    BLACKLIST = "BLACKLIST"
    PROHIBIT_REREGISTRATION = "PROHIBIT_REREGISTRATION"


class BlacklistType(str, Enum):
    GROUP = "GROUP"
    GROUP_FOUNDER = "GROUP_FOUNDER"
    GROUP_MANAGER = "GROUP_MANAGER"
    GROUP_MEMBER = "GROUP_MEMBER"
    PUBLIC_ACCOUNT = "PUBLIC_ACCOUNT"
    REGISTRATION_SUBJECT = "REGISTRATION_SUBJECT"
    PHONE = "PHONE"
    DEVICE = "DEVICE"


# What each type stops while in force; WARNING, CORRECTION_REQUIRED and LOWER_CREDIT only record.
RESTRICTS: dict[DispositionType, tuple[str, ...]] = {
    DispositionType.FUNCTION_LIMIT: ("LIMITED_FUNCTIONS",),
    DispositionType.SUSPEND_UPDATES: ("UPDATE",),
    DispositionType.SUSPEND_PUBLISHING: ("PUBLISH",),
    DispositionType.STOP_ADS: ("ADVERTISE",),
    DispositionType.CLOSE_GROUP: ("GROUP",),
    DispositionType.CLOSE_ACCOUNT: ("ACCOUNT", "PUBLISH", "UPDATE"),
    DispositionType.REVOKE_GROUP_FOUNDING: ("FOUND_GROUP",),
    DispositionType.BLACKLIST: ("REGISTER", "PUBLISH", "FOUND_GROUP", "JOIN_GROUP"),
    DispositionType.PROHIBIT_REREGISTRATION: ("REGISTER",),
}
# Default blacklist a BLACKLIST disposition writes, by target type (GR2017-11, PA2017-13).
DEFAULT_BLACKLIST = {"SUBJECT": BlacklistType.REGISTRATION_SUBJECT, "ACCOUNT": BlacklistType.PUBLIC_ACCOUNT,
                     "GROUP": BlacklistType.GROUP}
RUMOUR_CATEGORIES = {"RUMOUR", "RUMOUR_DISORDER", "FALSE_INFORMATION"}


def in_force(starts_at: str, ends_at: str | None, revoked: bool, now: str) -> bool:
    """In force by time alone, never by a sweep: expired restrictions drop out on their own."""
    return not revoked and starts_at <= now and (ends_at is None or now < ends_at)


@dataclass(frozen=True)
class Strike:
    disposition_id: str
    disposition_type: str
    category: str
    weight: float
    at: str


@dataclass(frozen=True)
class CreditEntry:
    strike: Strike
    current: float
    reason: str


def credit(strikes: list[Strike], now: datetime, *, half_life_days: float, recovery_days: float,
           rumour_multiplier: float, thresholds: dict[str, float]) -> tuple[float, str, list[CreditEntry]]:
    """(score out of 100, level, the entries that make it up, each explained).

    Each strike's weight halves every `half_life_days`; rumours weigh `rumour_multiplier` more
    (MB2018-11, PA2020-13); a subject with no strike in the last `recovery_days` has recovered
    and its old strikes no longer count (RL2020-11 credit repair).
    """
    latest = max((_parse(s.at) for s in strikes), default=None)
    recovered = latest is not None and (now - latest).total_seconds() / 86400 >= recovery_days
    entries = []
    for strike in sorted(strikes, key=lambda s: s.at, reverse=True):
        age_days = max(0.0, (now - _parse(strike.at)).total_seconds() / 86400)
        multiplier = rumour_multiplier if strike.category in RUMOUR_CATEGORIES else 1.0
        current = 0.0 if recovered else strike.weight * multiplier * math.pow(0.5, age_days / half_life_days)
        reason = ("recovered: no violation for the recovery period" if recovered else
                  f"weight {strike.weight:g}{f' × {multiplier:g} (rumour)' if multiplier != 1 else ''}"
                  f", halved every {half_life_days:g} days, {age_days:.0f} days old")
        entries.append(CreditEntry(strike, round(current, 2), reason))
    score = round(max(0.0, 100.0 - sum(e.current for e in entries)), 2)
    return score, level_of(score, thresholds), entries


def level_of(score: float, thresholds: dict[str, float]) -> str:
    for level, minimum in sorted(thresholds.items(), key=lambda kv: -kv[1]):
        if score >= minimum:
            return level
    return "E"


def allows(level: str, required: str) -> bool:
    """Levels run A (best) to E: a service needing C is open to A, B and C."""
    return level <= required


def _parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


# A blacklist record (list type, key) holds one entry per disposition that listed it, as an attribute
# ``e_{disposition_id}``: a second blacklisting never overwrites the first, and revoking one
# disposition marks only its own entry (GR2017-11, PA2017-13, RL2020-11).
ENTRY_PREFIX = "e_"
ENTRY_FIELDS = ("status", "reason", "article", "category", "created_at", "expires_at", "removed_at", "removed_reason")


def entry_attribute(disposition_id: str) -> str:
    return f"{ENTRY_PREFIX}{disposition_id}"


def blacklist_entries(record: dict[str, Any]) -> list[dict[str, Any]]:
    """Every entry on a blacklist record, each with its list type, key and source disposition.

    A record written before entries were kept per disposition carries one entry in its own fields.
    """
    base = {"list_type": record["list_type"], "key": record["key"]}
    found = [{**base, **value, "source_disposition": name[len(ENTRY_PREFIX):]}
             for name, value in sorted(record.items()) if name.startswith(ENTRY_PREFIX) and isinstance(value, dict)]
    if "status" in record and "source_disposition" in record:
        found.append({**base, "source_disposition": record["source_disposition"], "legacy": True,
                      **{k: record[k] for k in ENTRY_FIELDS if k in record}})
    return found


def entry_in_force(entry: dict[str, Any], now: str) -> bool:
    return entry.get("status") == "ACTIVE" and (entry.get("expires_at") is None or now < entry["expires_at"])


def entry_in_force_longest(record: dict[str, Any] | None, now: str) -> dict[str, Any] | None:
    """The entry in force with the latest expiry (no expiry is the latest), or None when none is in force."""
    live = [e for e in blacklist_entries(record) if entry_in_force(e, now)] if record else []
    if not live:
        return None
    return max(live, key=lambda e: (e.get("expires_at") is None, e.get("expires_at") or "", e["created_at"]))
