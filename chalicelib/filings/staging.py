"""A filing's work in progress in S3, under ``filings/.work/{tenant}/{period}/{run}/``: the plan, the rows each
step of the plan staged per province, and each province's part once it is filed.

Rows are staged as filed (the record set's columns, documents masked, no names), one JSONL object per
(plan step, province), written through local disk and uploaded in parts, so memory stays flat; a
province's unit streams its objects back. Everything here is written whole or not at all and the same
step writes the same keys, so a step repeated after a crash or a second delivery overwrites its own
work. The bucket's lifecycle rule removes the work a few days later (infra/template.json).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from decimal import Decimal
from typing import IO, Any

from botocore.exceptions import ClientError

from chalicelib.core import aws
from chalicelib.core.config import settings
from chalicelib.filings import rules
from chalicelib.filings.files import upload_file

WORK_ROOT = "filings/.work/"


def work_prefix(tenant_id: str, period: str, run: str) -> str:
    safe_run = "".join(c if c.isalnum() or c in "-_." else "_" for c in run)[:120]
    return f"{WORK_ROOT}{tenant_id}/{period}/{safe_run}/"


def _number(value: object) -> object:
    """DynamoDB's numbers as JSON numbers (a count stays a number in the filing's JSONL and numeric columns)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"not JSON: {type(value).__name__}")


def _bucket() -> str:
    return settings().filings_bucket


def put_json(key: str, document: dict[str, Any]) -> None:
    aws.client("s3").put_object(Bucket=_bucket(), Key=key, ContentType="application/json",
                                Body=json.dumps(document, ensure_ascii=False, sort_keys=True).encode())


def get_json(key: str) -> dict[str, Any] | None:
    try:
        body = aws.client("s3").get_object(Bucket=_bucket(), Key=key)["Body"].read()
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in {"NoSuchKey", "404"}:
            return None
        raise
    found = json.loads(body)
    return found if isinstance(found, dict) else None


class StagedRows:
    """The rows of one plan step, by province, on local disk until `upload`."""

    def __init__(self) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="filing-stage-")
        self._files: dict[str, IO[bytes]] = {}

    def __enter__(self) -> StagedRows:
        return self

    def __exit__(self, *exc: object) -> None:
        for handle in self._files.values():
            handle.close()
        self._dir.cleanup()

    def add(self, province: str, record_set: rules.RecordSet, record: dict[str, Any]) -> None:
        handle = self._files.get(province)
        if handle is None:
            path = os.path.join(self._dir.name, f"{province}.jsonl")
            handle = self._files[province] = open(path, "wb")  # noqa: SIM115 (closed in __exit__)
        line = {"s": record_set.name, "r": rules.row(record_set, record)}
        handle.write(json.dumps(line, ensure_ascii=False, separators=(",", ":"), default=_number).encode() + b"\n")

    def upload(self, prefix: str) -> list[str]:
        """Every province's rows to ``{prefix}{province}.jsonl``; the provinces staged."""
        for province, handle in sorted(self._files.items()):
            handle.close()
            upload_file(_bucket(), f"{prefix}{province}.jsonl", handle.name, "application/x-ndjson")
        return sorted(self._files)


def staged(key: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """(record set name, filed row) of each line of one staged object, streamed."""
    body = aws.client("s3").get_object(Bucket=_bucket(), Key=key)["Body"]
    for line in body.iter_lines(chunk_size=256 * 1024):
        if line:
            found = json.loads(line)
            yield found["s"], found["r"]
