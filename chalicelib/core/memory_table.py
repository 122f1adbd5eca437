"""An in-memory stand-in for one DynamoDB table, on which the stores' fakes are built.

Items are kept by their (PK, SK) from core/keys.py, so a fake addresses exactly what its DynamoDB
store does. A transaction is a list of `Change`s: every condition is checked before any change is
applied, and the first that fails is `audit_trail.ConditionFailed` with its position, as
TransactWriteItems' cancellation reasons name it; the audit events committed with it are kept in
order (GR2017-11: a change is never kept without its event). Pages carry the same opaque cursors
as core/dynamo.py, checked the same way (CURSOR_INVALID), and a page's limit counts items before
its filter, as DynamoDB's Limit does; an index is paged with the table's key and the index's in its
cursor. Each fake is held to its DynamoDB store by one contract suite (tests/integration/
test_capability_stores*.py) and to its public methods by tests/unit/test_memory_store_shapes.py.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from chalicelib.core.audit_chain import Event
from chalicelib.core.audit_trail import ConditionFailed
from chalicelib.core.dynamo_cursor import decode_cursor, encode_cursor

Item = dict[str, Any]


def always(_: Item | None) -> bool:
    return True


@dataclass(frozen=True)
class Change:
    """One item of a transaction: the condition on the item as stored (None: absent), and the item
    after the change (None deletes it)."""

    key: dict[str, str]
    effect: Callable[[Item | None], Item | None]
    condition: Callable[[Item | None], bool] = always


def absent(item: Item | None) -> bool:
    """``attribute_not_exists(PK)``: nothing is stored under the key."""
    return item is None


def put(item: Item) -> Callable[[Item | None], Item]:
    """A Put's effect: the item as given, whatever was stored before."""
    return lambda _: item


def deleted(_: Item | None) -> None:
    """A Delete's effect: nothing stays under the key."""
    return None


def status_in(*statuses: str) -> Callable[[Item | None], bool]:
    """``#status IN (...)``: the item is stored with one of `statuses`."""
    return lambda item: item is not None and item.get("status") in statuses


def stored_with(**wanted: Any) -> Callable[[Item | None], bool]:
    """``a = :a AND b = :b``: every named attribute is stored with that value (a missing one is no match)."""
    return lambda item: item is not None and all(k in item and item[k] == v for k, v in wanted.items())


def updated(key: dict[str, str], *, remove: tuple[str, ...] = (), **values: Any) -> Callable[[Item | None], Item]:
    """DynamoDB's ``SET a = :a REMOVE b`` as an effect: an absent item is created with its key."""
    def effect(item: Item | None) -> Item:
        found = {**(item or key), **values}
        for name in remove:
            found.pop(name, None)
        return found
    return effect


def added(item: Item | None, key: dict[str, str], **amounts: int) -> Item:
    """DynamoDB's ``ADD name :n`` on numbers: an absent item or attribute counts from zero."""
    found = dict(item or key)
    for name, amount in amounts.items():
        found[name] = int(found.get(name, 0)) + amount
    return found


class MemoryTable:
    def __init__(self) -> None:
        self._items: dict[tuple[str, str], Item] = {}
        self.events: list[tuple[str, Event]] = []
        self._lock = threading.RLock()

    def get(self, key: dict[str, str]) -> Item | None:
        found = self._items.get((key["PK"], key["SK"]))
        return copy.deepcopy(found)

    def put(self, item: Item) -> None:
        with self._lock:
            self._items[(item["PK"], item["SK"])] = copy.deepcopy({k: v for k, v in item.items() if v is not None})

    def write(self, change: Change) -> bool:
        """One conditional write on its own; False when its condition fails (nothing is written)."""
        with self._lock:
            try:
                self.transact([change])
            except ConditionFailed:
                return False
            return True

    def transact(self, changes: list[Change]) -> None:
        with self._lock:
            for position, change in enumerate(changes):
                if not change.condition(self.get(change.key)):
                    raise ConditionFailed(position)
            for change in changes:
                after = change.effect(self.get(change.key))
                if after is None:
                    self._items.pop((change.key["PK"], change.key["SK"]), None)
                else:
                    self.put({**after, **change.key})

    def commit(self, tenant_id: str, changes: list[Change], event: Event | list[Event]) -> int:
        """The changes and their audit events, all or nothing; the tenant's last event number, as the
        audit trail's sequence counts them."""
        with self._lock:
            self.transact(changes)
            self.events.extend((tenant_id, one) for one in ([event] if isinstance(event, Event) else event))
            return sum(1 for owner, _ in self.events if owner == tenant_id)

    def query(self, partition: str, *, prefix: str = "", low: str | None = None, high: str | None = None,
              before: str | None = None, descending: bool = False, index: str | None = None) -> list[Item]:
        """Items of one partition (of the table, or of `index`: `{index}PK`/`{index}SK`) in sort key order;
        `low` and `high` bound the sort key inclusively (BETWEEN), `before` exclusively (``SK < :before``)."""
        pk, sk = (f"{index}PK", f"{index}SK") if index else ("PK", "SK")
        with self._lock:
            found = [copy.deepcopy(i) for i in self._items.values() if i.get(pk) == partition and sk in i
                     and str(i[sk]).startswith(prefix) and (low is None or i[sk] >= low)
                     and (high is None or i[sk] <= high) and (before is None or i[sk] < before)]
        found.sort(key=lambda i: (i[sk], i["PK"], i["SK"]), reverse=descending)
        return found

    def page(self, partition: str, *, limit: int, cursor: str | None, prefix: str = "", low: str | None = None,
             high: str | None = None, before: str | None = None, descending: bool = False, index: str | None = None,
             keep: Callable[[Item], bool] = always) -> tuple[list[Item], str | None]:
        """One page of a partition (of the table, or of `index`) and the cursor after it (None at the end), as
        `Table.page` answers: an index's cursor carries the table's key and the index's, as DynamoDB's does."""
        pk, sk = (f"{index}PK", f"{index}SK") if index else ("PK", "SK")
        found = self.query(partition, prefix=prefix, low=low, high=high, before=before, descending=descending,
                           index=index)
        if cursor:
            start = decode_cursor(cursor, (pk, partition), index=index)
            after = (start[sk]["S"], start["PK"]["S"], start["SK"]["S"])
            found = [i for i in found if ((i[sk], i["PK"], i["SK"]) < after) == descending
                     and (i[sk], i["PK"], i["SK"]) != after]
        read = found[:limit]
        last = read[-1] if read and len(found) > limit else None
        names = ("PK", "SK", pk, sk) if index else ("PK", "SK")
        next_cursor = encode_cursor({k: {"S": last[k]} for k in names}) if last else None
        return [i for i in read if keep(i)], next_cursor


def version_of(table: MemoryTable, partition: str) -> int:
    """The version a partition's VERSION item counts (a lexicon's, a tenant's avatar banks'); 0 before any change."""
    item = table.get({"PK": partition, "SK": "VERSION"})
    return int(item["version"]) if item else 0


def version_bump(partition: str) -> Change:
    """One more version of the partition, in the transaction of the change it versions."""
    key = {"PK": partition, "SK": "VERSION"}
    return Change(key, lambda item: added(item, key, version=1))
