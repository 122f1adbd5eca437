"""Compiled indexes as versioned artifacts: S3 when deployed, a local directory under `make run`.

An artifact is written once per (tenant, lexicon version, built-in data version, normalizer
version) and never changed, so any container can load it instead of rebuilding. The bucket is
the product's own (private, KMS-encrypted); artifacts carry a SHA-256 in their metadata that is
checked before unpickling, so a truncated or altered object is rebuilt rather than loaded.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.core import aws
from chalicelib.core.config import settings


def _local_dir() -> Path | None:
    raw = os.environ.get("ARTIFACT_DIR")
    return Path(raw) if raw else None


def load(name: str) -> Any | None:
    """The object stored under `name`, or None when there is none (or it fails its digest)."""
    local = _local_dir()
    if local is not None:
        path = local / name
        if not path.exists() or not (local / f"{name}.sha256").exists():
            return None
        blob, digest = path.read_bytes(), (local / f"{name}.sha256").read_text().strip()
    else:
        try:
            answer = aws.client("s3").get_object(Bucket=settings().filings_bucket, Key=f"artifacts/{name}")
        except (ClientError, BotoCoreError):
            return None
        blob, digest = answer["Body"].read(), answer.get("Metadata", {}).get("sha256", "")
    if hashlib.sha256(blob).hexdigest() != digest:
        return None
    return unpickle(blob)


def unpickle(blob: bytes) -> Any:
    """Unpickle with the cyclic garbage collector paused: an index is hundreds of thousands of
    small objects, and collections triggered by their allocation would double the load time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return pickle.loads(blob)  # noqa: S301 - our own artifact, digest-checked
    finally:
        if enabled:
            gc.enable()


def save(name: str, value: Any) -> None:
    blob = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    digest = hashlib.sha256(blob).hexdigest()
    local = _local_dir()
    if local is not None:
        (local / name).parent.mkdir(parents=True, exist_ok=True)
        (local / name).write_bytes(blob)
        (local / f"{name}.sha256").write_text(digest)
        return
    try:
        aws.client("s3").put_object(Bucket=settings().filings_bucket, Key=f"artifacts/{name}", Body=blob,
                                    Metadata={"sha256": digest})
    except (ClientError, BotoCoreError):
        pass  # an artifact is a cache: the next container builds it again


class Compiled:
    """Each tenant's compiled index at the version it was last asked for: held in memory for the
    `limit` most recently used tenants, else loaded from its artifact, else built and stored so
    other containers load it. An index carries its `version`; a stale one is never returned."""

    def __init__(self, kind: str, limit: int) -> None:
        self.kind, self.limit = kind, limit
        self._held: OrderedDict[str, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, tenant_id: str, version: str, cls: type, build: Callable[[], Any]) -> Any:
        """The index of `cls` at `version` (classes are passed here, so numpy-backed ones load lazily)."""
        with self._lock:
            found = self._held.get(tenant_id)
            if found is not None and found.version == version:
                self._held.move_to_end(tenant_id)
                return found
        name = f"{self.kind}/{tenant_id}/{version}.pickle"
        found = load(name)
        if not isinstance(found, cls) or found.version != version:
            found = build()
            save(name, found)
        with self._lock:
            self._held[tenant_id] = found
            self._held.move_to_end(tenant_id)
            while len(self._held) > self.limit:
                self._held.popitem(last=False)
        return found

    def clear(self) -> None:
        with self._lock:
            self._held.clear()
