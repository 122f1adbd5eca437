"""The credit levels dispositions move (GR2017-7, PA2020-13, MB2018-11, RL2020-11). Pure rules: how
strikes become a score and a level, and which levels a service is open to.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

RUMOUR_CATEGORIES = {"RUMOUR", "RUMOUR_DISORDER", "FALSE_INFORMATION"}


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
