"""Dispositions, credit strikes and blacklist entries in DynamoDB (keys in core/keys.py); blacklist records
in `blacklist_store`.

A disposition and everything it causes (its pointer, strike, blacklist entries, name ban)
are written in one transaction; so is a revocation and everything it reverses. Nothing is
deleted to undo a disposition: it is marked REVOKED with the reason, and so are its entries.
"""

from __future__ import annotations

from typing import Any

from chalicelib.core import audit_trail, keys, stores
from chalicelib.core.audit_chain import Event
from chalicelib.core.dynamo import Table
from chalicelib.dispositions.blacklist_store import BlacklistStore
from chalicelib.dispositions.rules import SUMMARY_FIELDS, summaries_by_subject


class DispositionsStore(BlacklistStore):
    def __init__(self, table: Table) -> None:
        self.table = table

    def commit(self, tenant_id: str, ops: list[Any], event: Event | list[Event]) -> int:
        """The ops and their audit events in one transaction; ConditionFailed names the first op refused."""
        return audit_trail.commit(self.table, tenant_id, ops, event)

    def create_ops(self, tenant_id: str, disposition: dict[str, Any],
                   strike: dict[str, Any] | None) -> list[dict[str, Any]]:
        """The disposition, its pointer and its strike; its blacklist entries come from `blacklisting_ops`,
        merged with those of every other disposition in the same transaction."""
        target_pk = keys.target_pk(tenant_id, disposition["target_type"], disposition["target_id"])
        item = {"PK": target_pk, "SK": f"DISP#{disposition['disposition_id']}", **disposition}
        if disposition.get("reportable"):
            item.update(GSI1PK=keys.reportable_index(tenant_id),
                        GSI1SK=f"{disposition['created_at']}#{disposition['disposition_id']}")
        ops: list[dict[str, Any]] = [
            {"Put": {"Item": item, "ConditionExpression": "attribute_not_exists(PK)"}},
            {"Put": {"Item": {**keys.disposition_ref(tenant_id, disposition["disposition_id"]),
                              "target_pk": target_pk}}},
        ]
        if strike is not None:
            ops.append({"Put": {"Item": {"PK": keys.credit_pk(tenant_id, strike["subject_id"]),
                                         "SK": f"STRIKE#{disposition['disposition_id']}", **strike}}})
        return ops

    def revoke_ops(self, tenant_id: str, disposition: dict[str, Any], at: str, reason: str,
                   actor: str | None = None) -> list[dict[str, Any]]:
        """The disposition marked REVOKED (by whom, when known) and its strike removed; its blacklist entries
        through `unlisting_ops`."""
        values = {":revoked": "REVOKED", ":active": "ACTIVE", ":at": at, ":why": reason}
        if actor:
            values[":by"] = actor
        ops: list[dict[str, Any]] = [{"Update": {
            "Key": {"PK": disposition["PK"], "SK": disposition["SK"]},
            "UpdateExpression": "SET #status = :revoked, revoked_at = :at, revoked_reason = :why"
                                + (", revoked_by = :by" if actor else ""),
            "ConditionExpression": "#status = :active", "ExpressionAttributeNames": {"#status": "status"},
            "values": values}}]
        if disposition.get("subject_id"):
            ops.append({"Delete": {"Key": {"PK": keys.credit_pk(tenant_id, disposition["subject_id"]),
                                           "SK": f"STRIKE#{disposition['disposition_id']}"}}})
        return ops

    @staticmethod
    def summary_ops(tenant_id: str, added: list[dict[str, Any]], removed: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """One Update per subject on its restriction summary (``T#{tenant}#TARGET#SUBJECT#{sid}`` /
        ``SUMMARY``): one attribute per restricting disposition, so a gate reads what is in force on a
        subject with the same BatchGetItem as the subject itself. (One item appears once per transaction.)"""
        ops = []
        for subject_id, (adds, removes) in summaries_by_subject(added, removed).items():
            names = {f"#r{n}": f"r_{r['disposition_id']}" for n, r in enumerate(adds + removes)}
            sets = [f"#r{n} = :r{n}" for n in range(len(adds))]
            drops = [f"#r{n}" for n in range(len(adds), len(adds) + len(removes))]
            expression = ("SET " + ", ".join(sets)) if sets else ""
            expression += (" REMOVE " + ", ".join(drops)) if drops else ""
            update: dict[str, Any] = {"Key": keys.restriction_summary(tenant_id, subject_id),
                                      "UpdateExpression": expression.strip(), "ExpressionAttributeNames": names}
            if adds:
                update["values"] = {f":r{n}": {k: r.get(k) for k in SUMMARY_FIELDS} for n, r in enumerate(adds)}
            ops.append({"Update": update})
        return ops

    def restricting_now(self, tenant_id: str, target_type: str, target_id: str, now: str) -> list[dict[str, Any]]:
        """Dispositions of a target that restrict something and are in force at `now`, newest first.

        One Query over the target's partition, however long its history; the filter runs in
        DynamoDB, so only what is in force crosses the wire and is parsed here.
        """
        return list(self.table.query(
            KeyConditionExpression="PK = :pk AND begins_with(SK, :disp)",
            FilterExpression="#status = :active AND starts_at <= :now AND size(restricts) > :none "
                             "AND (attribute_not_exists(ends_at) OR ends_at > :now)",
            ExpressionAttributeNames={"#status": "status"},
            values={":pk": keys.target_pk(tenant_id, target_type, target_id), ":disp": "DISP#", ":active": "ACTIVE",
                    ":now": now, ":none": 0},
            ScanIndexForward=False))

    def count_active_since(self, tenant_id: str, target_type: str, target_id: str, since: str) -> int:
        """Dispositions of a target made since `since` and not revoked (the grading window, PA2020-7)."""
        return self.table.count(KeyConditionExpression="PK = :pk AND begins_with(SK, :disp)",
                                FilterExpression="created_at >= :since AND #status = :active",
                                ExpressionAttributeNames={"#status": "status"},
                                values={":pk": keys.target_pk(tenant_id, target_type, target_id), ":disp": "DISP#",
                                        ":since": since, ":active": "ACTIVE"})

    def case_source(self, tenant_id: str, case_id: str | None) -> str:
        """What started the case a disposition names: PROACTIVE for none; a case stored before cases
        had a source (or one the product does not hold) came from reports."""
        if not case_id:
            return "PROACTIVE"
        case = self.table.get(keys.case_item(tenant_id, case_id))
        return str((case or {}).get("source", "REPORT"))

    def by_id(self, tenant_id: str, disposition_id: str) -> dict[str, Any] | None:
        ref = self.table.get(keys.disposition_ref(tenant_id, disposition_id))
        if ref is None:
            return None
        return self.table.get({"PK": ref["target_pk"], "SK": f"DISP#{disposition_id}"}, consistent=True)

    def strikes(self, tenant_id: str, subject_id: str) -> list[dict[str, Any]]:
        return list(self.table.query(KeyConditionExpression="PK = :pk",
                                     values={":pk": keys.credit_pk(tenant_id, subject_id)}))


def store() -> DispositionsStore:
    """The DynamoDB store of a running API; tests put `memory_store.MemoryDispositionsStore` behind this seam."""
    return DispositionsStore(stores.main_table())
