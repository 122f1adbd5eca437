"""Blacklists (GR2017-11, PA2017-13, RL2020-23): one round trip to check up to 100 keys.

Keys are subject ids for people and organisations (derived from the document's blind index),
blind indexes for phones and devices, and platform ids for accounts and groups. A raw document
or phone number in a check is blind-indexed here and never stored. Expired and removed entries
are never reported; removal is recorded with its reason, not deleted.
"""

from __future__ import annotations

from typing import Any

from chalicelib.core import audit_events as audit, audit_trail, clock, crypto, stores
from chalicelib.core.errors import NotFound, Unprocessable
from chalicelib.dispositions import store as storage
from chalicelib.dispositions.blacklist_rules import blacklist_entries, entry_in_force_longest
from chalicelib.dispositions.effects import blacklist_key
from chalicelib.dispositions.store import DispositionsStore
from chalicelib.identity import documents
from chalicelib.identity.documents import DocumentType
from chalicelib.identity.verification import subject_id_of


def _store() -> DispositionsStore:
    return storage.store()


def _key_of(index_key: bytes, item: dict[str, Any], position: int) -> str:
    if "key" in item:
        return blacklist_key(index_key, item["type"], item["key"])
    today = clock.now().date()
    expected = {"document": "REGISTRATION_SUBJECT", "phone": "PHONE"}["document" if "document" in item else "phone"]
    if item["type"] != expected:
        raise Unprocessable(f"items[{position}]: a raw {'document' if expected != 'PHONE' else 'phone'} is checked "
                            f"against {expected} only.", message_zh="原始证件号或手机号只能用于对应类型的黑名单。",
                            code="BLACKLIST_ITEM_MISMATCH", details={"index": position})
    if "document" in item:
        check = documents.validate(DocumentType(item["document"]["type"]), item["document"]["number"], today)
        if not check.valid:
            raise Unprocessable(f"items[{position}].document is not a valid number.", message_zh="证件号码无效。",
                                code="DOCUMENT_INVALID", details={"index": position,
                                                                  "reasons": [r.value for r in check.reasons]})
        return subject_id_of(crypto.blind_index(index_key, check.type.value, check.normalized or ""))
    phone = documents.validate(DocumentType.MOBILE, item["phone"], today)
    if not phone.valid:
        raise Unprocessable(f"items[{position}].phone is not a valid mainland mobile.", message_zh="手机号码无效。",
                            code="MOBILE_INVALID", details={"index": position})
    return blacklist_key(index_key, "PHONE", item["phone"])


def in_force(record: dict[str, Any] | None, now: str) -> dict[str, Any] | None:
    """The entry in force on a blacklist record with the latest expiry, or None (GR2017-11, PA2017-13)."""
    return entry_in_force_longest(record, now)


MAX_KEYS = 100


def flatten(body: dict[str, Any]) -> list[dict[str, Any]]:
    """Both request forms as one list of items; the compact form in the order given."""
    items = body.get("items") or [{"type": t, "key": k} for t, ks in body.get("keys", {}).items() for k in ks]
    if len(items) > MAX_KEYS:
        raise Unprocessable(f"At most {MAX_KEYS} keys per check.", message_zh=f"每次最多检查 {MAX_KEYS} 个键。",
                            code="TOO_MANY_KEYS", details={"count": len(items), "limit": MAX_KEYS})
    return items


def check(tenant_id: str, items: list[dict[str, Any]]) -> dict[str, Any]:
    index_key = crypto.index_key(tenant_id, stores.main_table())
    wanted = [(item["type"], _key_of(index_key, item, n)) for n, item in enumerate(items)]
    now = clock.iso()
    records = _store().blacklist_records(tenant_id, wanted)
    found = {pair: entry for pair, record in records.items() if (entry := in_force(record, now)) is not None}
    hits = [{"index": n, **entry_view(found[pair])} for n, pair in enumerate(wanted) if pair in found]
    return {"checked": len(items), "checked_at": now, "hits": hits}


def entry_view(entry: dict[str, Any]) -> dict[str, Any]:
    view = {"type": entry["list_type"], "key": entry["key"], "reason": entry["reason"], "article": entry["article"],
            "source_disposition": entry["source_disposition"], "created_at": entry["created_at"],
            "expires_at": entry.get("expires_at"), "status": entry["status"]}
    if entry.get("removed_at"):
        view.update(removed_at=entry["removed_at"], removed_reason=entry.get("removed_reason", ""))
    return view


def listing(tenant_id: str, list_type: str, limit: int, cursor: str | None) -> dict[str, Any]:
    items, next_cursor = _store().blacklist_page(tenant_id, list_type, limit, cursor)
    now = clock.iso()
    return {"items": [entry_view(e) for i in items if (e := in_force(i, now)) is not None], "next_cursor": next_cursor}


def remove(tenant_id: str, list_type: str, key: str, reason: str) -> dict[str, Any]:
    """An operator lifts the key: every entry on it is marked REMOVED with the reason, none deleted."""
    record = _store().blacklist_record(tenant_id, list_type, key)
    now = clock.iso()
    shown = in_force(record, now)
    live = [e for e in blacklist_entries(record) if e.get("status") == "ACTIVE"] if record else []
    if shown is None:
        raise NotFound("No active blacklist entry with this type and key.", message_zh="没有该黑名单条目。",
                       code="BLACKLIST_ENTRY_NOT_FOUND")
    try:
        store = _store()
        store.commit(tenant_id, store.unlisting_ops(tenant_id, live, "REMOVED", now, reason),
                     audit.event(tenant_id, "blacklist.remove", list_type=list_type, key=key, reason=reason[:200],
                                 entries=[e["source_disposition"] for e in live]))
    except audit_trail.ConditionFailed as exc:
        raise NotFound("No active blacklist entry with this type and key.", message_zh="没有该黑名单条目。",
                       code="BLACKLIST_ENTRY_NOT_FOUND") from exc
    return entry_view({**shown, "status": "REMOVED", "removed_at": now, "removed_reason": reason})
