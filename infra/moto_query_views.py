"""The views the `make run` stack's moto answers queries from (infra/moto_queries.py installs them).

moto's Query sorts every item of the table to keep one partition's. Here the table and each of its indexes
have a view: their items by partition, each partition in moto's query order (index range key, then the
table's keys; sparse: an item lacking an index key is not in that index), made on the index's first query
and kept in step with every write after it (`written`: put, update in place, delete, batch writes and
transactions through them, a cancelled transaction's restore); `bounds` is the slice of a partition a
range condition can meet.
"""

from __future__ import annotations

import bisect
import threading
import weakref
from typing import Any

lock = threading.RLock()
table_views: weakref.WeakKeyDictionary[Any, dict[str | None, View]] = weakref.WeakKeyDictionary()


class View:
    """One index of a table (or the table itself: `index` None), its items by partition, each partition in
    moto's query order and kept so through every write to the table.

    `keys[p][i]` is the sort key of `items[p][i]`: the values of moto's sort attributes (index hash, index
    range, table hash, table range), copied, so that an item updated in place is found under the key it was
    filed by. `touched` counts the items filed and read, the work the tests bound."""

    def __init__(self, table: Any, index: Any) -> None:
        self.index = index
        if index is None:
            self.hash_attr, self.range_attr = table.hash_key_attr, table.range_key_attr
            self.sort_attrs = [a for a in (table.hash_key_attr, table.range_key_attr) if a]
        else:
            self.hash_attr = next(k["AttributeName"] for k in index.schema if k["KeyType"] == "HASH")
            ranges = [k["AttributeName"] for k in index.schema if k["KeyType"] == "RANGE"]
            self.range_attr = ranges[0] if ranges else None
            range_attrs = [self.range_attr, table.range_key_attr] if ranges else [  # as Table.query makes them
                table.range_key_attr or table.hash_key_attr, table.range_key_attr]
            self.sort_attrs = table._generate_attr_to_sort_by([self.hash_attr, table.hash_key_attr], range_attrs)
        self.range_at = self.sort_attrs.index(self.range_attr) if self.range_attr else None
        self.filed: dict[Any, tuple[Any, tuple[Any, ...]]] = {}  # primary key -> (partition, sort key)
        self.keys: dict[Any, list[tuple[Any, ...]]] = {}
        self.items: dict[Any, list[Any]] = {}
        self.touched = 0
        found: dict[Any, list[tuple[tuple[Any, ...], Any]]] = {}
        for item in _every_item(table):
            self.touched += 1
            entry = self._entry(item)
            if entry is not None:
                self.filed[(item.hash_key, item.range_key)] = entry
                found.setdefault(entry[0], []).append((entry[1], item))
        for partition, entries in found.items():
            entries.sort(key=lambda e: e[0])
            self.keys[partition] = [key for key, _ in entries]
            self.items[partition] = [item for _, item in entries]

    def _entry(self, item: Any) -> tuple[Any, tuple[Any, ...]] | None:
        from moto.dynamodb.models.dynamo_type import DynamoType

        attrs = item.attrs
        if self.index is None:
            return item.hash_key, tuple(DynamoType(v) for v in (item.hash_key, item.range_key) if v is not None)
        if self.hash_attr not in attrs or (self.range_attr is not None and self.range_attr not in attrs):
            return None  # a sparse index holds the items that have its keys
        return attrs[self.hash_attr], tuple(DynamoType(attrs[a]) for a in self.sort_attrs)

    def file(self, primary: Any, item: Any | None) -> None:
        """File the item of this primary key (None: deleted) where its keys place it now."""
        self.touched += 1
        before = self.filed.pop(primary, None)
        if before is not None:
            partition, key = before
            keys, items = self.keys[partition], self.items[partition]
            at = bisect.bisect_left(keys, key)
            del keys[at], items[at]
            if not keys:
                del self.keys[partition], self.items[partition]
        entry = self._entry(item) if item is not None else None
        if entry is not None:
            partition, key = entry
            keys, items = self.keys.setdefault(partition, []), self.items.setdefault(partition, [])
            at = bisect.bisect_left(keys, key)
            keys.insert(at, key)
            items.insert(at, item)
            self.filed[primary] = entry


def _every_item(table: Any) -> Any:
    for held in table.items.values():
        if table.range_key_attr:
            yield from held.values()
        else:
            yield held


def view_of(table: Any, index_name: str | None) -> View:
    views = table_views.setdefault(table, {})
    index = table.get_index(index_name) if index_name else None
    view = views.get(index_name)
    if view is None or view.index is not index or getattr(index, "schema", None) != getattr(view.index, "schema", None):
        view = views[index_name] = View(table, index)
    return view


def written(table: Any, hash_key: Any, range_key: Any) -> None:
    """Keep the table's views in step with a write of this key: a put, an update in place, a delete, a
    cancelled transaction's restore."""
    views = table_views.get(table)
    if not views:
        return
    with lock:
        current = stored(table, hash_key, range_key)
        for view in views.values():
            view.file((hash_key, range_key), current)


def stored(table: Any, hash_key: Any, range_key: Any) -> Any:
    if table.range_key_attr:
        return table.items.get(hash_key, {}).get(range_key) if range_key is not None else None
    return table.items.get(hash_key)


def bounds(keys: list[tuple[Any, ...]], at: int, comparison: str | None, values: list[Any]) -> tuple[int, int]:
    """The slice of a sorted partition whose sort key (position `at` of its keys) can meet the condition:
    every item outside it fails it, so skipping them changes no answer."""
    n = len(keys)
    if comparison is None or not values or not keys or any(
            v.type != keys[0][at].type or v.type not in ("S", "N") for v in values):
        return 0, n

    def left(value: Any) -> int:
        return bisect.bisect_left(keys, value, key=lambda k: k[at])

    def right(value: Any) -> int:
        return bisect.bisect_right(keys, value, key=lambda k: k[at])

    if comparison in ("=", "EQ"):
        return left(values[0]), right(values[0])
    if comparison in ("<", "LT"):
        return 0, left(values[0])
    if comparison in ("<=", "LE"):
        return 0, right(values[0])
    if comparison in (">", "GT"):
        return right(values[0]), n
    if comparison in (">=", "GE"):
        return left(values[0]), n
    if comparison == "BETWEEN" and len(values) == 2:
        low = left(values[0])
        return low, max(low, right(values[1]))
    if comparison == "BEGINS_WITH" and values[0].type == "S":
        prefix = values[0].value
        low = left(values[0])
        return low, bisect.bisect_left(keys, True, lo=low, key=lambda k: not k[at].value.startswith(prefix))
    return 0, n
