"""The dispositions store in memory, for fast use-case tests; held to `store.DispositionsStore` by one contract
suite (GR2017-11, PA2017-13: a disposition and what it causes written together, each blacklist entry its own
disposition's, revocation marking, never deleting)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chalicelib.core import keys
from chalicelib.core.audit_chain import Event
from chalicelib.core.memory_table import Change, MemoryTable, absent, put
from chalicelib.dispositions.blacklist_rules import ENTRY_FIELDS, entries_by_record, entry_attribute
from chalicelib.dispositions.rules import SUMMARY_FIELDS, summaries_by_subject

Item = dict[str, Any]




class MemoryDispositionsStore:
    def __init__(self, table: MemoryTable | None = None) -> None:
        self.table = table or MemoryTable()

    def commit(self, tenant_id: str, ops: list[Any], event: Event | list[Event]) -> int:
        return self.table.commit(tenant_id, ops, event)

    # -- writes, as transaction items ------------------------------------------------------
    def create_ops(self, tenant_id: str, disposition: Item, strike: Item | None) -> list[Change]:
        target_pk = keys.target_pk(tenant_id, disposition["target_type"], disposition["target_id"])
        key = {"PK": target_pk, "SK": f"DISP#{disposition['disposition_id']}"}
        item = {**key, **disposition}
        if disposition.get("reportable"):
            item.update(GSI1PK=keys.reportable_index(tenant_id),
                        GSI1SK=f"{disposition['created_at']}#{disposition['disposition_id']}")
        ref = keys.disposition_ref(tenant_id, disposition["disposition_id"])
        ops = [Change(key, put(item), absent), Change(ref, put({**ref, "target_pk": target_pk}))]
        if strike is not None:
            row = {"PK": keys.credit_pk(tenant_id, strike["subject_id"]),
                   "SK": f"STRIKE#{disposition['disposition_id']}"}
            ops.append(Change(row, put({**row, **strike})))
        return ops

    @staticmethod
    def blacklisting_ops(tenant_id: str, entries: list[Item]) -> list[Change]:
        ops = []
        for (list_type, key), group in entries_by_record(entries).items():
            record_key = keys.blacklist_item(tenant_id, list_type, key)
            own = {entry_attribute(e["source_disposition"]): {k: e.get(k) for k in ENTRY_FIELDS if e.get(k) is not None}
                   for e in group}
            sort = f"{group[0]['created_at']}#{key}"

            index = {"list_type": list_type, "key": key, "GSI1PK": keys.blacklist_index(tenant_id, list_type)}
            ops.append(Change(record_key, _listed(record_key, index, own, sort)))
        return ops

    @staticmethod
    def unlisting_ops(tenant_id: str, entries: list[Item], status: str, at: str, reason: str) -> list[Change]:
        ops = []
        for (list_type, key), group in entries_by_record(entries).items():
            ops.append(Change(keys.blacklist_item(tenant_id, list_type, key), _unlisted(group, status, at, reason),
                              _all_active(group)))
        return ops

    def revoke_ops(self, tenant_id: str, disposition: Item, at: str, reason: str,
                   actor: str | None = None) -> list[Change]:
        key = {"PK": disposition["PK"], "SK": disposition["SK"]}
        marks = {"status": "REVOKED", "revoked_at": at, "revoked_reason": reason,
                 **({"revoked_by": actor} if actor else {})}
        ops = [Change(key, lambda item: {**(item or key), **marks},
                      lambda item: item is not None and item.get("status") == "ACTIVE")]
        if disposition.get("subject_id"):
            ops.append(Change({"PK": keys.credit_pk(tenant_id, disposition["subject_id"]),
                               "SK": f"STRIKE#{disposition['disposition_id']}"}, lambda _: None))
        return ops

    @staticmethod
    def summary_ops(tenant_id: str, added: list[Item], removed: list[Item]) -> list[Change]:
        ops = []
        for subject_id, (adds, removes) in summaries_by_subject(added, removed).items():
            key = keys.restriction_summary(tenant_id, subject_id)
            sets = {f"r_{r['disposition_id']}": {k: r.get(k) for k in SUMMARY_FIELDS} for r in adds}
            drops = {f"r_{r['disposition_id']}" for r in removes}

            def summarised(item: Item | None, key: dict[str, str] = key, sets: Item = sets,
                           drops: set[str] = drops) -> Item:
                return {**{k: v for k, v in (item or key).items() if k not in drops}, **sets}
            ops.append(Change(key, summarised))
        return ops

    # -- reads -----------------------------------------------------------------------------
    def _dispositions(self, tenant_id: str, target_type: str, target_id: str) -> list[Item]:
        return self.table.query(keys.target_pk(tenant_id, target_type, target_id), prefix="DISP#")

    def restricting_now(self, tenant_id: str, target_type: str, target_id: str, now: str) -> list[Item]:
        return [d for d in reversed(self._dispositions(tenant_id, target_type, target_id))
                if d.get("status") == "ACTIVE" and d["starts_at"] <= now and len(d.get("restricts", [])) > 0
                and ("ends_at" not in d or d["ends_at"] > now)]

    def count_active_since(self, tenant_id: str, target_type: str, target_id: str, since: str) -> int:
        return sum(1 for d in self._dispositions(tenant_id, target_type, target_id)
                   if d["created_at"] >= since and d.get("status") == "ACTIVE")

    def case_source(self, tenant_id: str, case_id: str | None) -> str:
        if not case_id:
            return "PROACTIVE"
        return str((self.table.get(keys.case_item(tenant_id, case_id)) or {}).get("source", "REPORT"))

    def by_id(self, tenant_id: str, disposition_id: str) -> Item | None:
        ref = self.table.get(keys.disposition_ref(tenant_id, disposition_id))
        if ref is None:
            return None
        return self.table.get({"PK": ref["target_pk"], "SK": f"DISP#{disposition_id}"})

    def strikes(self, tenant_id: str, subject_id: str) -> list[Item]:
        return self.table.query(keys.credit_pk(tenant_id, subject_id))

    def blacklist_records(self, tenant_id: str, wanted: list[tuple[str, str]]) -> dict[tuple[str, str], Item]:
        found = (self.table.get(keys.blacklist_item(tenant_id, t, k)) for t, k in dict.fromkeys(wanted))
        return {(r["list_type"], r["key"]): r for r in found if r is not None}

    def blacklist_record(self, tenant_id: str, list_type: str, key: str) -> Item | None:
        return self.table.get(keys.blacklist_item(tenant_id, list_type, key))

    def blacklist_page(self, tenant_id: str, list_type: str, limit: int,
                       cursor: str | None) -> tuple[list[Item], str | None]:
        return self.table.page(keys.blacklist_index(tenant_id, list_type), limit=limit, cursor=cursor, index="GSI1")


def _listed(key: dict[str, str], index: Item, own: Item, sort: str) -> Callable[[Item | None], Item]:
    """Each disposition's own entry beside those already there; the index sort key set once (if_not_exists)."""
    return lambda item: {**(item or key), **index, "GSI1SK": (item or {}).get("GSI1SK", sort), **own}


def _unlisted(group: list[Item], status: str, at: str, reason: str) -> Callable[[Item | None], Item]:
    marks = {"status": status, "removed_at": at, "removed_reason": reason}

    def unlisted(item: Item | None) -> Item:
        found = dict(item or {})
        for entry in group:
            if entry.get("legacy"):
                found.update(marks)
            else:
                name = entry_attribute(entry["source_disposition"])
                found[name] = {**found[name], **marks}
        return found
    return unlisted


def _all_active(group: list[Item]) -> Callable[[Item | None], bool]:
    """Each entry still ACTIVE (a legacy one on the record itself, from the same disposition)."""
    def check(item: Item | None) -> bool:
        if item is None:
            return False
        for entry in group:
            if entry.get("legacy"):
                if item.get("source_disposition") != entry["source_disposition"] or item.get("status") != "ACTIVE":
                    return False
            elif (item.get(entry_attribute(entry["source_disposition"])) or {}).get("status") != "ACTIVE":
                return False
        return True
    return check
