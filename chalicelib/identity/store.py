"""Subjects, verification records, attempt counters, qualifications and V-verifications in DynamoDB.

Item shapes and keys are documented in core/keys.py. A verification writes its record
and the subject's new state in one transaction, so a subject is never verified without the
record that proves it.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from chalicelib.core import audit_trail, keys, stores
from chalicelib.core.audit_chain import Event
from chalicelib.core.dynamo import Table, error_code
from chalicelib.core.errors import NotFound, TooManyRequests

_SUBJECT_FIELDS = ("subject_type", "document_type", "document_masked", "mobile_masked", "mobile_index",
                   "pii", "pii_key", "region_code")
# PA2017-9, RL2020-24: erasure takes from the subject item the sealed identity and the wrapped key that opens
# it (crypto-shredding), and what leads back to the person without the key: the mobile's masked form and its
# blind index (nothing looks a subject up by phone; a blacklisted phone has its own entry).
ERASED_FIELDS = ("pii", "pii_key", "mobile_masked", "mobile_index")
# What stays names no one on its own, and the records the law keeps (dispositions and blacklists, GR2017-11,
# PA2017-13; filings, MB2018-10) identify and route the subject by it: kind of subject and of document, the
# document masked to a third of its characters, and the region (the filing's province).
KEPT_FIELDS = ("subject_type", "document_type", "document_masked", "region_code")


def erasure(tenant_id: str, subject_id: str, now: str) -> dict[str, Any]:
    """The transaction step that erases a subject's identity data (its caller decides when: the last account)."""
    return {"Update": {"Key": keys.subject_item(tenant_id, subject_id),
                       "UpdateExpression": "SET pii_erased_at = :now REMOVE " + ", ".join(ERASED_FIELDS),
                       "values": {":now": now}}}


