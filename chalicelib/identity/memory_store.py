"""The identity store in memory, for fast use-case tests; held to `store.IdentityStore` by one contract suite
(MB2018-7: a subject verified only with the record that proves it, listed for re-confirmation, expired once;
the attempts per document and day capped without a race)."""

from __future__ import annotations

from typing import Any

from chalicelib.core import keys
from chalicelib.core.audit_chain import Event
from chalicelib.core.audit_trail import ConditionFailed
from chalicelib.core.errors import NotFound, TooManyRequests
from chalicelib.core.memory_table import Change, MemoryTable, absent, added
from chalicelib.identity.store import _SUBJECT_FIELDS

Item = dict[str, Any]



class MemoryIdentityStore:
    def __init__(self, table: MemoryTable | None = None) -> None:
        self.table = table or MemoryTable()

    def take_attempt(self, tenant_id: str, blind_index: str, day: str, limit: int, expires_at: int,
                     retry_after: int) -> int:
        key = keys.attempts_item(tenant_id, blind_index, day)
        if not self.table.write(Change(key, lambda item: {**added(item, key, attempts=1), "ttl": expires_at},
                                       lambda item: item is None or "attempts" not in item
                                       or int(item["attempts"]) < limit)):
            raise TooManyRequests("Too many verification attempts for this document today.",
                                  message_zh="该证件今日核验次数过多。", code="VERIFICATION_ATTEMPTS_EXCEEDED",
                                  details={"limit": limit, "retry_after_seconds": retry_after},
                                  headers={"Retry-After": str(retry_after)})
        return int((self.table.get(key) or {})["attempts"])

    def record_verification(self, tenant_id: str, subject_id: str, subject: Item, record: Item,
                            verified_until: str | None, event: Event) -> None:
        present = {f: subject[f] for f in _SUBJECT_FIELDS if f in subject}
        key = keys.subject_item(tenant_id, subject_id)
        row = {"PK": keys.subject_pk(tenant_id, subject_id), "SK": keys.verification_sk(record["verification_id"])}

        def updated(item: Item | None) -> Item:
            found = dict(item or key)
            if verified_until is not None:  # only a match changes what is known of a subject
                found.update(present, status="VERIFIED", verified_at=record["at"], reconfirm_by=verified_until,
                             GSI1PK=keys.reconfirm_index(tenant_id), GSI1SK=f"{verified_until}#{subject_id}")
            else:
                found = {**present, **found, "status": found.get("status", "UNVERIFIED")}
            return {**found, "subject_id": subject_id, "tenant_id": tenant_id, "updated_at": record["at"],
                    "created_at": found.get("created_at", record["at"])}
        self.table.commit(tenant_id, [Change(row, lambda _: {**row, **record}, absent), Change(key, updated)], event)

    def subject_partition(self, tenant_id: str, subject_id: str) -> list[Item]:
        return self.table.query(keys.subject_pk(tenant_id, subject_id), descending=True)

    def subject(self, tenant_id: str, subject_id: str) -> Item | None:
        return self.table.get(keys.subject_item(tenant_id, subject_id))

    def due_for_reconfirmation(self, tenant_id: str, due_before: str, limit: int,
                               cursor: str | None) -> tuple[list[Item], str | None]:
        return self.table.page(keys.reconfirm_index(tenant_id), limit=limit, cursor=cursor, index="GSI1",
                               before=due_before + "~")

    def expire(self, tenant_id: str, subject_id: str, now: str) -> bool:
        key = keys.subject_item(tenant_id, subject_id)
        return self.table.write(Change(
            key, lambda item: {**(item or key), "status": "EXPIRED", "expired_at": now,
                               "GSI1PK": keys.lapsed_index(tenant_id), "GSI1SK": f"{now}#{subject_id}"},
            lambda item: item is not None and item.get("status") == "VERIFIED"
            and "reconfirm_by" in item and item["reconfirm_by"] <= now))

    def leave_reconfirm_index(self, tenant_id: str, subject_id: str) -> None:
        key = keys.subject_item(tenant_id, subject_id)
        self.table.write(Change(
            key, lambda item: {k: v for k, v in (item or key).items() if k not in ("GSI1PK", "GSI1SK")},
            lambda item: item is not None and item.get("GSI1PK") == keys.reconfirm_index(tenant_id)
            and "status" in item and item["status"] != "VERIFIED"))

    def put_in_subject(self, tenant_id: str, subject_id: str, sort_key: str, item: Item, event: Event) -> None:
        row = {"PK": keys.subject_pk(tenant_id, subject_id), "SK": sort_key}
        try:
            self.table.commit(tenant_id, [Change(keys.subject_item(tenant_id, subject_id), lambda found: found,
                                                 lambda found: found is not None),
                                          Change(row, lambda _: {**row, **item}, absent)], event)
        except ConditionFailed as exc:
            raise NotFound(f"No subject {subject_id!r} for this tenant.", message_zh="本租户没有该主体。",
                           code="SUBJECT_NOT_FOUND") from exc
