"""Settings, read lazily from the environment on every call.

`chalice.test.Client` sets a stage's environment variables only for the duration of a
request, and a container may serve several stages' tests in one process, so nothing here
is read at import time. Reading a handful of environment variables costs microseconds.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


def _flag(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw and raw.strip().isdigit() else default


@dataclass(frozen=True)
class Settings:
    stage: str
    main_table: str
    records_table: str
    idempotency_table: str
    filings_bucket: str
    kms_key_id: str
    audit_anchor_bucket: str
    audit_head_key_id: str
    auth_cache_seconds: int
    policy_cache_seconds: int


def stage() -> str:
    """The deployed stage. Unset means prod: a stack whose environment lost STAGE must keep prod's
    guards (HTTPS and public addresses only for tenant endpoints, no response validation), never
    fall open to dev's. Tests and the local stack set STAGE=dev themselves."""
    return os.environ.get("STAGE") or "prod"


def settings() -> Settings:
    stage_name = stage()
    prefix = os.environ.get("RESOURCE_PREFIX", f"compliance-api-{stage_name}")
    return Settings(
        stage=stage_name,
        main_table=os.environ.get("MAIN_TABLE", f"{prefix}-main"),
        records_table=os.environ.get("RECORDS_TABLE", f"{prefix}-records"),
        idempotency_table=os.environ.get("IDEMPOTENCY_TABLE", f"{prefix}-idempotency"),
        filings_bucket=os.environ.get("FILINGS_BUCKET", f"{prefix}-filings"),
        kms_key_id=os.environ.get("KMS_KEY_ID", "alias/compliance-api"),
        # The audit chain's anchors (S3 Object Lock) and the HMAC key its head is sealed with (GR2017-11).
        audit_anchor_bucket=os.environ.get("AUDIT_ANCHOR_BUCKET", f"{prefix}-audit-anchors"),
        audit_head_key_id=os.environ.get("AUDIT_HEAD_KEY_ID", "alias/compliance-api-audit-head"),
        auth_cache_seconds=_int("AUTH_CACHE_SECONDS", 30),
        policy_cache_seconds=_int("POLICY_CACHE_SECONDS", 30),
    )


def validate_responses() -> bool:
    """Whether answers are checked against their schemas (dev and tests); read on every request,
    so it reads two variables rather than building the whole `Settings`."""
    return _flag("VALIDATE_RESPONSES", stage() != "prod")


# Lambda's synchronous payload limit is 6 MB; no policy may raise a body cap past it.
HARD_BODY_LIMIT_BYTES = 6 * 1024 * 1024


def queue(name: str) -> tuple[str, str | None]:
    """A work queue's name and, where the stack provides it, its URL (`{NAME}_QUEUE_URL`): "jobs", "exports",
    "webhooks" or "anchors" (infra/template.json)."""
    prefix = os.environ.get("RESOURCE_PREFIX", f"compliance-api-{stage()}")
    return f"{prefix}-{name}", os.environ.get(f"{name.upper()}_QUEUE_URL") or None
