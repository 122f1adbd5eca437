"""A moto server for benchmarks at scale: its TransactWriteItems keeps, for the rollback, only the items it names.

moto copies every table a transaction touches, whole, before each of the transaction's items (a rollback by
swapping the copy back), so a transaction costs as much as the tables hold: with 100,000 records seeded, every
audited write (a state change and its audit event are one transaction) takes seconds and the server's memory
grows by gigabytes. DynamoDB's cost is the items written. This server snapshots the items the transaction
names instead and restores those on a refusal, which is the same outcome (a refused transaction leaves every
item it named as it was), so a benchmark measures the product, not moto's copies.

    python -m bench.moto_server -p 5000
"""

from __future__ import annotations

import copy
import sys
import types
from typing import Any

from moto.dynamodb import models
from moto.server import main

_original = models.DynamoDBBackend.transact_write_items


def _tables_not_copied(value: Any, memo: Any = None) -> Any:
    """deepcopy for moto's module, except a whole table (the rollback copy this server replaces)."""
    return value if isinstance(value, models.Table) else copy.deepcopy(value, memo)


models.copy = types.SimpleNamespace(deepcopy=_tables_not_copied)  # type: ignore[assignment]


def _key(table: Any, op_type: str, op: dict[str, Any]) -> dict[str, Any] | None:
    if op_type != "Put":
        return op.get("Key")
    attrs = op["Item"]
    key = {table.hash_key_attr: attrs[table.hash_key_attr]}
    if table.range_key_attr is not None:
        key[table.range_key_attr] = attrs[table.range_key_attr]
    return key


def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
    named: list[tuple[str, dict[str, Any], dict[str, Any] | None]] = []
    for entry in transact_items:
        op_type, op = next(iter(entry.items()))
        table = self.tables.get(op.get("TableName"))
        key = _key(table, op_type, op) if table is not None else None
        if table is not None and key is not None:
            current = self.get_item(table.name, key)
            named.append((table.name, key, copy.deepcopy(current.to_json()["Attributes"]) if current else None))
    try:
        _original(self, transact_items)
    except Exception:
        for table_name, key, attrs in reversed(named):
            if attrs is not None:
                self.put_item(table_name, attrs)
            elif self.get_item(table_name, key) is not None:
                self.delete_item(table_name, key)
        raise


models.DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]

if __name__ == "__main__":
    main(sys.argv[1:])
