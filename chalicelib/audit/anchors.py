"""Anchors: each tenant's sealed audit head copied, on a schedule, to a bucket under S3 Object Lock
(GR2017-11, PA2017-11, PA2017-13).

The head's MAC stops a head being forged; it cannot stop an older genuine head being put back after
the events since it were deleted. An anchor can: once written, no one can delete or overwrite its
version until its retention ends (COMPLIANCE mode in prod, not even the account root), so the chain
must still hold the anchored (seq, hash) and its head must stand at or after it.

Keys are ``audit-anchors/{tenant}/{999999999999 - seq:012d}.json``: a listing names the newest anchor
first. Versions are listed, not keys, so a delete marker cannot hide an anchor.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.core import audit_seal, audit_trail, aws, clock
from chalicelib.core.audit_chain import Anchor
from chalicelib.core.config import settings
from chalicelib.core.dynamo import failure_reason
from chalicelib.core.errors import ProviderUnavailable
from chalicelib.core.observability import logger

PREFIX = "audit-anchors"
LAST_SEQ = 10**12 - 1  # seq is twelve digits in the event keys too
REFRESH_SECONDS = 86400  # an idle chain is anchored again daily, so its newest anchor stays under retention
SCAN_LIMIT = 20  # anchor objects looked at for the newest authentic one
# The newest anchor this container wrote or read, per (bucket, tenant): a warm run skips listing the
# bucket for a tenant whose head has not moved (one GetItem, and no KMS call when the head is known).
_anchored: dict[tuple[str, str], Anchor] = {}


class AnchorRefused(RuntimeError):
    """The head cannot be anchored: it is missing, forged, or behind its last anchor (a scheduled run
    fails for the tenant, and the alarm on ScheduledTenantFailures goes off)."""


@dataclass(frozen=True)
class Newest:
    """The newest authentic anchor, and the seq of any newer anchor object that does not verify."""

    anchor: Anchor | None
    invalid_seq: int | None = None


def key(tenant_id: str, seq: int) -> str:
    return f"{PREFIX}/{tenant_id}/{LAST_SEQ - seq:012d}.json"


def _s3(operation: str, **params: Any) -> dict[str, Any]:
    try:
        return getattr(aws.client("s3"), operation)(Bucket=settings().audit_anchor_bucket, **params)
    except (ClientError, BotoCoreError) as exc:
        raise ProviderUnavailable("The anchor store is unavailable; retry later.",
                                  message_zh="锚点存储暂不可用，请稍后重试。", code="S3_UNAVAILABLE",
                                  details={"reason": failure_reason(exc)}) from exc


def _read(tenant_id: str, version: dict[str, Any]) -> tuple[Anchor | None, int]:
    """An anchor object as (the anchor if it verifies, the seq its key names)."""
    try:
        seq = LAST_SEQ - int(version["Key"].rsplit("/", 1)[1].removesuffix(".json"))
    except ValueError:
        return None, 0  # not a key the schedule writes
    body = _s3("get_object", Key=version["Key"], VersionId=version["VersionId"])["Body"].read()
    try:
        found = json.loads(body)
        sealed = {k: found[k] for k in ("seq", "hash", "expires", "mac")}
    except (ValueError, TypeError, KeyError):
        return None, seq
    at = _moment(found.get("at"))
    if found.get("tenant") != tenant_id or sealed["seq"] != seq or at is None:
        return None, seq
    if not audit_seal.authentic(tenant_id, sealed):
        return None, seq
    return Anchor(sealed["seq"], sealed["hash"], sealed["expires"], sealed["mac"], at), seq


def _moment(value: Any) -> str | None:
    """The anchor's time as `clock.iso` writes it; None when it is not a timestamp (the MAC does not cover it)."""
    try:
        return clock.iso(clock.parse(value)) if isinstance(value, str) else None
    except (ValueError, OverflowError):  # 9999-12-31T23:59:59-01:00 parses, but has no UTC form
        return None


def newest(tenant_id: str) -> Newest:
    """The newest anchor whose MAC verifies; an unverifiable newer one is named, not trusted."""
    params: dict[str, Any] = {"Prefix": f"{PREFIX}/{tenant_id}/", "MaxKeys": SCAN_LIMIT}
    invalid, looked = None, 0
    while looked < SCAN_LIMIT:
        page = _s3("list_object_versions", **params)
        for version in page.get("Versions", []):
            looked += 1
            anchor, seq = _read(tenant_id, version)
            if anchor is not None:
                return Newest(anchor, invalid)
            logger.warning("audit anchor does not verify", extra={"tenant_id": tenant_id, "key": version["Key"]})
            invalid = invalid if invalid is not None else seq
            if looked >= SCAN_LIMIT:
                break
        if not page.get("IsTruncated"):
            break
        params.update(KeyMarker=page["NextKeyMarker"], VersionIdMarker=page["NextVersionIdMarker"])
    return Newest(None, invalid)


def anchor(tenant_id: str) -> int:
    """Anchor the tenant's head when it moved since its last anchor, or that anchor is a day old; 1 if written."""
    head = audit_trail.head(tenant_id)
    if head is None:
        if audit_trail.last_stored_seq(tenant_id) is None:
            return 0  # no chain yet
        raise AnchorRefused(f"{tenant_id}: the audit head is missing")
    if not audit_seal.authentic(tenant_id, head):
        raise AnchorRefused(f"{tenant_id}: the audit head's MAC does not verify")
    cache_key = (settings().audit_anchor_bucket, tenant_id)
    last = _anchored.get(cache_key) or newest(tenant_id).anchor
    if last is not None and last.seq > head["seq"]:
        raise AnchorRefused(f"{tenant_id}: the audit head ({head['seq']}) is behind its anchor ({last.seq})")
    if last is not None and (last.seq, last.hash) == (head["seq"], head["hash"]) and _fresh(last.at):
        _anchored[cache_key] = last
        return 0
    body = {"tenant": tenant_id, **{k: head[k] for k in ("seq", "hash", "expires", "mac")}, "at": clock.iso()}
    _s3("put_object", Key=key(tenant_id, head["seq"]), Body=json.dumps(body, sort_keys=True).encode(),
        ContentType="application/json", ChecksumAlgorithm="SHA256")  # Object Lock requires a checksum
    _anchored[cache_key] = Anchor(body["seq"], body["hash"], body["expires"], body["mac"], body["at"])
    return 1


def forget() -> None:
    _anchored.clear()


def _fresh(at: str) -> bool:
    return clock.now_epoch() - clock.parse(at).timestamp() < REFRESH_SECONDS
