"""Dispositions, credit strikes and blacklist entries in DynamoDB (keys in core/keys.py).

A disposition and everything it causes (its pointer, strike, blacklist entries, name ban)
are written in one transaction; so is a revocation and everything it reverses. Nothing is
deleted to undo a disposition: it is marked REVOKED with the reason, and so are its entries.
"""

from __future__ import annotations

from typing import Any

from chalicelib.core import keys
from chalicelib.core.dynamo import Table

SUMMARY_FIELDS = ("disposition_id", "type", "restricts", "starts_at", "ends_at", "statement", "ground")


def summarised(record: dict[str, Any]) -> bool:
    """Dispositions on a subject that restrict something are summarised on it for the gates."""
    return record["target_type"] == "SUBJECT" and bool(record.get("restricts"))


class DispositionsStore:
    def __init__(self, table: Table) -> None:
        self.table = table

    def create_ops(self, tenant_id: str, disposition: dict[str, Any], strike: dict[str, Any] | None,
                   blacklist: list[dict[str, Any]]) -> list[dict[str, Any]]:
        target_pk = keys.target_pk(tenant_id, disposition["target_type"], disposition["target_id"])
        item = {"PK": target_pk, "SK": f"DISP#{disposition['disposition_id']}", **disposition}
        if disposition.get("reportable"):
            item.update(GSI1PK=keys.reportable_index(tenant_id),
                        GSI1SK=f"{disposition['created_at']}#{disposition['disposition_id']}")
        ops: list[dict[str, Any]] = [
            {"Put": {"Item": item, "ConditionExpression": "attribute_not_exists(PK)"}},
            {"Put": {"Item": {**keys.disposition_ref(tenant_id, disposition["disposition_id"]), "target_pk": target_pk}}},
        ]
        if strike is not None:
            ops.append({"Put": {"Item": {"PK": keys.credit_pk(tenant_id, strike["subject_id"]),
                                         "SK": f"STRIKE#{disposition['disposition_id']}", **strike}}})
        for entry in blacklist:
            ops.append({"Put": {"Item": {**keys.blacklist_item(tenant_id, entry["list_type"], entry["key"]),
                                         "GSI1PK": keys.blacklist_index(tenant_id, entry["list_type"]),
                                         "GSI1SK": f"{entry['created_at']}#{entry['key']}", **entry}}})
        return ops

    def revoke_ops(self, tenant_id: str, disposition: dict[str, Any], at: str, reason: str,
                   blacklist: list[dict[str, Any]]) -> list[dict[str, Any]]:
        ops: list[dict[str, Any]] = [{"Update": {
            "Key": {"PK": disposition["PK"], "SK": disposition["SK"]},
            "UpdateExpression": "SET #status = :revoked, revoked_at = :at, revoked_reason = :why",
            "ConditionExpression": "#status = :active", "ExpressionAttributeNames": {"#status": "status"},
            "values": {":revoked": "REVOKED", ":active": "ACTIVE", ":at": at, ":why": reason}}}]
        if disposition.get("subject_id"):
            ops.append({"Delete": {"Key": {"PK": keys.credit_pk(tenant_id, disposition["subject_id"]),
                                           "SK": f"STRIKE#{disposition['disposition_id']}"}}})
        for entry in blacklist:
            ops.append({"Update": {
                "Key": keys.blacklist_item(tenant_id, entry["list_type"], entry["key"]),
                "UpdateExpression": "SET #status = :revoked, removed_at = :at, removed_reason = :why",
                "ConditionExpression": "source_disposition = :source", "ExpressionAttributeNames": {"#status": "status"},
                "values": {":revoked": "REVOKED", ":at": at, ":why": reason,
                           ":source": disposition["disposition_id"]}}})
        return ops

    @staticmethod
    def summary_ops(tenant_id: str, added: list[dict[str, Any]], removed: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """One Update per subject on its restriction summary (``T#{tenant}#TARGET#SUBJECT#{sid}`` /
        ``SUMMARY``): one attribute per restricting disposition, so a gate reads what is in force on a
        subject with the same BatchGetItem as the subject itself. (One item appears once per transaction.)"""
        per_subject: dict[str, tuple[list[dict[str, Any]], list[dict[str, Any]]]] = {}
        for record in added:
            per_subject.setdefault(record["target_id"], ([], []))[0].append(record)
        for record in removed:
            per_subject.setdefault(record["target_id"], ([], []))[1].append(record)
        ops = []
        for subject_id, (adds, removes) in per_subject.items():
            names = {f"#r{n}": f"r_{r['disposition_id']}" for n, r in enumerate(adds + removes)}
            sets = [f"#r{n} = :r{n}" for n in range(len(adds))]
            drops = [f"#r{n}" for n in range(len(adds), len(adds) + len(removes))]
            expression = (("SET " + ", ".join(sets)) if sets else "") + ((" REMOVE " + ", ".join(drops)) if drops else "")
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

    def by_id(self, tenant_id: str, disposition_id: str) -> dict[str, Any] | None:
        ref = self.table.get(keys.disposition_ref(tenant_id, disposition_id))
        if ref is None:
            return None
        return self.table.get({"PK": ref["target_pk"], "SK": f"DISP#{disposition_id}"}, consistent=True)

    def strikes(self, tenant_id: str, subject_id: str) -> list[dict[str, Any]]:
        return list(self.table.query(KeyConditionExpression="PK = :pk",
                                     values={":pk": keys.credit_pk(tenant_id, subject_id)}))

    def blacklist_entries(self, tenant_id: str, wanted: list[tuple[str, str]]) -> list[dict[str, Any]]:
        return self.table.batch_get([keys.blacklist_item(tenant_id, t, k) for t, k in dict.fromkeys(wanted)])

    def blacklist_page(self, tenant_id: str, list_type: str, limit: int,
                       cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
        partition = keys.blacklist_index(tenant_id, list_type)
        return self.table.page(index="GSI1", partition=("GSI1PK", partition), limit=limit, cursor=cursor,
                               KeyConditionExpression="GSI1PK = :pk", values={":pk": partition})
