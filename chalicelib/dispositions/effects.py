"""What a disposition causes besides its record (GR2017-11, RL2020-23, PA2017-13): the blacklist entries of
a BLACKLIST, and the re-registration bans on a closed account's name and avatar. Built here, written by
the use case in the disposition's own transaction.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from chalicelib.avatars.banks import entry_id
from chalicelib.core import clock, crypto, policy, stores
from chalicelib.dispositions.rules import DEFAULT_BLACKLIST, DispositionType
from chalicelib.identity.documents import canonical_mobile
from chalicelib.names.index import BANNED

NAME_BANNING = {DispositionType.CLOSE_ACCOUNT, DispositionType.PROHIBIT_REREGISTRATION}


def planned_blacklist(tenant_id: str, kind: DispositionType, body: dict[str, Any], disposition_id: str,
                      created: str, ends: str | None) -> list[dict[str, Any]]:
    if kind is not DispositionType.BLACKLIST:
        return []
    target = body["target"]
    wanted = body.get("blacklist") or [{"type": DEFAULT_BLACKLIST[target["type"]].value, "key": target["id"]}]
    key = crypto.index_key(tenant_id, stores.main_table())
    entries = []
    for item in wanted:
        list_type, value = item["type"], item.get("key") or target["id"]
        entries.append({"list_type": list_type, "key": blacklist_key(key, list_type, value), "status": "ACTIVE",
                        "reason": body["statement"], "article": body["ground"]["article"],
                        "category": body["ground"]["category"], "source_disposition": disposition_id,
                        "created_at": created, "expires_at": ends})
    return entries


def blacklist_key(index_key: bytes, list_type: str, value: str) -> str:
    """Phones and devices are stored only as blind indexes; subjects, accounts and groups by id.

    A phone is indexed in its one canonical form (documents.canonical_mobile: +86, spaces, dashes,
    full-width digits all fold to the 11 digits), so no written form of a listed number escapes.
    """
    if list_type == "PHONE":
        return "bi_" + crypto.blind_index(index_key, "MOBILE", canonical_mobile(value))[:40]
    if list_type == "DEVICE":
        return "bi_" + crypto.blind_index(index_key, "DEVICE", value)[:40]
    return value


def planned_avatar_ban(kind: DispositionType, target: dict[str, Any], disposition_id: str,
                       body: dict[str, Any], now: datetime) -> dict[str, Any] | None:
    """PA2017-13: a closed account's avatar joins the banned bank, so it cannot come back."""
    if kind not in NAME_BANNING or not target.get("avatar_pdq"):
        return None
    pdq = target["avatar_pdq"].lower()
    return {"bank": "BANNED", "entry_id": entry_id("BANNED", pdq), "pdq": pdq, "label": target.get("name"),
            "reason": body["statement"], "source": "disposition", "disposition_id": disposition_id,
            "owner_subject_ids": [], "created_at": clock.iso(now)}


def planned_name_ban(tenant_id: str, kind: DispositionType, target: dict[str, Any], disposition_id: str,
                     body: dict[str, Any], now: datetime) -> dict[str, Any] | None:
    if kind not in NAME_BANNING or not target.get("name"):
        return None
    days = policy.setting(tenant_id, "names", "reregistration_ban_days")
    return {"entry_id": f"bn_{secrets.token_hex(8)}", "kind": BANNED, "name": target["name"],
            "reason": body["statement"], "article": "PA2017-13", "source": disposition_id,
            "created_at": clock.iso(now), "expires_at": clock.iso(now + timedelta(days=days))}
