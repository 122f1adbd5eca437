"""Compiled indexes as artifacts: S3 when deployed, a local directory under `make run`.

An artifact is named by what it was built from, never by a version number alone:

    artifacts/{kind}/{tenant}/{digest}.npz
    digest = SHA-256 of (artifact format, kind, tenant, the code's fingerprint, the rows digest)

The rows digest is a SHA-256 over the canonical rows an index is compiled from (a lexicon's records,
a bank's entries, a rumour set's items); the fingerprint names the code and data that compile them
(index format, normalizer version, built-in tables). Version numbers repeat: a local backend
restarts empty while the artifact directory survives, and a table restored from a backup meets the
artifacts of a newer past. So a version number is only the in-memory key; what is read from storage
must carry the digest of the current rows.

Knowing that digest without reading the rows: the first build of a version records its rows digest
on the VERSION item (`digest`, `digest_version`), on condition that the version is still the one
read, strongly consistent, before the rows were; the next bump leaves `digest_version` behind, so
a recorded digest is only ever taken for the rows it was computed from. A bump cannot write the
digest itself: it would have to read every row, and bulk writes land outside its transaction.

An artifact is an .npz of numpy arrays and one JSON header (core/artifact_format.py: nothing in it can
run code). An object that fails to parse, is of another kind or format, or whose embedded digest is not
its name is logged, ignored, rebuilt and overwritten.
"""

from __future__ import annotations

import base64
import gc
import hashlib
import json
import os
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.core import aws
from chalicelib.core.artifact_format import FORMAT, decode, encode
from chalicelib.core.config import settings
from chalicelib.core.dynamo import Table
from chalicelib.core.errors import ProviderUnavailable
from chalicelib.core.observability import logger


class Artifact(Protocol):
    version: str

    def to_artifact(self) -> tuple[dict[str, Any], dict[str, Any]]: ...


# --- digests -------------------------------------------------------------------------------------

def _plain(value: Any) -> Any:
    """JSON for what DynamoDB values hold besides JSON's own types."""
    if isinstance(value, (bytes, bytearray)):
        return "b64:" + base64.b64encode(bytes(value)).decode()
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=repr)
    return str(value)  # Decimal


def rows_digest(rows: Iterable[dict[str, Any]]) -> str:
    """SHA-256 over rows in canonical form: each row as compact sorted-key JSON, the rows sorted, so
    neither attribute order nor query order changes it. JSON escapes newlines, so one ends a row."""
    digest = hashlib.sha256()
    for line in sorted(json.dumps(row, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_plain)
                       for row in rows):
        digest.update(line.encode())
        digest.update(b"\n")
    return digest.hexdigest()


def artifact_digest(kind: str, tenant_id: str, fingerprint: str, rows: str) -> str:
    return hashlib.sha256(json.dumps([FORMAT, kind, tenant_id, fingerprint, rows]).encode()).hexdigest()


def artifact_name(kind: str, tenant_id: str, digest: str) -> str:
    return f"{kind}/{tenant_id}/{digest}.npz"


# --- the VERSION item ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Source:
    """A VERSION item as read: its version number (0 when there is none yet) and the rows digest a
    build recorded for that number, if any has."""

    table: Table
    key: dict[str, str]
    number: int
    digest: str | None

    @classmethod
    def read(cls, table: Table, key: dict[str, str]) -> Source:
        """Strongly consistent, so rows read after it are at least as new as the number."""
        item = table.get(key, consistent=True) or {}
        number = int(item.get("version", 0))
        recorded = item.get("digest")
        current = isinstance(recorded, str) and item.get("digest_version") == number
        return cls(table, key, number, recorded if current else None)

    def record(self, digest: str) -> None:
        """Record the rows digest for this number, unless a bump came first (then it is another
        version's business). A cache's bookkeeping: a failure only means the next container builds."""
        try:
            self.table.update(self.key, UpdateExpression="SET digest = :digest, digest_version = :number",
                              ConditionExpression="version = :number",
                              values={":digest": digest, ":number": self.number})
        except (ClientError, ProviderUnavailable):
            pass


# --- storage -------------------------------------------------------------------------------------

def _local_dir() -> Path | None:
    raw = os.environ.get("ARTIFACT_DIR")
    return Path(raw) if raw else None


