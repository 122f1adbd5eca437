"""Pagination cursors: an opaque spelling of a page's LastEvaluatedKey, accepted back only if it is
exactly a start key of the listing being paged: the table's (and index's) key attributes, each a
bounded string, in the partition queried and the tenant that owns it (`CURSOR_INVALID`, 400,
otherwise), so one tenant cannot replay another's cursor and a crafted one is never a 500.
"""

from __future__ import annotations

import base64
import json
import re
from typing import Any

from chalicelib.core.errors import InvalidRequest

# DynamoDB's limits on key values, in UTF-8 bytes.
PARTITION_KEY_BYTES = 2048
SORT_KEY_BYTES = 1024
# Far above any cursor this layer issues (a key of four short strings); bounds the work on a crafted one.
MAX_CURSOR_CHARS = 4096
_CURSOR_CHARACTERS = re.compile(r"[A-Za-z0-9_-]+")
CURSOR_PATTERN = f"^(?:{_CURSOR_CHARACTERS.pattern})?$"  # as the document declares it; empty is the first page


def key_attributes(index: str | None = None) -> dict[str, int]:
    """The attributes of a LastEvaluatedKey, with their size limits: the table's key, and the index's
    when an index is paged. Every table is keyed PK/SK and index n by `{n}PK`/`{n}SK` (core/keys.py)."""
    names = {"PK": PARTITION_KEY_BYTES, "SK": SORT_KEY_BYTES}
    if index:
        names.update({f"{index}PK": PARTITION_KEY_BYTES, f"{index}SK": SORT_KEY_BYTES})
    return names


def encode_cursor(last_key: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(last_key, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, partition: tuple[str, str], *, index: str | None = None) -> dict[str, Any]:
    """The start key a cursor carries, if it is exactly one this listing issued: the key attributes of
    the table (and `index`), each a non-empty string within DynamoDB's size limit, the partition the one
    queried, and any tenant-scoped value of the same tenant. Anything else is 400 CURSOR_INVALID, so a
    crafted cursor neither reaches DynamoDB as a malformed key (a 500) nor another tenant's partition."""
    try:
        key = _parse_cursor(cursor)
    except (ValueError, RecursionError) as exc:  # bad base64 and bad UTF-8 are ValueErrors; deep nesting recurses
        raise cursor_invalid() from exc
    if not _is_start_key(key, partition, key_attributes(index)):
        raise cursor_invalid()
    return key


def _parse_cursor(cursor: str) -> Any:
    if not isinstance(cursor, str) or len(cursor) > MAX_CURSOR_CHARS or not _CURSOR_CHARACTERS.fullmatch(cursor):
        raise ValueError("not a cursor")
    raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    key = json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
    if encode_cursor(key) != cursor:  # one spelling per key: no stray bits, padding, spacing or repeated names
        raise ValueError("not a cursor this layer wrote")
    return key


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _is_start_key(key: Any, partition: tuple[str, str], attributes: dict[str, int]) -> bool:
    attribute, expected = partition
    if not isinstance(key, dict) or set(key) != set(attributes) or key.get(attribute) != {"S": expected}:
        return False
    tenant = _tenant_prefix(expected)
    for name, value in key.items():
        if not (isinstance(value, dict) and list(value) == ["S"] and isinstance(value["S"], str)):
            return False
        size = _utf8_size(value["S"])
        if size is None or not 0 < size <= attributes[name]:
            return False
        if tenant and value["S"].startswith("T#") and not value["S"].startswith(tenant):
            return False
    return True


def _tenant_prefix(partition: str) -> str | None:
    """`T#{tenant}#` of a tenant-scoped key (core/keys.py), None for the few that are not."""
    parts = partition.split("#", 2)
    return f"T#{parts[1]}#" if len(parts) == 3 and parts[0] == "T" else None


def _utf8_size(text: str) -> int | None:
    try:
        return len(text.encode("utf-8"))
    except UnicodeEncodeError:  # a lone surrogate, which JSON can spell and DynamoDB cannot store
        return None


def cursor_invalid() -> InvalidRequest:
    return InvalidRequest("The cursor is not one this listing issued.", message_zh="分页游标无效。",
                          code="CURSOR_INVALID")
