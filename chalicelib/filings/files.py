"""Filing files written as records stream in, then uploaded to S3 with multipart upload.

Each (province, record set) gets a CSV (UTF-8 with BOM, so spreadsheet software shows the
Chinese headers) and a JSONL file. Rows become CSV cells in one place, `rules.csv_cell`, so no
text cell reaches an inspector's spreadsheet as a live formula; the JSONL holds the values exactly.
Rows go to temporary files on local disk, never held in memory, with a running SHA-256 and count;
`upload` streams each file to S3 in parts, each part read from disk as botocore sends it. Memory
stays flat however many records there are.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

from chalicelib.core import aws
from chalicelib.filings.rules import RecordSet, csv_cell, row

PART_BYTES = 8 * 1024 * 1024  # S3 parts are at least 5 MB except the last


@dataclass
class _Output:
    path: str
    handle: IO[bytes]
    digest: Any = field(default_factory=hashlib.sha256)
    records: int = 0
    size: int = 0

    def write(self, data: bytes) -> None:
        self.handle.write(data)
        self.digest.update(data)
        self.size += len(data)


class FilingFiles:
    def __init__(self) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="filing-")
        self._outputs: dict[tuple[str, str, str], _Output] = {}

    def __enter__(self) -> FilingFiles:
        return self

    def __exit__(self, *exc: object) -> None:
        for output in self._outputs.values():
            output.handle.close()
        self._dir.cleanup()

    def add(self, province: str, record_set: RecordSet, record: dict[str, Any]) -> None:
        self.add_row(province, record_set, row(record_set, record))

    def add_row(self, province: str, record_set: RecordSet, filed: dict[str, Any]) -> None:
        """A row already as filed (rules.row): exactly the set's columns."""
        csv_out = self._output(province, record_set, "csv")
        text = io.StringIO()
        csv.writer(text, lineterminator="\r\n").writerow([csv_cell(record_set, k, v) for k, v in filed.items()])
        csv_out.write(text.getvalue().encode("utf-8"))
        csv_out.records += 1
        jsonl = self._output(province, record_set, "jsonl")
        jsonl.write(json.dumps(filed, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n")
        jsonl.records += 1

    def _output(self, province: str, record_set: RecordSet, kind: str) -> _Output:
        key = (province, record_set.name, kind)
        found = self._outputs.get(key)
        if found is None:
            path = os.path.join(self._dir.name, f"{province}-{record_set.name}.{kind}")
            found = self._outputs[key] = _Output(path, open(path, "wb"))  # noqa: SIM115 (closed in __exit__)
            if kind == "csv":
                header = io.StringIO()
                csv.writer(header, lineterminator="\r\n").writerow([title for _, title in record_set.columns])
                found.write(b"\xef\xbb\xbf" + header.getvalue().encode("utf-8"))
        return found

    def upload(self, bucket: str, prefix: str, progress: Callable[[int], None] | None = None) -> list[dict[str, Any]]:
        """Every file to ``{prefix}{province}/{set}.{csv|jsonl}``; what the manifest lists of each."""
        listed = []
        for (province, name, kind), output in sorted(self._outputs.items()):
            output.handle.close()
            key = f"{prefix}{province}/{name}.{kind}"
            _multipart(bucket, key, output.path, "text/csv; charset=utf-8" if kind == "csv" else "application/x-ndjson")
            listed.append({"key": key, "province": province, "record_set": name, "format": kind,
                           "records": output.records, "bytes": output.size, "sha256": output.digest.hexdigest()})
            if progress:
                progress(1)
        return listed


class _Part(io.RawIOBase):
    """One part of a file on disk, read as its own stream: botocore streams and checksums it in
    small chunks, so a part is never held in memory whole."""

    def __init__(self, path: str, start: int, size: int) -> None:
        super().__init__()
        self._file = open(path, "rb")  # noqa: SIM115 (closed with the part)
        self._start, self._size, self._position = start, size, 0
        self._file.seek(start)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        remaining = self._size - self._position
        wanted = remaining if size is None or size < 0 else min(size, remaining)
        data = self._file.read(wanted)
        self._position += len(data)
        return data

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self._size}[whence]
        self._position = max(0, min(self._size, base + offset))
        self._file.seek(self._start + self._position)
        return self._position

    def tell(self) -> int:
        return self._position

    def close(self) -> None:
        self._file.close()
        super().close()


def upload_file(bucket: str, key: str, path: str, content_type: str) -> None:
    """One file on disk to S3 in parts, never held in memory whole."""
    _multipart(bucket, key, path, content_type)


def _multipart(bucket: str, key: str, path: str, content_type: str) -> None:
    s3 = aws.client("s3")
    size = os.path.getsize(path)
    upload = s3.create_multipart_upload(Bucket=bucket, Key=key, ContentType=content_type)
    parts = []
    try:
        for number, start in enumerate(range(0, max(size, 1), PART_BYTES), start=1):
            with _Part(path, start, min(PART_BYTES, size - start)) as body:
                answer = s3.upload_part(Bucket=bucket, Key=key, UploadId=upload["UploadId"], PartNumber=number,
                                        Body=body)
            parts.append({"ETag": answer["ETag"], "PartNumber": number})
        s3.complete_multipart_upload(Bucket=bucket, Key=key, UploadId=upload["UploadId"],
                                     MultipartUpload={"Parts": parts})
    except BaseException:
        s3.abort_multipart_upload(Bucket=bucket, Key=key, UploadId=upload["UploadId"])
        raise
