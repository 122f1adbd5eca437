"""TransactWriteItems on the `make run` stack's moto server, at a cost bounded by what it touches.

moto 5.2 backs a transaction up by deep-copying its whole table once per item of the transaction, to put
the copy back if the transaction is cancelled. Every write of the API is a transaction (the audit chain),
so as a local run fills the table every write slows down with it: one 100-item transaction (a bulk lexicon
chunk) takes 0.1 s on an empty table and two minutes on 5,000 items, and a bulk import of 1,000 names
ended in the client's read timeout, answered as 503 STORE_UNAVAILABLE. DynamoDB's own cost does not grow
with the table. Here the backup holds only the items the transaction names, as they were, and puts exactly
those back when it is cancelled: the same all-or-nothing outcome, at a cost bounded by the transaction.

Queries are answered at a cost bounded by what they read as well: infra/moto_queries.py, installed with this.
"""

from __future__ import annotations

import copy
import threading
from typing import Any

from infra import moto_queries, moto_query_views

_backing_up = threading.local()


class _Copying:
    """The `copy` module as moto's DynamoDB models see it: a table is not copied while a transaction's own
    backup is held (its rollback then puts the same table back, and `transact_write_items` below restores
    the items); everything else is copied as before."""

    def __getattr__(self, name: str) -> Any:
        return getattr(copy, name)

    @staticmethod
    def deepcopy(value: Any, memo: dict[int, Any] | None = None) -> Any:
        from moto.dynamodb.models.table import Table

        if getattr(_backing_up, "active", False) and isinstance(value, Table):
            return value
        return copy.deepcopy(value, memo)


def _named(backend: Any, transact_items: list[dict[str, Any]]) -> list[tuple[Any, Any, Any, Any]]:
    """(table, hash key, range key, the item as it is or None) for each item the transaction names."""
    found, seen = [], set()
    for entry in transact_items:
        op_type, op = next(iter(entry.items()))
        table = backend.tables.get(op.get("TableName"))
        if table is None:
            continue
        key = op.get("Key") if op_type != "Put" else {
            name: op.get("Item", {}).get(name) for name in (table.hash_key_attr, table.range_key_attr) if name}
        try:
            hash_key, range_key = backend.get_keys_value(table, key)
        except Exception:  # a malformed key: moto refuses the transaction before it writes anything
            continue
        if (id(table), hash_key, range_key) in seen:
            continue
        seen.add((id(table), hash_key, range_key))
        current = table.get_item(hash_key, range_key)
        found.append((table, hash_key, range_key, copy.deepcopy(current)))
    return found


def _restore(named: list[tuple[Any, Any, Any, Any]]) -> None:
    for table, hash_key, range_key, before in named:
        holder, key = (table.items, hash_key) if range_key is None else (table.items[hash_key], range_key)
        if before is None:
            holder.pop(key, None)
        else:
            holder[key] = before
        moto_query_views.written(table, hash_key, range_key)


def install() -> None:
    """Replace moto's whole-table backup in the moto server this process runs."""
    from moto.dynamodb import models

    if getattr(models.DynamoDBBackend.transact_write_items, "backs_up_named_items", False):
        return
    original = models.DynamoDBBackend.transact_write_items
    models.copy = _Copying()  # type: ignore[assignment]

    def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
        named = _named(self, transact_items) if len(transact_items) <= 100 else []
        _backing_up.active = True
        try:
            original(self, transact_items)
        except Exception:
            _restore(named)
            raise
        finally:
            _backing_up.active = False

    moto_queries.install(models)
    transact_write_items.backs_up_named_items = True  # type: ignore[attr-defined]
    models.DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]
