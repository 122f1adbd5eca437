"""The API-level builders every test module shares: verified subjects, accounts, dispositions, reports,
decisions, and moving the product's clock. Numbers come from tests/factories.py (valid, never real)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from typing import Any

from chalicelib.core import clock
from tests import factories

GROUND = {"article": "PA2020-19", "category": "SPAM"}


def verified_subject(api: Any, key: str, seed: int = 1, magic: str | None = None) -> tuple[str, str]:
    """A verified person (sandbox provider): its subject id and the resident ID number it verified with."""
    number = factories.resident_id(random.Random(seed), magic=magic)
    body = {"subject_type": "PERSON", "real_name": "甲", "document": {"type": "RESIDENT_ID", "number": number}}
    return api.call("POST", "/v1/identity/verifications", key=key, body=body).json["subject_id"], number


def subject(api: Any, key: str, seed: int = 1, magic: str | None = None) -> str:
    return verified_subject(api, key, seed, magic)[0]


def register(api: Any, key: str, subject_id: str, name: str = "普通用户", account_type: str = "PUBLIC_ACCOUNT",
             **extra: Any) -> Any:
    """POST /v1/accounts, the answer as it comes (for tests of refusals)."""
    return api.call("POST", "/v1/accounts", key=key, body={"subject_id": subject_id, "account_type": account_type,
                                                           "name": name, **extra})


def registered(api: Any, key: str, subject_id: str, name: str = "普通用户", account_type: str = "PUBLIC_ACCOUNT",
               **extra: Any) -> dict[str, Any]:
    """An account that must be created: its answer."""
    created = register(api, key, subject_id, name, account_type, **extra)
    assert created.status_code == 201, created.json
    return created.json


def dispose(api: Any, key: str, **fields: Any) -> Any:
    body = {"ground": GROUND, "statement": "repeated spam", "automated": False, **fields}
    return api.call("POST", "/v1/dispositions", key=key, body=body)


def report(api: Any, key: str, target_id: str = "post-1", *, reporter: dict[str, Any] | None = None,
           category: str = "SPAM", target_type: str = "CONTENT", headers: dict[str, str] | None = None,
           **extra: Any) -> Any:
    body = {"reporter": reporter or {"account_id": "reporter-1"}, "target": {"type": target_type, "id": target_id},
            "category": category, "description": "它在刷屏", **extra}
    return api.call("POST", "/v1/reports", key=key, body=body, headers=headers)


def decide(api: Any, key: str, case_id: str, outcome: str = "NO_VIOLATION", **extra: Any) -> Any:
    body = {"outcome": outcome, "statement": "经核查，未发现违规。", "ground": "PA2020-20", **extra}
    return api.call("POST", f"/v1/cases/{case_id}/decision", key=key, body=body)


def sweep() -> dict[str, Any]:
    """The report-case sweep, run as its schedule would."""
    from chalicelib import jobs

    return jobs.run_now("sweep-report-cases")


def move_clock(days: float = 0, hours: float = 0) -> None:
    """The product's clock moved from now (undone for every test by the autouse fixture)."""
    later = datetime.now(timezone.utc) + timedelta(days=days, hours=hours)
    clock.set_source(later.timestamp)
