"""Dispositions read back (GR2017-11, PA2020-19): one by id, what is in force on a target now (each with
its source; expired ones drop out by time), how many were made since a time, and the shape they are
shown in, with the statement of reasons.
"""

from __future__ import annotations

from typing import Any

from chalicelib.core import clock, ids
from chalicelib.dispositions import reasons, store as storage
from chalicelib.dispositions.rules import in_force


def count_since(tenant_id: str, targets: list[tuple[str, str]], since: str) -> int:
    """Dispositions in force or expired, not revoked, made on any of `targets` since `since`."""
    return sum(storage.store().count_active_since(tenant_id, kind, target_id, since) for kind, target_id in targets)


def by_id(tenant_id: str, disposition_id: str) -> dict[str, Any] | None:
    return storage.store().by_id(tenant_id, disposition_id)


def get(tenant_id: str, disposition_id: str) -> dict[str, Any]:
    record = storage.store().by_id(tenant_id, disposition_id)
    if record is None:
        raise ids.not_found(ids.Kind.DISPOSITION, disposition_id)
    return view(record)


def restrictions(tenant_id: str, target_type: str, target_id: str) -> dict[str, Any]:
    """What is in force now on a target, each with its source: expired ones drop out by time."""
    now = clock.iso()
    active = [r for r in storage.store().restricting_now(tenant_id, target_type, target_id, now)
              if in_force(r["starts_at"], r.get("ends_at"), r["status"] != "ACTIVE", now)]
    return {"target": {"type": target_type, "id": target_id}, "checked_at": now,
            "restricted": sorted({what for r in active for what in r["restricts"]}),
            "restrictions": [{"disposition_id": r["disposition_id"], "type": r["type"], "restricts": r["restricts"],
                              "functions": r.get("functions"), "article": r["ground"]["article"],
                              "starts_at": r["starts_at"], "ends_at": r.get("ends_at"), "statement": r["statement"]}
                             for r in active]}


_VIEW = ("disposition_id", "type", "subject_id", "ground", "statement", "starts_at", "ends_at", "case_id", "automated",
         "functions", "reportable", "status", "created_at", "restricts", "effects", "revoked_at", "revoked_reason",
         "revoked_by")


def view(record: dict[str, Any]) -> dict[str, Any]:
    found = {k: record[k] for k in _VIEW if record.get(k) is not None}
    found["target"] = {"type": record["target_type"], "id": record["target_id"]}
    return {**found, **reasons.read(record)}  # the statement of reasons, with defaults for older records
