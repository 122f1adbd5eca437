"""Query (on a table or an index) on the `make run` stack's moto server, at a cost bounded by what it reads.

A Query sorts every item of the table to keep those of one partition, and a Query on an index reads and
sorts every item of the table too, so every read of a filled table slows down the same way (an audit
verification's 20 pages, a name index compile reading a 6,000-entry lexicon in 5 pages of 71-80 s each,
a scheduled sweep unit taking 12 s with 110,000 items: past the client's read timeout, 503). A page with
ExclusiveStartKey then walks from the partition's start to its key, and a range condition is tested item
by item. Here the table and each of its indexes have a view: their items by partition, each partition in
moto's query order (index range key, then the table's keys; sparse: an item lacking an index key is not
in that index), made on the index's first query and kept in step with every write after it (put, update
in place, delete, batch writes and transactions through them, a cancelled transaction's restore). A query
bisects to the slice its range condition allows and to its ExclusiveStartKey, reads from there to the end
of its page (Limit or moto's 1 MB), and then deep-copies, projects (KEYS_ONLY, INCLUDE) and filters that
page only, as moto does: the same items in the same order (ScanIndexForward false included), the same
Count, ScannedCount and LastEvaluatedKey. A query this does not cover (a legacy QueryFilter, multi-attribute
index keys, a key condition on another attribute, an invalid index) is answered by moto, errors included.
The product runs no Scan; moto's is left as it is.

moto then writes a Query's answer through its generic serializer, attribute by attribute along the output
shape: a 1 MB page of a lexicon took it about 5 s, past the client's read timeout, and the retries piled up
on the server (a name check after a 6,000-entry import answered 503 after 20 s). Here the items are written
as JSON directly (binary values in base64, as the protocol has them) and the rest of the answer is moto's.
"""

from __future__ import annotations

import base64
import bisect
import copy
import json
import threading
import weakref
from typing import Any

_partition = threading.local()
_lock = threading.RLock()
_views: weakref.WeakKeyDictionary[Any, dict[str | None, _View]] = weakref.WeakKeyDictionary()
_RESULT_SIZE_LIMIT = 1_000_000  # moto's page size limit (moto.dynamodb.models.table)
_ITEM_SIZE_LIMIT = 405_000  # moto refuses a larger item (moto.dynamodb.models.dynamo_type)


