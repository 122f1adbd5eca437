"""The ledger of scheduled units in DynamoDB (core/keys.py: T#{tenant}#JOBS): each unit's step, checkpoint
and result. A step is recorded only if it is the step the unit stood at, so a message delivered twice, or a
continuation sent twice, never moves a unit on twice, and a finished unit is never redone."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from chalicelib.core import keys
from chalicelib.core.dynamo import Table, error_code
from chalicelib.core.work_queues import Unit

KEEP_SECONDS = 14 * 86400


def _key(unit: Unit) -> dict[str, str]:
    return keys.job_unit_item(unit.tenant, unit.job, unit.run, unit.unit)


class JobStore:
    def __init__(self, table: Table) -> None:
        self.table = table

    def item(self, unit: Unit) -> dict[str, Any] | None:
        return self.table.get(_key(unit), consistent=True)

    def items(self, units: list[Unit]) -> list[dict[str, Any]]:
        return self.table.batch_get([_key(u) for u in units])

    def advance(self, unit: Unit, status: str, fields: dict[str, Any], now: str, expires: int) -> bool:
        """Record the unit's step as done (status RUNNING: a checkpoint; DONE: its result); False when the
        unit was not at this step any more (another delivery got there first)."""
        names = {f"#{k}": k for k in fields}
        sets = "".join(f", #{k} = :{k}" for k in fields)
        try:
            self.table.update(
                _key(unit),
                UpdateExpression=f"SET #status = :status, step = :next, updated_at = :now, #ttl = :ttl, "
                                 f"job = :job, run = :run, tenant_id = :tenant, #unit = :unit{sets}",
                ConditionExpression="attribute_not_exists(PK) OR (step = :step AND #status <> :done)",
                ExpressionAttributeNames={"#status": "status", "#ttl": "ttl", "#unit": "unit", **names},
                values={":status": status, ":next": unit.step + 1, ":step": unit.step, ":done": "DONE", ":now": now,
                        ":ttl": expires, ":job": unit.job, ":run": unit.run, ":tenant": unit.tenant,
                        ":unit": unit.unit, **{f":{k}": v for k, v in fields.items()}})
        except ClientError as exc:
            if error_code(exc) == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def run(self, tenant_id: str, run: str) -> list[dict[str, Any]]:
        """Every unit of one run the tenant's ledger holds (of every job the run reached)."""
        return list(self.table.query(KeyConditionExpression="PK = :pk AND begins_with(SK, :run)",
                                     values={":pk": keys.job_unit_item(tenant_id, "", run, "")["PK"],
                                             ":run": keys.job_run_prefix(run)}, ConsistentRead=True))

    def failed(self, unit: Unit, error: str, now: str, expires: int) -> None:
        self.table.update(_key(unit), UpdateExpression="ADD failures :one SET last_error = :error, failed_at = :now, "
                                                       "#ttl = if_not_exists(#ttl, :ttl), job = :job, run = :run, "
                                                       "tenant_id = :tenant, #unit = :unit, "
                                                       "step = if_not_exists(step, :step)",
                          ExpressionAttributeNames={"#ttl": "ttl", "#unit": "unit"},
                          values={":one": 1, ":error": error[:500], ":now": now, ":ttl": expires, ":job": unit.job,
                                  ":run": unit.run, ":tenant": unit.tenant, ":unit": unit.unit, ":step": unit.step})
