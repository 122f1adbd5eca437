"""Everything a registration reads, in one BatchGetItem across the main and records tables.

The subject, its restriction summary and blacklist entry (the gate, MB2018-7, GR2017-11,
PA2017-13), the device's and the registration phone's blacklist entries, the lexicon version
(the name check, PA2020-8) and the audit chain's head (the transaction that follows): with the
write, two round trips.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from chalicelib.core import audit_trail, crypto, ids, keys, stores
from chalicelib.core.config import settings
from chalicelib.core.dynamo import batch_get_tables
from chalicelib.dispositions import effects as dispositions
from chalicelib.names.store import lexicon_pk


@dataclass
class RegistrationReads:
    subject: dict[str, Any] | None
    summary: dict[str, Any] | None
    subject_listed: list[dict[str, Any]] = field(default_factory=list)
    device_listed: list[dict[str, Any]] = field(default_factory=list)
    phone_listed: list[dict[str, Any]] = field(default_factory=list)
    lexicon_version: int = 0
    audit_head: dict[str, Any] | None = None


def read(tenant_id: str, subject_id: str, device_id: str | None, phone: str | None = None) -> RegistrationReads:
    if not ids.is_a(ids.Kind.SUBJECT, subject_id):
        raise ids.not_found(ids.Kind.SUBJECT, subject_id)
    subject_key = keys.subject_item(tenant_id, subject_id)
    summary_key = keys.restriction_summary(tenant_id, subject_id)
    listed_key = keys.blacklist_item(tenant_id, "REGISTRATION_SUBJECT", subject_id)
    version_key = {"PK": lexicon_pk(tenant_id), "SK": "VERSION"}
    device_key = phone_key = None
    if device_id or phone:
        index = crypto.index_key(tenant_id, stores.main_table())
        if device_id:
            device_key = keys.blacklist_item(tenant_id, "DEVICE",
                                             dispositions.blacklist_key(index, "DEVICE", device_id))
        if phone:  # GR2017-11, PA2017-13: the PHONE list, in the same round trip
            phone_key = keys.blacklist_item(tenant_id, "PHONE", dispositions.blacklist_key(index, "PHONE", phone))
    main, records = settings().main_table, settings().records_table
    head_key = {"PK": audit_trail.audit_pk(tenant_id), "SK": "HEAD"}
    wanted = (subject_key, summary_key, listed_key, version_key, device_key, phone_key)
    found = batch_get_tables({main: [k for k in wanted if k],
                              records: [head_key]})

    def pick(table: str, key: dict[str, str] | None) -> dict[str, Any] | None:
        return next((i for i in found[table] if key and i["PK"] == key["PK"] and i["SK"] == key["SK"]), None)

    version = pick(main, version_key)
    return RegistrationReads(
        subject=pick(main, subject_key), summary=pick(main, summary_key),
        subject_listed=[e for e in [pick(main, listed_key)] if e],
                             device_listed=[e for e in [pick(main, device_key)] if e],
        phone_listed=[e for e in [pick(main, phone_key)] if e],
        lexicon_version=int(version["version"]) if version else 0, audit_head=pick(records, head_key))