def load(name: str) -> bytes | None:
    """The object stored under `name`, or None when there is none (or storage cannot say)."""
    local = _local_dir()
    if local is not None:
        try:
            return (local / name).read_bytes()
        except OSError:
            return None
    try:
        answer = aws.client("s3").get_object(Bucket=settings().filings_bucket, Key=f"artifacts/{name}")
        return answer["Body"].read()
    except (ClientError, BotoCoreError):
        return None


def save(name: str, blob: bytes) -> None:
    local = _local_dir()
    if local is not None:
        path = local / name
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written beside and renamed: a reader never meets half an object.
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".partial-")
        with os.fdopen(handle, "wb") as out:
            out.write(blob)
        os.replace(temporary, path)
        return
    try:
        aws.client("s3").put_object(Bucket=settings().filings_bucket, Key=f"artifacts/{name}", Body=blob)
    except (ClientError, BotoCoreError):
        pass  # an artifact is a cache: the next container builds it again


@contextmanager
def _collector_paused() -> Iterator[None]:
    """An index is hundreds of thousands of small objects: collections triggered by their allocation
    would scan them again and again while they are made."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def restored(blob: bytes, kind: str, digest: str, restore: Callable[[dict[str, Any], dict[str, Any], str], Any],
             version: str) -> Any:
    """The index stored in `blob`, made by `restore` at `version`; Refused (or the error `restore`
    raises) when it is not a good artifact of `kind` named `digest`."""
    with _collector_paused():
        return restore(*decode(blob, kind, digest), version)


# --- the cache -------------------------------------------------------------------------------------

class Compiled:
    """Each tenant's compiled index at the version it was last asked for: held in memory for the
    `limit` most recently used tenants (keyed by version), else loaded from the artifact named by the
    version's recorded rows digest, else built, stored and its digest recorded so other containers
    load it. `restore(doc, arrays, version)` makes an index of what `to_artifact` stored, or raises;
    `fingerprint()` names the code that compiles it."""

    def __init__(self, kind: str, restore: Callable[[dict[str, Any], dict[str, Any], str], Any],
                 fingerprint: Callable[[], str], limit: int) -> None:
        self.kind, self.restore, self.fingerprint, self.limit = kind, restore, fingerprint, limit
        self._held: OrderedDict[str, Any] = OrderedDict()
        self._lock = threading.Lock()

    def held(self, tenant_id: str, version: str) -> Any | None:
        with self._lock:
            found = self._held.get(tenant_id)
            if found is None or found.version != version:
                return None
            self._held.move_to_end(tenant_id)
            return found

    def get(self, tenant_id: str, version: str, source: Source,
            build: Callable[[], tuple[Any, str | None]]) -> Any:
        """The index at `version`. `build` returns the index and the digest of the rows it read (None
        when those rows are known to be incomplete: the index answers this call, and is not kept)."""
        found = self.held(tenant_id, version)
        if found is not None:
            return found
        found = self._stored(tenant_id, version, source.digest) if source.digest else None
        if found is None:
            found, digest = build()
            if digest is None:
                return found
            if source.number:  # version 0 has no VERSION item to record on, so nothing could find it
                self._store(tenant_id, found, digest)
                if digest != source.digest:
                    source.record(digest)
        with self._lock:
            self._held[tenant_id] = found
            self._held.move_to_end(tenant_id)
            while len(self._held) > self.limit:
                self._held.popitem(last=False)
        # An index is hundreds of thousands of objects that live as long as the container: out of the
        # collector's reach, a full collection no longer walks them in the middle of a check (its tail
        # latency). Refcounting still frees an index the cache lets go of.
        gc.freeze()
        return found

    def _digest(self, tenant_id: str, rows: str) -> str:
        return artifact_digest(self.kind, tenant_id, self.fingerprint(), rows)

    def _stored(self, tenant_id: str, version: str, rows: str) -> Any | None:
        digest = self._digest(tenant_id, rows)
        name = artifact_name(self.kind, tenant_id, digest)
        blob = load(name)
        if blob is None:
            return None
        try:
            return restored(blob, self.kind, digest, self.restore, version)
        except Exception as exc:  # Refused, or a document that does not make an index: rebuilt, never used
            logger.warning("Stored index refused; rebuilding it", extra={
                "artifact": name, "reason": str(exc)[:200], "error": type(exc).__name__})
            return None

    def _store(self, tenant_id: str, index: Artifact, rows: str) -> None:
        digest = self._digest(tenant_id, rows)
        doc, arrays = index.to_artifact()
        save(artifact_name(self.kind, tenant_id, digest), encode(self.kind, digest, doc, arrays))

    def clear(self) -> None:
        with self._lock:
            self._held.clear()
