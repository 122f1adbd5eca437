"""Stored indexes (names, avatar banks, rumours) as an attacker or an unlucky operator meets them: a
pickle planted where the loader looks never runs, a damaged object is rebuilt, and an index from an
older run or an older backup is never served for the same version number (core/artifacts.py)."""

from __future__ import annotations

import hashlib
import io
import pickle
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest

from chalicelib.core import artifacts, stores
from chalicelib.core.config import settings
from chalicelib.core.dynamo import Table
from tests.unit.test_artifacts import Hostile

REFUTATION = {"text": "经核实，该消息为谣言。", "source_url": "https://example.gov.cn/piyao/1",
              "issuing_body": "示例部门"}


@dataclass(frozen=True)
class Capability:
    """How to add the n-th entry of one compiled index through the API, and whether a probe finds it."""

    kind: str
    entries: tuple[str, ...]

    def add(self, api: Any, key: str, n: int) -> None:
        value = self.entries[n]
        path, body = {
            "names": ("/v1/names/protected", {"name": value, "kind": "MEDIA"}),
            "avatars": ("/v1/avatars/banks/protected/entries", {"pdq": value, "label": f"徽标{n}"}),
            "rumours": ("/v1/rumours", {"claim": value, "refutation": REFUTATION}),
        }[self.kind]
        answer = api.call("POST", path, key=key, body=body)
        assert answer.status_code == 201, answer.json

    def found(self, api: Any, key: str, n: int) -> bool:
        value = self.entries[n]
        path, body = {"names": ("/v1/names/check", {"text": value, "field": "account_name"}),
                      "avatars": ("/v1/avatars/check", {"pdq": value}),
                      "rumours": ("/v1/rumours/match", {"text": value})}[self.kind]
        answer = api.call("POST", path, key=key, body=body)
        assert answer.status_code == 200, answer.json
        return answer.json["matched"] if self.kind == "rumours" else answer.json["decision"] == "REJECT"


CAPABILITIES = [
    Capability("names", ("蓝鲸示例传媒", "赤狐示例科技")),
    Capability("avatars", tuple(hashlib.sha256(seed).hexdigest() for seed in (b"first", b"second"))),
    Capability("rumours", ("紧急通知：明天起全市自来水停水三天，请大家马上囤水，转发给亲朋好友！",
                           "网传某地发生大地震的视频，其实是多年前别处的旧视频，请勿转发扩散")),
]


def forget_containers() -> None:
    """A new container: nothing compiled in memory."""
    from chalicelib.avatars import checks
    from chalicelib.names import service as names
    from chalicelib.rumours import service as rumours

    names.forget(), checks.forget(), rumours.forget()


class Stored:
    """The artifacts as stored (S3, or the local directory of `make run`), rewritten the way a writer
    with access would: any digest kept beside an object is kept in step with it."""

    def __init__(self, local: Path | None) -> None:
        self.local = local

    def objects(self) -> dict[str, bytes]:
        if self.local is not None:
            return {str(p.relative_to(self.local)): p.read_bytes() for p in self.local.rglob("*")
                    if p.is_file() and not p.name.endswith(".sha256") and not p.name.startswith(".")}
        s3 = boto3.client("s3", region_name="cn-north-1")
        listed = s3.list_objects_v2(Bucket=settings().filings_bucket, Prefix="artifacts/").get("Contents", [])
        return {o["Key"][len("artifacts/"):]: s3.get_object(Bucket=settings().filings_bucket, Key=o["Key"])[
            "Body"].read() for o in listed}

    def put(self, name: str, blob: bytes) -> None:
        digest = hashlib.sha256(blob).hexdigest()
        if self.local is not None:
            (self.local / name).write_bytes(blob)
            if (self.local / f"{name}.sha256").exists():
                (self.local / f"{name}.sha256").write_text(digest)
            return
        boto3.client("s3", region_name="cn-north-1").put_object(
            Bucket=settings().filings_bucket, Key=f"artifacts/{name}", Body=blob, Metadata={"sha256": digest})