def install(models: Any) -> None:
    """Queries answered from the views, writes keeping them in step, and the answer's items written as JSON."""
    from moto.dynamodb.models.table import Table

    if hasattr(Table.query, "moto_query"):
        return
    query, all_items = Table.query, Table.all_items
    put_item, delete_item = Table.put_item, Table.delete_item
    update_item = models.DynamoDBBackend.update_item

    def bounded_query(self: Any, hash_key: Any, range_comparison: Any, range_objs: Any, limit: Any,
                      exclusive_start_key: Any, scan_index_forward: Any, projection_expressions: Any,
                      index_name: str | None = None, consistent_read: bool = False, filter_expression: Any = None,
                      hash_key_conditions: Any = None, range_key_conditions: Any = None, **filter_kwargs: Any) -> Any:
        with _lock:
            answer = _query(self, hash_key, range_comparison, range_objs, limit, exclusive_start_key,
                            scan_index_forward, projection_expressions, index_name, consistent_read,
                            filter_expression, hash_key_conditions, range_key_conditions, filter_kwargs)
        if answer is not None:
            return answer
        _partition.key = hash_key if index_name is None and self.range_key_attr else None
        try:
            return query(self, hash_key, range_comparison, range_objs, limit, exclusive_start_key,
                         scan_index_forward, projection_expressions, index_name, consistent_read,
                         filter_expression, hash_key_conditions, range_key_conditions, **filter_kwargs)
        finally:
            _partition.key = None

    def partition_items(self: Any) -> Any:
        key = getattr(_partition, "key", None)
        if key is None:
            return all_items(self)
        return sorted(self.items.get(key, {}).values(), key=lambda item: (item.hash_key, item.range_key))

    def put(self: Any, *args: Any, **kwargs: Any) -> Any:
        item = put_item(self, *args, **kwargs)
        written(self, item.hash_key, item.range_key)
        return item

    def delete(self: Any, hash_key: Any, range_key: Any) -> Any:
        item = delete_item(self, hash_key, range_key)
        if item is not None:
            written(self, item.hash_key, item.range_key)
        return item

    def update(self: Any, table_name: str, key: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return update_item(self, table_name, key, *args, **kwargs)
        finally:  # an update changes its item in place, before its own checks may fail
            table = self.tables.get(table_name)
            if table is not None and _views.get(table):
                try:
                    hash_key, range_key = self.get_keys_value(table, key)
                except Exception:  # a malformed key: nothing was written
                    pass
                else:
                    written(table, hash_key, range_key)

    bounded_query.moto_query, partition_items.moto_all_items = query, all_items  # type: ignore[attr-defined]
    Table.query, Table.all_items = bounded_query, partition_items  # type: ignore[method-assign]
    Table.put_item, Table.delete_item = put, delete  # type: ignore[method-assign]
    models.DynamoDBBackend.update_item = update
    _install_query_answer()


class _View:
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


def _view(table: Any, index_name: str | None) -> _View:
    views = _views.setdefault(table, {})
    index = table.get_index(index_name) if index_name else None
    view = views.get(index_name)
    if view is None or view.index is not index or getattr(index, "schema", None) != getattr(view.index, "schema", None):
        view = views[index_name] = _View(table, index)
    return view


def written(table: Any, hash_key: Any, range_key: Any) -> None:
    """Keep the table's views in step with a write of this key: a put, an update in place, a delete, a
    cancelled transaction's restore."""
    views = _views.get(table)
    if not views:
        return
    with _lock:
        current = _stored(table, hash_key, range_key)
        for view in views.values():
            view.file((hash_key, range_key), current)


def _stored(table: Any, hash_key: Any, range_key: Any) -> Any:
    if table.range_key_attr:
        return table.items.get(hash_key, {}).get(range_key) if range_key is not None else None
    return table.items.get(hash_key)


def _bounds(keys: list[tuple[Any, ...]], at: int, comparison: str | None, values: list[Any]) -> tuple[int, int]:
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


def _query(table: Any, hash_key: Any, range_comparison: Any, range_objs: Any, limit: Any, exclusive_start_key: Any,
           scan_index_forward: Any, projection_expressions: Any, index_name: str | None, consistent_read: bool,
           filter_expression: Any, hash_key_conditions: Any, range_key_conditions: Any,
           filter_kwargs: dict[str, Any]) -> Any:
    """Table.query's answer read from the partition's view, from where the page starts to where it ends; None
    for a query this does not cover (moto answers it, errors included)."""
    index: Any = None
    if filter_kwargs or (limit is not None and (not isinstance(limit, int) or limit < 1)):
        return None
    if index_name:
        index = next((i for i in table.all_indexes() if i.name == index_name), None)
        if index is None or (consistent_read and index in (table.global_indexes or [])):
            return None
        hashes = [k["AttributeName"] for k in index.schema if k["KeyType"] == "HASH"]
        ranges = [k["AttributeName"] for k in index.schema if k["KeyType"] == "RANGE"]
        if len(hashes) != 1 or len(ranges) > 1 or (range_comparison and not ranges):
            return None
        if not hash_key_conditions or len(hash_key_conditions) != 1 or hash_key_conditions[0][0] != hashes[0]:
            return None
        partition_key, range_attr = hash_key_conditions[0][1], (ranges[0] if ranges else None)
    else:
        if hash_key is None:
            return None
        partition_key, range_attr = hash_key, table.range_key_attr
    if range_key_conditions and (len(range_key_conditions) != 1 or range_key_conditions[0][0] != range_attr
                                 or range_key_conditions[0][1] != range_comparison):
        return None
    if range_comparison and range_attr is None:
        return None
    for _ in range(2):
        try:
            return _page(table, _view(table, index_name), index, index_name, partition_key, range_attr,
                         range_comparison, range_objs, limit, exclusive_start_key, scan_index_forward,
                         projection_expressions, filter_expression)
        except _Stale:  # the table's items were changed under its view (cleared in place): the view is made again
            _views.get(table, {}).pop(index_name, None)
    return None


class _Stale(Exception):
    pass


def _live(table: Any, item: Any) -> bool:
    """True if the table still holds this item; otherwise the view answering from it is stale."""
    if _stored(table, item.hash_key, item.range_key) is not item:
        raise _Stale
    return True


def _page(table: Any, view: _View, index: Any, index_name: str | None, partition_key: Any, range_attr: str | None,
          range_comparison: Any, range_objs: Any, limit: Any, exclusive_start_key: Any, scan_index_forward: Any,
          projection_expressions: Any, filter_expression: Any) -> Any:
    """One page of the query from the partition's view, as Table.query reads it from its whole-table sort."""
    keys, items = view.keys.get(partition_key, []), view.items.get(partition_key, [])
    n, forward = len(keys), scan_index_forward is not False
    if index_name:
        hash_attrs: list[str] = [view.hash_attr, table.hash_key_attr]
        range_attrs: list[str | None] = [range_attr, table.range_key_attr] if range_attr else [
            table.range_key_attr or table.hash_key_attr, table.range_key_attr]
    else:
        hash_attrs, range_attrs = [table.hash_key_attr], [table.range_key_attr]

    def at(j: int) -> Any:  # the j-th item in the order the query reads
        return items[j] if forward else items[n - 1 - j]

    low, high = (0, n) if view.range_at is None else _bounds(keys, view.range_at, range_comparison, range_objs)
    first, last = (low, high) if forward else (n - high, n - low)  # the slice, in reading order
    start = 0
    if exclusive_start_key is not None:  # the first item after the key, as moto finds it, by bisection
        lo, hi = 0, n
        while lo < hi:
            mid = (lo + hi) // 2
            view.touched += 1
            if table._item_comes_before_dct(at(mid), exclusive_start_key, hash_attrs, range_attrs, forward):
                lo = mid + 1
            else:
                hi = mid
        start = lo
    results: list[Any] = []
    result_size = scanned_count = 0
    last_evaluated_key = None
    begin = max(start, first)
    for j in range(begin, max(begin, last)):
        result = at(j)
        view.touched += 1
        _live(table, result)
        if len(results) == limit or result_size + result.size() > _RESULT_SIZE_LIMIT:
            last_evaluated_key = table._get_last_evaluated_key(results[-1], index_name)
            break
        if not range_comparison:
            matched = True
        elif range_attr in result.attrs:
            matched = result.attrs[range_attr].compare(range_comparison, range_objs)
        else:
            matched = not index_name and result.range_key.compare(range_comparison, range_objs)
        if matched:
            results.append(result)
            result_size += result.size()
            scanned_count += 1
    else:  # moto reads on past the slice: the page ends there if it is full
        rest = range(max(start, last), n)
        if rest and results and (len(results) == limit and _live(table, at(rest[0])) or (
                result_size + _ITEM_SIZE_LIMIT > _RESULT_SIZE_LIMIT
                and any(_live(table, at(k)) and result_size + at(k).size() > _RESULT_SIZE_LIMIT for k in rest))):
            last_evaluated_key = table._get_last_evaluated_key(results[-1], index_name)
    results = copy.deepcopy(results)
    if index_name:
        results = [index.project(r) for r in results]
    if filter_expression is not None:
        results = [item for item in results if filter_expression.expr(item)]
    if projection_expressions:
        results = [r.project(projection_expressions) for r in results]
    return results, scanned_count, last_evaluated_key


def _install_query_answer() -> None:
    """A Query's items written as JSON directly: moto's serializer walks every attribute of every item through
    the output shape, 4 s and more for a 1 MB page; the rest of the answer is still moto's own."""
    from moto.core.responses import ActionResult
    from moto.dynamodb.responses import DynamoHandler

    if hasattr(DynamoHandler.query, "moto_query_handler"):
        return
    handler = DynamoHandler.query

    class ItemsAnswer(ActionResult):
        def execute_result(self, context: Any) -> Any:
            answer = self.result
            if not isinstance(answer, dict) or not isinstance(answer.get("Items"), list):
                return super().execute_result(context)
            rest = {k: v for k, v in answer.items() if k != "Items"}
            status, headers, body = ActionResult(rest).execute_result(context)
            return status, headers, json.dumps({**json.loads(body), "Items": answer["Items"]}, default=_blob)

    def query(self: Any) -> Any:
        answer = handler(self)
        return ItemsAnswer(answer.result) if type(answer).__name__ == "DynamoResult" else answer

    query.moto_query_handler = handler  # type: ignore[attr-defined]
    DynamoHandler.query = query  # type: ignore[method-assign]


def _blob(value: Any) -> str:
    """A binary attribute (B, BS) as the JSON protocol writes it: base64."""
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(value).decode("ascii")
    raise TypeError(f"{type(value).__name__} is not JSON")
