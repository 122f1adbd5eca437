"""Blacklist records in DynamoDB (part of `store.DispositionsStore`; keys in core/keys.py): one entry per
disposition on a record, written beside any already there and marked, never deleted, when revoked or
removed (GR2017-11, PA2017-13, RL2020-11).
"""

from __future__ import annotations

from typing import Any

from chalicelib.core import keys
from chalicelib.core.dynamo import Table
from chalicelib.dispositions.blacklist_rules import ENTRY_FIELDS, entries_by_record, entry_attribute


class BlacklistStore:
    """Listing, unlisting and reading blacklist records."""

    table: Table

    @staticmethod
    def blacklisting_ops(tenant_id: str, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """One Update per (list type, key), adding each disposition's own entry beside any already there
        (a record is written once per transaction, however many dispositions list it)."""
        ops = []
        for (list_type, key), group in entries_by_record(entries).items():
            names = {"#key": "key", **{f"#e{n}": entry_attribute(e["source_disposition"]) for n, e in enumerate(group)}}
            values: dict[str, Any] = {":type": list_type, ":key": key,
                                      ":index": keys.blacklist_index(tenant_id, list_type),
                                      ":sort": f"{group[0]['created_at']}#{key}"}
            values.update({f":e{n}": {k: e.get(k) for k in ENTRY_FIELDS if e.get(k) is not None}
                           for n, e in enumerate(group)})
            sets = ", ".join(f"#e{n} = :e{n}" for n in range(len(group)))
            ops.append({"Update": {"Key": keys.blacklist_item(tenant_id, list_type, key),
                                   "UpdateExpression": "SET list_type = :type, #key = :key, GSI1PK = :index, "
                                                       f"GSI1SK = if_not_exists(GSI1SK, :sort), {sets}",
                                   "ExpressionAttributeNames": names, "values": values}})
        return ops

    @staticmethod
    def unlisting_ops(tenant_id: str, entries: list[dict[str, Any]], status: str, at: str,
                      reason: str) -> list[dict[str, Any]]:
        """Mark the given entries (each names its record and source disposition) REVOKED or REMOVED, one
        Update per record; a record written before per-disposition entries is marked in its own fields."""
        ops = []
        for (list_type, key), group in entries_by_record(entries).items():
            names: dict[str, str] = {"#status": "status"}
            sets, conditions = [], []
            values: dict[str, Any] = {":new": status, ":at": at, ":why": reason, ":active": "ACTIVE"}
            for n, entry in enumerate(group):
                if entry.get("legacy"):
                    sets += ["#status = :new", "removed_at = :at", "removed_reason = :why"]
                    conditions.append(f"source_disposition = :s{n} AND #status = :active")
                    values[f":s{n}"] = entry["source_disposition"]
                    continue
                names[f"#e{n}"] = entry_attribute(entry["source_disposition"])
                sets += [f"#e{n}.#status = :new", f"#e{n}.removed_at = :at", f"#e{n}.removed_reason = :why"]
                conditions.append(f"#e{n}.#status = :active")
            ops.append({"Update": {"Key": keys.blacklist_item(tenant_id, list_type, key),
                                   "UpdateExpression": "SET " + ", ".join(sets),
                                   "ConditionExpression": " AND ".join(conditions),
                                   "ExpressionAttributeNames": names, "values": values}})
        return ops

    def blacklist_records(self, tenant_id: str, wanted: list[tuple[str, str]]) -> dict[tuple[str, str], dict[str, Any]]:
        """The blacklist records of (list type, key) pairs, by pair (one BatchGetItem of up to 100)."""
        found = self.table.batch_get([keys.blacklist_item(tenant_id, t, k) for t, k in dict.fromkeys(wanted)])
        return {(r["list_type"], r["key"]): r for r in found}

    def blacklist_record(self, tenant_id: str, list_type: str, key: str) -> dict[str, Any] | None:
        return self.table.get(keys.blacklist_item(tenant_id, list_type, key), consistent=True)

    def blacklist_page(self, tenant_id: str, list_type: str, limit: int,
                       cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
        partition = keys.blacklist_index(tenant_id, list_type)
        return self.table.page(index="GSI1", partition=("GSI1PK", partition), limit=limit, cursor=cursor,
                               KeyConditionExpression="GSI1PK = :pk", values={":pk": partition})
