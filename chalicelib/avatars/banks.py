"""Managing the avatar banks: protected images (logos, emblems, portraits, with the subjects allowed
to use them, PA2020-8) and banned ones (avatars of accounts closed for violations, PA2017-13).

Entries are added by image or by PDQ hash; a bulk import takes CSV as hash-sharing programmes
exchange it (a ``pdq`` or ``hash`` column, optional ``label``, ``quality``, ``owner_subject_ids``
separated by ``;``). An entry's id derives from its bank and hash, so importing the same file
again rewrites the same entries rather than adding copies.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator
from typing import Any

from chalicelib.avatars import checks as avatars
from chalicelib.core import audit_events as audit, audit_trail, clock
from chalicelib.core.errors import NotFound, Unprocessable

MAX_IMPORT_ROWS = 20_000
# The longest field an entry can use (avatar_entry_request.json): 100 owner subject ids of 44 characters
# separated by ";". Refused here by this bound, well before the csv module's own (131,072) is met.
MAX_FIELD_CHARS = 100 * 45


def entry_id(bank: str, pdq_hex: str) -> str:
    return "av_" + hashlib.sha256(f"{bank}:{pdq_hex}".encode()).hexdigest()[:20]


def _entry(bank: str, pdq_hex: str, quality: int | None, item: dict[str, Any], source: str) -> dict[str, Any]:
    return {"bank": bank, "entry_id": entry_id(bank, pdq_hex), "pdq": pdq_hex, "quality": quality,
            "label": item.get("label"), "owner_subject_ids": item.get("owner_subject_ids") or [],
            "reason": item.get("reason"), "source": source, "created_at": clock.iso()}


def add(tenant_id: str, bank: str, body: dict[str, Any]) -> dict[str, Any]:
    hashed = avatars.hashed(tenant_id, body, centre=True)
    found = hashed.found
    entry = _entry(bank, found.to_hex(), found.quality, body, "pdq" if "pdq" in body else "image")
    if hashed.centre is not None:  # an image: its centre finds cropped copies (crops.py), its hasher is ours
        entry.update(crop_pdq=hashed.centre.to_hex(), hasher=avatars.HASHER)
    store = avatars.store()
    store.commit(tenant_id, store.put_ops(tenant_id, [entry]), audit.event(
        tenant_id, "avatar_bank.add", bank=bank, entry_id=entry["entry_id"], label=entry["label"]))
    return view(entry)


def import_csv(tenant_id: str, bank: str, text: str) -> dict[str, Any]:
    from chalicelib.avatars import pdq

    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    fields = {f.strip().lower() for f in _header(reader)}
    column = "pdq" if "pdq" in fields else "hash" if "hash" in fields else None
    if column is None:
        raise Unprocessable("The CSV needs a pdq (or hash) column.", message_zh="CSV 需要 pdq（或 hash）列。",
                            code="CSV_INVALID")
    entries: dict[str, dict[str, Any]] = {}
    refused: list[dict[str, Any]] = []
    for number, raw in _rows(reader):
        row = {k.strip().lower(): (v or "").strip() for k, v in raw.items() if k}
        if len(entries) + len(refused) >= MAX_IMPORT_ROWS:
            raise Unprocessable(f"At most {MAX_IMPORT_ROWS} rows per import.", message_zh="单次导入行数超过上限。",
                                code="CSV_TOO_LONG")
        try:
            pdq_hex = pdq.from_hex(row[column].lower()).hex()
            quality = int(row["quality"]) if row.get("quality") else None
        except ValueError:
            refused.append({"line": number, "reason": "HASH_INVALID"})
            continue
        owners = [s for s in row.get("owner_subject_ids", "").split(";") if s]
        entry = _entry(bank, pdq_hex, quality, {"label": row.get("label") or None, "owner_subject_ids": owners},
                       "import")
        entries[entry["entry_id"]] = entry
    unwritten = avatars.store().put_many(tenant_id, list(entries.values())) if entries else []
    digest = hashlib.sha256(text.encode()).hexdigest()
    # One version bump and one audit event for the whole file, after its entries are written.
    avatars.store().commit(tenant_id, [avatars.store().bump(tenant_id)], audit.event(
        tenant_id, "avatar_bank.import", bank=bank, imported=len(entries) - len(unwritten), refused=len(refused),
        csv_sha256=digest))
    return {"bank": bank, "imported": len(entries) - len(unwritten), "refused": refused,
            "unwritten": len(unwritten), "csv_sha256": digest, "bank_version": str(avatars.store().version(tenant_id))}


def _header(reader: csv.DictReader) -> list[str]:
    try:
        return list(reader.fieldnames or [])
    except csv.Error as exc:
        raise _unreadable(reader.reader.line_num or 1, str(exc)) from exc


def _rows(reader: csv.DictReader) -> Iterator[tuple[int, dict[str, Any]]]:
    """The data rows by number (the header is line 1). What the csv module cannot read (a field over its
    limit, a stray quote) and a field longer than MAX_FIELD_CHARS refuse the whole file, naming the line."""
    rows = enumerate(reader, start=2)
    while True:
        try:
            number, raw = next(rows)
        except StopIteration:
            return
        except csv.Error as exc:  # DictReader.line_num is the last good row's; its reader's is this line's
            raise _unreadable(reader.reader.line_num, str(exc)) from exc
        if any(len(value) > MAX_FIELD_CHARS for key, value in raw.items() if key and isinstance(value, str)):
            raise _unreadable(reader.reader.line_num, f"a field is longer than {MAX_FIELD_CHARS} characters",
                              limit=MAX_FIELD_CHARS)
        yield number, raw


def _unreadable(line: int, reason: str, **details: Any) -> Unprocessable:
    return Unprocessable(f"The CSV cannot be read at line {line}: {reason}.", message_zh=f"CSV 第 {line} 行无法读取。",
                         code="CSV_INVALID", details={"line": line, "reason": reason, **details})


def remove(tenant_id: str, bank: str, entry: str) -> dict[str, Any]:
    try:
        store = avatars.store()
        store.commit(tenant_id, store.delete_ops(tenant_id, bank, [entry]),
                     audit.event(tenant_id, "avatar_bank.remove", bank=bank, entry_id=entry))
    except audit_trail.ConditionFailed as exc:
        raise NotFound(f"No entry {entry!r} in the {bank} bank.", message_zh="图库中没有该条目。",
                       code="AVATAR_ENTRY_NOT_FOUND") from exc
    return {"removed": entry, "bank": bank, "bank_version": str(avatars.store().version(tenant_id))}


def listing(tenant_id: str, bank: str, limit: int, cursor: str | None) -> dict[str, Any]:
    items, next_cursor = avatars.store().page(tenant_id, bank, limit, cursor)
    return {"items": [view(i) for i in items], "next_cursor": next_cursor}


_VIEW = ("bank", "entry_id", "pdq", "crop_pdq", "hasher", "quality", "label", "owner_subject_ids", "reason", "source",
         "created_at")


def view(entry: dict[str, Any]) -> dict[str, Any]:
    return {k: entry[k] for k in _VIEW if entry.get(k) is not None}
