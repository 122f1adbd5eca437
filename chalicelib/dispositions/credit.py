"""Credit levels (GR2017-7, PA2017-6, PA2020-13, MB2018-11, RL2020-11): score, level, explanation."""

from __future__ import annotations

from typing import Any

from chalicelib.core import clock, policy
from chalicelib.dispositions import store as storage
from chalicelib.dispositions.credit_rules import Strike, allows, credit
from chalicelib.identity import subjects


def of_subject(tenant_id: str, subject_id: str) -> dict[str, Any]:
    subjects.require(tenant_id, subject_id)
    settings = policy.current(tenant_id).effective["credit"]
    strikes = [Strike(s["SK"].removeprefix("STRIKE#"), s["disposition_type"], s["category"], float(s["weight"]),
                      s["at"])
               for s in storage.store().strikes(tenant_id, subject_id)]
    score, level, entries = credit(strikes, clock.now(), half_life_days=settings["half_life_days"],
                                   recovery_days=settings["recovery_days"],
                                   rumour_multiplier=settings["rumour_multiplier"], thresholds=settings["levels"])
    return {
        "subject_id": subject_id, "score": score, "level": level, "checked_at": clock.iso(),
        "levels": settings["levels"],
        "services": {name: allows(level, required) for name, required in sorted(settings["services"].items())},
        "entries": [{"disposition_id": e.strike.disposition_id, "type": e.strike.disposition_type,
                     "category": e.strike.category, "at": e.strike.at, "weight": e.strike.weight,
                     "current": e.current, "reason": e.reason} for e in entries],
    }
