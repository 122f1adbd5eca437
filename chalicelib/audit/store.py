"""How far each tenant's audit chain is verified (GR2017-11, PA2017-13): one item, in the main table.

The checkpoint moves forward only: a verification records the event it reached only if the checkpoint
is still the one it started from, so two verifications running at once never move it backwards.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from chalicelib.core import keys
from chalicelib.core.dynamo import Table, error_code


class CheckpointStore:
    def __init__(self, table: Table) -> None:
        self.table = table

    def get(self, tenant_id: str) -> dict[str, Any] | None:
        return self.table.get(keys.audit_verified_item(tenant_id), consistent=True)

    def advance(self, tenant_id: str, seq: int, hash_: str, at: str, started_from: int | None) -> bool:
        """Record events through `seq` verified; False when another verification moved it meanwhile."""
        condition = "attribute_not_exists(PK)" if started_from is None else "seq = :from"
        values: dict[str, Any] = {":seq": seq, ":hash": hash_, ":at": at, ":tenant": tenant_id}
        if started_from is not None:
            values[":from"] = started_from
        try:
            self.table.update(keys.audit_verified_item(tenant_id), ConditionExpression=condition, values=values,
                              UpdateExpression="SET seq = :seq, #hash = :hash, verified_at = :at, tenant_id = :tenant",
                              ExpressionAttributeNames={"#hash": "hash"})
        except ClientError as exc:
            if error_code(exc) == "ConditionalCheckFailedException":
                return False
            raise
        return True