@pytest.fixture(params=["s3", "local directory"])
def stored(request: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Stored:
    if request.param == "s3":
        monkeypatch.delenv("ARTIFACT_DIR", raising=False)
        return Stored(None)
    monkeypatch.setenv("ARTIFACT_DIR", str(tmp_path / "artifacts"))
    return Stored(tmp_path / "artifacts")


def refusals(log_lines: Any) -> list[dict[str, Any]]:
    return [line for line in log_lines() if line.get("message") == "Stored index refused; rebuilding it"]


@pytest.mark.parametrize("capability", CAPABILITIES, ids=lambda c: c.kind)
def test_a_pickle_planted_where_the_loader_looks_never_runs_and_the_index_is_rebuilt(
        api, tenant, stored, capability, tmp_path, log_lines):
    # GIVEN an index compiled and stored by one container, then every stored object replaced by a
    # pickle that writes a marker file when unpickled
    capability.add(api, tenant.key, 0)
    assert capability.found(api, tenant.key, 0)
    planted = stored.objects()
    assert planted
    marker = tmp_path / "ran"
    hostile = pickle.dumps(Hostile(marker))
    for name in planted:
        stored.put(name, hostile)
    forget_containers()
    # WHEN another container answers
    found = capability.found(api, tenant.key, 0)
    # THEN the pickle never ran, the index was rebuilt (the entry is found), the refusal was logged
    # and the object was overwritten with a good one
    assert not marker.exists()
    assert found
    assert refusals(log_lines)
    assert hostile not in stored.objects().values()


@pytest.mark.parametrize("capability", CAPABILITIES, ids=lambda c: c.kind)
def test_an_index_from_an_older_run_with_the_same_version_is_not_served(api, make_tenant, stored, capability):
    # GIVEN a run that compiled and stored the tenant's index at version 1
    first = make_tenant("acme")
    capability.add(api, first.key, 0)
    assert capability.found(api, first.key, 0)
    # and a restart: the tables empty again (as moto starts, or as a backup restores), the artifacts kept
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.dynamodb.models import dynamodb_backends

    from chalicelib.core import auth, crypto, policy

    for table in dynamodb_backends[DEFAULT_ACCOUNT_ID]["cn-north-1"].tables.values():
        table.items.clear()
    forget_containers(), auth.forget(), policy.forget(), crypto.forget()
    again = make_tenant("acme")
    # WHEN the new run adds other entries, reaching version 1 again
    capability.add(api, again.key, 1)
    # THEN its own entries are found, and the older run's are not
    assert capability.found(api, again.key, 1)
    assert not capability.found(api, again.key, 0)


def _truncated(blob: bytes, _: dict[str, bytes]) -> bytes:
    return blob[: len(blob) // 2]


def _flipped(blob: bytes, _: dict[str, bytes]) -> bytes:
    """One byte flipped in the middle of the stored data (of an archive's largest member: a zip's
    headers hold fields nothing reads)."""
    middle = len(blob) // 2
    if blob.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(blob)) as archive:
            largest = max(archive.infolist(), key=lambda i: i.file_size)
        name_length, extra_length = struct.unpack("<HH", blob[largest.header_offset + 26:largest.header_offset + 30])
        middle = largest.header_offset + 30 + name_length + extra_length + largest.compress_size // 2
    return blob[:middle] + bytes([blob[middle] ^ 0xFF]) + blob[middle + 1:]


def _another(blob: bytes, others: dict[str, bytes]) -> bytes:
    """A well-formed artifact of the same tenant and kind, built from other rows."""
    return next(other for other in others.values() if other != blob)


@pytest.mark.parametrize("damage", [_truncated, _flipped, _another], ids=["truncated", "flipped byte", "another's"])
@pytest.mark.parametrize("capability", CAPABILITIES, ids=lambda c: c.kind)
def test_a_damaged_artifact_is_rebuilt_never_trusted(api, tenant, stored, capability, damage, log_lines):
    # GIVEN two versions compiled and stored, then each stored object damaged
    capability.add(api, tenant.key, 0)
    assert capability.found(api, tenant.key, 0)
    capability.add(api, tenant.key, 1)
    assert capability.found(api, tenant.key, 1)
    objects = stored.objects()
    assert len(objects) == 2
    for name, blob in objects.items():
        stored.put(name, damage(blob, objects))
    forget_containers()
    # WHEN another container answers THEN both entries are found and the damage was logged
    assert capability.found(api, tenant.key, 1) and capability.found(api, tenant.key, 0)
    assert refusals(log_lines)


@pytest.mark.parametrize("capability", CAPABILITIES, ids=lambda c: c.kind)
def test_a_new_container_loads_what_another_stored(api, tenant, stored, capability, monkeypatch):
    # GIVEN an index built and stored by one container
    capability.add(api, tenant.key, 0)
    assert capability.found(api, tenant.key, 0)
    forget_containers()
    from chalicelib.avatars.index import BankIndex
    from chalicelib.names.index import NameIndex
    from chalicelib.rumours.minhash import RumourIndex

    cls = {"names": NameIndex, "avatars": BankIndex, "rumours": RumourIndex}[capability.kind]
    builds: list[Any] = []
    original = cls.build.__func__
    monkeypatch.setattr(cls, "build", classmethod(lambda c, *a: builds.append(a) or original(c, *a)))
    # WHEN another container answers THEN it loads that index instead of building one
    assert capability.found(api, tenant.key, 0)
    assert builds == []


def test_a_digest_recorded_for_a_version_is_never_taken_for_the_next(api, tenant):
    # GIVEN a build that read version 1, and a change committed before it records its digest
    table = stores.main_table()
    key = {"PK": f"T#{tenant.tenant_id}#NAMES", "SK": "VERSION"}
    CAPABILITIES[0].add(api, tenant.key, 0)
    before = artifacts.Source.read(table, key)
    CAPABILITIES[0].add(api, tenant.key, 1)
    # WHEN it records the digest of what it read
    before.record("f" * 64)
    # THEN version 2 names no digest, so the next container builds version 2 instead of loading version 1's
    after = artifacts.Source.read(table, key)
    assert (before.number, after.number, after.digest) == (1, 2, None)
    after.record("e" * 64)
    assert artifacts.Source.read(table, key).digest == "e" * 64


def test_a_rumour_missing_from_a_lagging_index_read_is_found_on_the_next_match(api, tenant, monkeypatch):
    # GIVEN a registered rumour, and the rumour index (read eventually consistent) not showing it yet
    rumours = CAPABILITIES[2]
    rumours.add(api, tenant.key, 0)
    query = Table.query
    lagging = [True]

    def behind(self: Table, **kwargs: Any) -> Any:
        if kwargs.get("index") == "GSI1" and lagging:
            lagging.clear()
            return iter(())
        return query(self, **kwargs)

    monkeypatch.setattr(Table, "query", behind)
    assert not rumours.found(api, tenant.key, 0)
    # WHEN the index catches up THEN the next match finds it: what the lagging read built was not kept
    assert rumours.found(api, tenant.key, 0)