class IdentityStore:
    def __init__(self, table: Table) -> None:
        self.table = table

    def take_attempt(self, tenant_id: str, blind_index: str, day: str, limit: int, expires_at: int,
                     retry_after: int) -> int:
        """Count one verification attempt for a document today; refuse past the policy cap, atomically."""
        try:
            answer = self.table.update(
                keys.attempts_item(tenant_id, blind_index, day),
                UpdateExpression="ADD attempts :one SET #ttl = :ttl",
                ConditionExpression="attribute_not_exists(attempts) OR attempts < :limit",
                ExpressionAttributeNames={"#ttl": "ttl"},
                values={":one": 1, ":limit": limit, ":ttl": expires_at},
                ReturnValues="UPDATED_NEW",
            )
        except ClientError as exc:
            if error_code(exc) != "ConditionalCheckFailedException":
                raise
            raise TooManyRequests(
                "Too many verification attempts for this document today.",
                message_zh="该证件今日核验次数过多。",
                code="VERIFICATION_ATTEMPTS_EXCEEDED",
                details={"limit": limit, "retry_after_seconds": retry_after},
                headers={"Retry-After": str(retry_after)},
            ) from exc
        return int(answer["attempts"])

    def record_verification(self, tenant_id: str, subject_id: str, subject: dict[str, Any],
                            record: dict[str, Any], verified_until: str | None, event: Event) -> None:
        """Append the attempt record and update the subject in one transaction.

        A match (verified_until set) makes the subject VERIFIED until that date, replaces its
        sealed identity data and lists it in the re-confirmation index; any other outcome
        creates the subject if it is new and leaves an existing one as it was.
        """
        present = [f for f in _SUBJECT_FIELDS if f in subject]
        names = {f"#{f}": f for f in present}
        values: dict[str, Any] = {f":{f}": subject[f] for f in present}
        # Only a match may change what is known of a subject; a failed attempt only creates it.
        if verified_until is not None:
            sets = [f"#{f} = :{f}" for f in present]
        else:
            sets = [f"#{f} = if_not_exists(#{f}, :{f})" for f in present]
        sets += ["subject_id = :sid", "tenant_id = :tenant", "updated_at = :at",
                 "created_at = if_not_exists(created_at, :at)", "#status = if_not_exists(#status, :unverified)"]
        values.update({":sid": subject_id, ":tenant": tenant_id, ":at": record["at"], ":unverified": "UNVERIFIED"})
        names["#status"] = "status"
        if verified_until is not None:
            sets[-1] = "#status = :verified"
            sets += ["verified_at = :at", "reconfirm_by = :until", "GSI1PK = :gsi1pk", "GSI1SK = :gsi1sk"]
            values.update({":verified": "VERIFIED", ":until": verified_until,
                           ":gsi1pk": keys.reconfirm_index(tenant_id), ":gsi1sk": f"{verified_until}#{subject_id}"})
        audit_trail.commit(self.table, tenant_id, [
            {"Put": {"Item": {"PK": keys.subject_pk(tenant_id, subject_id),
                              "SK": keys.verification_sk(record["verification_id"]), **record},
                     "ConditionExpression": "attribute_not_exists(PK)"}},
            {"Update": {"Key": keys.subject_item(tenant_id, subject_id), "UpdateExpression": "SET " + ", ".join(sets),
                        "ExpressionAttributeNames": names, "values": values}},
        ], event)

    def subject_partition(self, tenant_id: str, subject_id: str) -> list[dict[str, Any]]:
        """Every item of one subject: the subject, its verifications, qualifications, V-verifications."""
        return list(self.table.query(KeyConditionExpression="PK = :pk",
                                     values={":pk": keys.subject_pk(tenant_id, subject_id)}, ScanIndexForward=False))

    def subject(self, tenant_id: str, subject_id: str) -> dict[str, Any] | None:
        return self.table.get(keys.subject_item(tenant_id, subject_id), consistent=True)

    def due_for_reconfirmation(self, tenant_id: str, due_before: str, limit: int,
                               cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
        partition = keys.reconfirm_index(tenant_id)
        return self.table.page(index="GSI1", partition=("GSI1PK", partition), limit=limit, cursor=cursor,
                               KeyConditionExpression="GSI1PK = :pk AND GSI1SK < :due",
                               values={":pk": partition, ":due": due_before + "~"})

    def expire(self, tenant_id: str, subject_id: str, now: str) -> bool:
        """Mark a lapsed subject EXPIRED and move it from the re-confirmation index to the lapsed one, so the
        next sweep never reads it again (MB2018-7); False when it was re-confirmed meanwhile."""
        try:
            self.table.update(keys.subject_item(tenant_id, subject_id),
                              UpdateExpression="SET #status = :expired, expired_at = :now, GSI1PK = :lapsed, "
                                               "GSI1SK = :sk",
                              ConditionExpression="#status = :verified AND reconfirm_by <= :now",
                              ExpressionAttributeNames={"#status": "status"},
                              values={":expired": "EXPIRED", ":verified": "VERIFIED", ":now": now,
                                      ":lapsed": keys.lapsed_index(tenant_id), ":sk": f"{now}#{subject_id}"})
        except ClientError as exc:
            if error_code(exc) == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def leave_reconfirm_index(self, tenant_id: str, subject_id: str) -> None:
        """A subject in the re-confirmation index that is not VERIFIED (stored before expiry moved subjects
        out) leaves it, once, instead of being read by every sweep."""
        try:
            self.table.update(keys.subject_item(tenant_id, subject_id), UpdateExpression="REMOVE GSI1PK, GSI1SK",
                              ConditionExpression="GSI1PK = :pk AND #status <> :verified",
                              ExpressionAttributeNames={"#status": "status"},
                              values={":pk": keys.reconfirm_index(tenant_id), ":verified": "VERIFIED"})
        except ClientError as exc:
            if error_code(exc) != "ConditionalCheckFailedException":
                raise

    def put_in_subject(self, tenant_id: str, subject_id: str, sort_key: str, item: dict[str, Any],
                       event: Event) -> None:
        """Add a qualification or V-verification record to a subject that exists."""
        try:
            audit_trail.commit(self.table, tenant_id, [
                {"ConditionCheck": {"Key": keys.subject_item(tenant_id, subject_id),
                                    "ConditionExpression": "attribute_exists(PK)"}},
                {"Put": {"Item": {"PK": keys.subject_pk(tenant_id, subject_id), "SK": sort_key, **item},
                         "ConditionExpression": "attribute_not_exists(PK)"}},
            ], event)
        except audit_trail.ConditionFailed as exc:
            raise NotFound(f"No subject {subject_id!r} for this tenant.", message_zh="本租户没有该主体。",
                           code="SUBJECT_NOT_FOUND") from exc


def store() -> IdentityStore:
    """The DynamoDB store of a running API; tests put `memory_store.MemoryIdentityStore` behind this seam."""
    return IdentityStore(stores.main_table())
